import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { cli } from '../../helpers/cli';
import { cliCase } from '../../helpers/cli-setup';
import { SHARED } from './fake-evidence';
import fs from 'node:fs';

let dir: string;
let caseNumber: string;

beforeAll(async () => ({ dir, caseNumber } = await cliCase('cli')));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('lariat import prints a per-file report, --json for scripts', async () => {
  const r = await cli(dir, 'import', caseNumber, path.join(SHARED, 'cloudtrail', 'panther'), '--json');
  expect(r.code).toBe(0);
  const report = JSON.parse(r.out) as {
    files: { file: string; imported: number; reused: number }[];
    imported: number;
    duplicates: number;
    reused: number;
  };
  expect(report.files).toHaveLength(5);
  // Panther's rule test cases repeat some events (same eventID, account, time and name): each is imported once.
  expect(report.imported + report.duplicates).toBe(436 + 12 + 4 + 7 + 4);
  expect(report.duplicates).toBeGreaterThan(0);
  // Others reuse an id for another call: kept, and counted for scripts per file and in all.
  expect(report.reused).toBeGreaterThan(0);
  expect(report.reused).toBe(report.files.reduce((n, f) => n + f.reused, 0));
  // The same calls from another address, in a new file: every one is kept and the total line says so.
  const victim = path.join(SHARED, 'cloudtrail', 'panther', 'scenario_compromised-root-creds_victim_cloudtrail.json');
  const doc = JSON.parse(fs.readFileSync(victim, 'utf8')) as { Records: Record<string, unknown>[] };
  const moved = path.join(dir, 'moved.json');
  fs.writeFileSync(moved, JSON.stringify({ Records: doc.Records.map((e) => ({ ...e, sourceIPAddress: '198.51.100.99' })) }));
  const printed = await cli(dir, 'import', caseNumber, moved);
  expect(printed.out).toContain(`; ${doc.Records.length} kept though the case held their eventID`);
  const text = await cli(dir, 'import', caseNumber, path.join(SHARED, 'cloudtrail', 'otrf'));
  expect(text.out).toMatch(/ec2_proxy_s3_exfiltration.*cloudtrail\s+103\s+103\s+0\s+0/);
  expect(text.out).toMatch(/total: 103 imported, 103 flagged, 0 rejected, 0 duplicates skipped/);
});

test('lariat timeline filters, searches and pages', async () => {
  const r = await cli(dir, 'timeline', caseNumber, '--where', 'action=StopLogging', '--json');
  const page = JSON.parse(r.out) as { events: { action: string }[] };
  expect(page.events.length).toBeGreaterThan(0);
  expect(page.events.every((e) => e.action === 'StopLogging')).toBe(true);
  const s = await cli(dir, 'timeline', caseNumber, '--search', 'pedro', '--from', '2020-09-14', '--limit', '5');
  expect(s.out).toMatch(/^ID\s+TIME/);
  expect(s.out).toMatch(/more: --cursor \d+:\d+/);
  const h = await cli(dir, 'timeline', caseNumber, '--highlight', 'console-login-failure', '--json');
  expect((JSON.parse(h.out) as { events: { errorCode: string }[] }).events.every((e) => e.errorCode)).toBe(true);
  const bad = await cli(dir, 'timeline', caseNumber, '--where', 'colour=red');
  expect([bad.code, bad.err]).toEqual([1, expect.stringMatching(/--where "colour=red" is not column=value[\s\S]*hint: Columns:/)]);
});

test('lariat timeline --where takes a column in any case, or the CloudTrail field it holds', async () => {
  const count = async (...where: string[]) => {
    const r = await cli(dir, 'timeline', caseNumber, ...where.flatMap((w) => ['--where', w]), '--count');
    expect(r.code).toBe(0);
    return Number(r.out.trim());
  };
  const byColumn = await count('action=StopLogging', 'action=DeleteTrail');
  expect(byColumn).toBeGreaterThan(0);
  expect(await count('eventName=StopLogging', 'EVENTNAME=deletetrail')).toBe(byColumn);
  expect(await count('Action=StopLogging', 'eventname=DeleteTrail')).toBe(byColumn);
  const ip = await count('sourceIp=1.2.3.4');
  expect(await count('sourceIPAddress=1.2.3.4')).toBe(ip);
  const arn = await count('actor=arn:aws:iam::123456789123:user/pedro');
  expect(arn).toBeGreaterThan(0);
  expect(await count('userIdentity.arn=arn:aws:iam::123456789123:user/pedro')).toBe(arn);
  // A field Lariat keeps no column for is still refused, with the columns and the aliases named.
  const bad = await cli(dir, 'timeline', caseNumber, '--where', 'requestParameters.bucketName=x');
  expect([bad.code, bad.err]).toEqual([1, expect.stringMatching(/is not column=value[\s\S]*hint: Columns:.*eventName/)]);
});

test('lariat ioc add/list and findings', async () => {
  expect((await cli(dir, 'ioc', 'add', caseNumber, 'ip', '1.2.3.4', '--tlp', 'red', '--notes', 'proxy')).out).toMatch(
    /IOC \d+: ip 1\.2\.3\.4 TLP:RED/,
  );
  expect((await cli(dir, 'ioc', 'list', caseNumber)).out).toMatch(/ip\s+RED\s+1\.2\.3\.4\s+proxy/);
  expect((await cli(dir, 'ioc', 'add', caseNumber, 'email', 'x')).code).toBe(1);
  expect((await cli(dir, 'findings', caseNumber)).out).toMatch(/No findings/);
});

test('lariat demo creates a case from the shipped samples', async () => {
  const r = await cli(dir, 'demo', '--json');
  expect(r.code).toBe(0);
  const { case: c, report } = JSON.parse(r.out) as {
    case: { number: string; tags: string[] };
    report: { imported: number; rejected: number; files: unknown[] };
  };
  expect(c.tags).toEqual(['demo']);
  expect(report.rejected).toBe(0);
  expect(report.imported).toBe(436 + 12 + 4 + 7 + 4 + 103 + 15 + 109);
  const f = await cli(dir, 'findings', c.number, '--json');
  expect((JSON.parse(f.out) as unknown[]).length).toBeGreaterThan(100);
});
