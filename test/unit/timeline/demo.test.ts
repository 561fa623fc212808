import fs from 'node:fs';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { makeServices, type TestServices } from '../../helpers/services';
import { DEMO_IDENTITY } from '../../../main/timeline/demo';
import { SHARED } from './fake-evidence';

const DEMO = path.resolve(__dirname, '../../../resources/demo');
let s: TestServices | undefined;
afterEach(() => {
  s?.cleanup();
  s = undefined;
});

function jsonFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? jsonFiles(path.join(dir, e.name)) : e.name.endsWith('.json') ? [path.join(dir, e.name)] : []));
}

test('the demo data are unchanged copies of the shared samples, each folder with its licence', () => {
  const files = jsonFiles(DEMO);
  expect(files.length).toBeGreaterThan(100);
  for (const f of files) expect(fs.readFileSync(f).equals(fs.readFileSync(path.join(SHARED, path.relative(DEMO, f))))).toBe(true);
  for (const dir of new Set(files.map((f) => path.dirname(f)))) expect(fs.readdirSync(dir).some((n) => /^LICENSE/.test(n))).toBe(true);
  expect(fs.readFileSync(path.join(DEMO, 'README.md'), 'utf8')).toMatch(
    /panther-labs[\s\S]*OTRF[\s\S]*GuardDuty-SOAR[\s\S]*automated-security-response-on-aws/,
  );
});

test('without an identity, the demo creates a clearly labelled demo investigator and a populated case', async () => {
  const svc = makeServices();
  s = svc;
  expect(svc.custody.identity.current()).toBeNull();
  const { caseRecord, report } = await svc.timeline.demo();
  const me = svc.custody.identity.current()!;
  expect([me.name, me.demo]).toEqual([DEMO_IDENTITY, true]);
  expect(report.files.map((f) => f.file).sort()).toEqual(jsonFiles(DEMO).sort());
  expect(report.rejected).toBe(0);
  expect(svc.timeline.events.count({ caseNumber: caseRecord.number }).count).toBe(report.imported);
  expect(svc.timeline.events.count({ caseNumber: caseRecord.number, highlight: 'logging-tampered' }).count).toBeGreaterThan(0);
  expect(svc.handlers.createDemoCase).toBeTypeOf('function');
});
