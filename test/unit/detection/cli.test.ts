import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { cli } from '../../helpers/cli';
import { tempDir } from '../../helpers/services';
import { cliCase } from '../../helpers/cli-setup';
import { SHARED_ROOT } from './helpers';

let dir: string;
let caseNumber: string;
beforeAll(async () => {
  ({ dir, caseNumber } = await cliCase('rules'));
  await cli(dir, 'import', caseNumber, path.join(SHARED_ROOT, 'data/cloudtrail/panther'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('lariat rules list prints every rule with level, author, state and hits; --json for scripts', async () => {
  const r = await cli(dir, 'rules', 'list');
  expect(r.code).toBe(0);
  expect(r.out).toMatch(/^ID\s+LEVEL\s+TITLE\s+AUTHOR/);
  expect(r.out).toMatch(/console-login-failure\s+low\s+Console login failure\s+Lariat\s+lariat\s+loaded\s+IR-\d{4}-\d{4}:\d+/);
  expect(r.out).toMatch(/74 rules loaded, 0 not loaded/);
  const j = JSON.parse((await cli(dir, 'rules', 'list', '--json')).out) as { rules: { author: string }[]; notLoaded: unknown[] };
  expect(j.rules).toHaveLength(74);
  expect(j.rules.every((x) => x.author.length > 0)).toBe(true);
});

test('lariat rules test prints each rule and "N passed, N failed"; --rules adds a folder whose broken rule is named', async () => {
  const r = await cli(dir, 'rules', 'test');
  expect(r.code).toBe(0);
  expect(r.out).toMatch(/ok\s+sigmahq\s+AWS Root Credentials\s+fires on sigmahq\/aws_root_account_usage.json/);
  expect(r.out).toMatch(/\n74 passed, 0 failed, 0 not loaded$/);
  const mine = tempDir('lariat-rules-');
  fs.writeFileSync(
    path.join(mine, 'x.yml'),
    'title: Mine\nid: m1\nlogsource:\n    product: windows\ndetection:\n    s:\n        a: b\n    condition: s\n',
  );
  const withFolder = await cli(dir, 'rules', 'list', '--rules', mine);
  expect(withFolder.out).toMatch(/NOT LOADED {2}investigator {2}.*x\.yml \(Mine\): logsource.product "windows"/);
  expect((await cli(dir, 'rules', 'list', '--rules', path.join(mine, 'nope'))).code).toBe(1);
  fs.rmSync(mine, { recursive: true, force: true });
});

test('lariat rules disable, rescan and hits; lariat attack; lariat search', async () => {
  expect((await cli(dir, 'rules', 'disable', 'console-login-failure')).out).toMatch(/^disabled: Console login failure/);
  const re = await cli(dir, 'rules', 'rescan', caseNumber, '--json');
  expect(re.code).toBe(0);
  expect(JSON.parse(re.out)).toMatchObject({ caseNumber, rules: 69 });
  const hits = await cli(dir, 'rules', 'hits', caseNumber);
  expect(hits.out).toMatch(/^LEVEL\s+HITS\s+RULE\s+AUTHOR/);
  expect(hits.out).not.toMatch(/Console login failure\s/);
  expect((await cli(dir, 'rules', 'enable', 'console-login-failure')).code).toBe(0);
  const attack = await cli(dir, 'attack', caseNumber);
  expect(attack.out).toMatch(/^TACTIC\s+TECHNIQUE/);
  expect(attack.out).toMatch(/MITRE ATT&CK® is a registered trademark/);
  const page = JSON.parse((await cli(dir, 'timeline', caseNumber, '--json', '--limit', '200')).out) as {
    events: { sourceIp: string | null }[];
  };
  const ip = page.events.map((e) => e.sourceIp).find((v) => v && /^\d+\.\d+\.\d+\.\d+$/.test(v))!;
  const s = await cli(dir, 'search', ip);
  expect(s.out).toMatch(new RegExp(`^CASE\\s+EVENTS[\\s\\S]*${caseNumber}\\s+\\d+`));
  const js = JSON.parse((await cli(dir, 'search', ip, '--json')).out) as { cases: { caseNumber: string; events: number }[] };
  expect(js.cases[0]!.events).toBeGreaterThan(0);
  expect((await cli(dir, 'search', '192.0.2.254')).out).toBe('192.0.2.254 (ip) is in no case.');
  expect((await cli(dir, 'rules', 'rescan', 'IR-2026-9999')).code).toBe(1);
  expect((await cli(dir, 'search', '')).code).toBe(1);
});
