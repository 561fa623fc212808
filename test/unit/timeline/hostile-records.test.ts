import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { timelineCase } from './fake-evidence';
import { tempDir } from '../../helpers/services';
import { packBuffer } from '../../../main/timeline/packed';
import { CELL, WIDTH } from '../../../main/timeline/packed-file';
import { parseTime } from '../../../main/timeline/importers/types';
import { clipDepth, RAW_DEPTH_SHOWN } from '../../../main/timeline/raw-depth';

/**
 * The attack: one record in a file of good ones that the normalising code cannot digest. Before, the first
 * such record ended the file ("reading failed") and every record after it was lost, though each was fine:
 * a time past what a date holds (`1e300`, threw at formatting), a structure nested past the stack (threw
 * when its canonical text was made). And an impossible day (`2024-02-30`) was not refused but moved to
 * March 1st, so the timeline showed a time the record does not say.
 */
const rec = (i: number, extra: Record<string, unknown> = {}) => ({
  eventVersion: '1.08',
  eventTime: `2024-01-01T00:00:0${i}Z`,
  eventSource: 's3.amazonaws.com',
  eventName: 'ListBuckets',
  awsRegion: 'us-east-1',
  userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/ana', accountId: '111122223333' },
  eventID: `id-${i}`,
  recipientAccountId: '111122223333',
  ...extra,
});
const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
/** A record whose requestParameters nest 200,000 deep (and hold an escape, so its canonical text is made). */
const deepRecord = (i: number) => JSON.stringify(rec(i)).slice(0, -1) + `,"requestParameters":{"k":"a\\\\b","v":${deep(200_000)}}}`;
const delivery = (records: string[]) => `{"Records":[${records.join(',')}]}`;
const pack = (text: string) => {
  const b = Buffer.from(text);
  return packBuffer(b, b.length, { maxLine: 1 << 24 });
};

describe('one record the normaliser cannot digest costs that record, not the file', () => {
  test('times past what a date holds are flagged as invalid, and the records after them are kept', () => {
    const p = pack(delivery([rec(1, { eventTime: 1e300 }), rec(2, { eventTime: -1e20 }), rec(3)].map((r) => JSON.stringify(r))));
    expect(p.errors).toEqual([]);
    expect(p.events).toBe(3);
    const issues = [0, 1, 2].map((i) => (p.cells[i * WIDTH + CELL.issues] ? p.strings[p.cells[i * WIDTH + CELL.issues]!] : null));
    expect(issues).toEqual(['invalid-eventTime', 'invalid-eventTime', null]);
  });

  test('a record nested past the stack is rejected by number and reason; the next one is imported', () => {
    const p = pack(delivery([JSON.stringify(rec(1)), deepRecord(2), JSON.stringify(rec(3))]));
    expect(p.events).toBe(2);
    expect(p.errors).toHaveLength(1);
    expect(p.errors[0]).toMatch(
      /^record 2: nested too deeply to be read \(Maximum call stack size exceeded\); the record is kept in the evidence file/,
    );
    expect(p.summary.truncated).toBe(false);
  });

  test('a flow log start past any date rejects its record only', () => {
    const line = (start: string) => `2 111122223333 eni-1 10.0.0.1 10.0.0.2 443 5000 6 1 40 ${start} 1700000060 ACCEPT OK`;
    const p = pack([line('1700000000'), line('99999999999999999999'), line('1700000001')].join('\n'));
    expect(p.events).toBe(2);
    expect(p.errors).toEqual([
      'record 2: flow log start is 99999999999999999999, not a time (epoch seconds past any date); the record is corrupt',
    ]);
    // A start of 0 is no time: the record is kept, in the group of events without one.
    const zero = pack(line('0'));
    expect([zero.events, zero.errors, zero.ts[0], zero.cells[CELL.time]]).toEqual([1, [], 0, 0]);
  });
});

/**
 * The fault: flow log values outside what AWS writes (a corrupted line, a hand-edited export, a format given wrong).
 * They were taken as they came: a `srcaddr` of "x" became the event's source IP and nothing said so. Each is kept as
 * written and the record flagged `invalid-<field>`; '-' (no value) is never flagged.
 */
describe('flow log values are checked against what AWS writes', () => {
  const header = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
  const issuesOf = (p: ReturnType<typeof pack>, i: number) => {
    const k = p.cells[i * WIDTH + CELL.issues]!;
    return k === 0 ? [] : p.strings[k]!.split(',');
  };
  test.each([
    ['a good record', '2 111122223333 eni-1 10.0.0.1 2001:db8::1 443 5000 6 1 40 1700000000 1700000060 ACCEPT OK', []],
    ['a flow of 20 GB', '2 111122223333 eni-1 10.0.0.1 10.0.0.2 443 5000 6 14000000 20000000000 1700000000 1700000060 ACCEPT OK', []],
    ['no values', '2 111122223333 eni-1 - - - - - - - 1700000000 1700000060 - NODATA', []],
    [
      'addresses that are not IPs',
      '2 111122223333 eni-1 not-an-ip 10.0.0.999 443 5000 6 1 40 1700000000 1700000060 ACCEPT OK',
      ['invalid-srcaddr', 'invalid-dstaddr'],
    ],
    [
      'ports and a protocol out of range',
      '2 111122223333 eni-1 10.0.0.1 10.0.0.2 65536 -1 256 1 40 1700000000 1700000060 ACCEPT OK',
      ['invalid-srcport', 'invalid-dstport', 'invalid-protocol'],
    ],
    [
      'counts that are not counts',
      '2 111122223333 eni-1 10.0.0.1 10.0.0.2 443 5000 6 1.5 0x10 1700000000 1700000060 ACCEPT OK',
      ['invalid-packets', 'invalid-bytes'],
    ],
    [
      'an action, a status and an account AWS never writes',
      '2 1111 eni-1 10.0.0.1 10.0.0.2 443 5000 6 1 40 1700000000 1700000060 MAYBE FINE',
      ['invalid-action', 'invalid-log-status', 'invalid-account-id'],
    ],
  ])('%s', (_name, line, issues) => {
    const p = pack(`${header}\n${line}`);
    expect([p.events, p.errors]).toEqual([1, []]);
    expect(issuesOf(p, 0)).toEqual(issues);
  });

  test('a header-less line of 14 fields that are not the default format says which values do not fit it', () => {
    const p = pack('2 111122223333 eni-1 10.0.0.1 10.0.0.2 443 5000 6 1 40 1700000000 1700000060 MAYBE OK');
    expect(p.errors[0]).toMatch(
      /^line 1: a VPC flow log without a header line, in a custom format \(14 fields like the default version 2 format's, but not its values: start a number, action ACCEPT, REJECT or -\); give its format/,
    );
  });
});

/**
 * The fault: a finding whose severity is not one its format writes. A GuardDuty Severity of 1e308 was listed as
 * "critical Infinity" and -3 as "informational -30"; an ASFF Severity of "HIGH" (a string), {Label: "EXTREME"} or
 * {Normalized: "70"} became informational 0 and nothing said so. GuardDuty's is a number the finding is ranked by,
 * so one out of range rejects the record (named); ASFF's is kept as informational and flagged, as is one missing.
 */
describe('finding severities are what their format writes', () => {
  const gd = (i: number, severity: unknown) => ({
    SchemaVersion: '2.0',
    AccountId: '123456789012',
    Arn: `arn:aws:guardduty:us-east-1:123456789012:detector/d/finding/f${i}`,
    CreatedAt: '2024-01-01T00:00:00.000Z',
    Id: `f${i}`,
    Partition: 'aws',
    Region: 'us-east-1',
    Resource: { ResourceType: 'Instance' },
    Service: { ServiceName: 'guardduty' },
    Severity: severity,
    Title: 't',
    Type: 'Recon:EC2/PortProbeUnprotectedPort',
    UpdatedAt: '2024-01-01T00:00:00.000Z',
  });
  const asff = (i: number, severity: unknown) => ({
    SchemaVersion: '2018-10-08',
    Id: `arn:x/${i}`,
    ProductArn: 'arn:aws:securityhub:us-east-1::product/aws/securityhub',
    GeneratorId: 'g',
    AwsAccountId: '123456789012',
    Types: ['Software and Configuration Checks'],
    CreatedAt: '2024-01-01T00:00:00Z',
    UpdatedAt: '2024-01-01T00:00:00Z',
    ...(severity === undefined ? {} : { Severity: severity }),
    Title: 't',
  });
  const issuesOf = (p: ReturnType<typeof pack>, i: number) => {
    const k = p.cells[i * WIDTH + CELL.issues]!;
    return k === 0 ? [] : p.strings[k]!.split(',');
  };

  test('GuardDuty: a severity outside 0-10, or no number, rejects that finding by name', () => {
    const p = pack(JSON.stringify({ Findings: [gd(1, 1e308), gd(2, -3), gd(3, null), gd(4, { v: 1 }), gd(5, 8.5), gd(6, 10)] }));
    expect(p.events).toBe(2);
    expect(p.findings.map((f) => [f.row.severityLabel, f.row.severityScore])).toEqual([
      ['high', 85],
      ['critical', 100],
    ]);
    expect(p.errors).toEqual([
      'record 1: GuardDuty Severity is 1e+308, outside the 0-10 GuardDuty writes; the record is corrupt',
      'record 2: GuardDuty Severity is -3, outside the 0-10 GuardDuty writes; the record is corrupt',
      'record 3: GuardDuty Severity is null, expected a number',
      'record 4: GuardDuty Severity is a JSON object, expected a number',
    ]);
  });

  test.each([
    ['a label', { Label: 'HIGH' }, 'high', 70, []],
    ['a normalized score only', { Normalized: 45 }, 'medium', 45, []],
    ['a label and a score', { Label: 'CRITICAL', Normalized: 95 }, 'critical', 95, []],
    ['a string', 'HIGH', 'informational', 0, ['invalid-Severity']],
    ['a label ASFF does not have', { Label: 'EXTREME' }, 'informational', 0, ['invalid-Severity']],
    ['a label that is a number', { Label: 5 }, 'informational', 0, ['invalid-Severity']],
    ['a score that is a string', { Normalized: '70' }, 'informational', 0, ['invalid-Severity']],
    ['a score past 100, beside a good label', { Label: 'LOW', Normalized: 1000 }, 'low', 1, ['invalid-Severity']],
    ['no severity at all', undefined, 'informational', 0, ['missing-Severity']],
  ])('ASFF: %s', (_name, severity, label, score, issues) => {
    const p = pack(JSON.stringify({ Findings: [asff(1, severity)] }));
    expect([p.events, p.errors]).toEqual([1, []]);
    expect([p.findings[0]!.row.severityLabel, p.findings[0]!.row.severityScore]).toEqual([label, score]);
    expect(issuesOf(p, 0)).toEqual(issues);
  });
});

test.each([
  [4, 'high', []],
  [99, 'informational', []],
  [42, 'informational', ['invalid-severity_id']],
  [-1, 'informational', ['invalid-severity_id']],
  ['4', 'informational', ['invalid-severity_id']],
])('OCSF: severity_id %j is read as %s, flagged when OCSF has no such id', (sevId, label, issues) => {
  const fixture = JSON.parse(fs.readFileSync(path.resolve('test/fixtures/timeline/ocsf-findings.json'), 'utf8')) as unknown;
  const first = (Array.isArray(fixture) ? fixture[0] : fixture) as Record<string, unknown>;
  const { severity: _severity, ...rest } = first;
  const p = pack(JSON.stringify({ ...rest, severity_id: sevId }));
  expect([p.events, p.errors]).toEqual([1, []]);
  expect(p.findings[0]!.row.severityLabel).toBe(label);
  const k = p.cells[CELL.issues]!;
  expect(k === 0 ? [] : p.strings[k]!.split(',')).toEqual(issues);
});

describe('a record’s day must exist', () => {
  test.each([
    ['2024-02-29T00:00:00Z', Date.UTC(2024, 1, 29)],
    ['2000-02-29T00:00:00Z', Date.UTC(2000, 1, 29)],
    ['2024-12-31 23:59:59', Date.UTC(2024, 11, 31, 23, 59, 59)],
    ['2024-02-30T00:00:00Z', null],
    ['2023-02-29T00:00:00Z', null],
    ['1900-02-29T00:00:00Z', null],
    ['2024-04-31T00:00:00Z', null],
    ['2024-00-10T00:00:00Z', null],
    ['2024-13-01T00:00:00Z', null],
    ['2024-01-00T00:00:00Z', null],
    // At or before the epoch: where events without a time are kept, so such a date would list as "no time".
    ['0000-01-01T00:00:00Z', null],
    ['1969-12-31T23:59:59Z', null],
    ['1970-01-01T00:00:00Z', null],
    ['1970-01-01T00:00:00.001Z', 1],
  ])('%s', (v, expected) => expect(parseTime(v)).toBe(expected));
  test('epoch numbers: seconds and milliseconds as before, beyond a date none', () => {
    expect(parseTime(1700000000)).toBe(1700000000000);
    expect(parseTime(1700000000123)).toBe(1700000000123);
    expect(parseTime(8.64e15)).toBe(8.64e15);
    expect(parseTime(8.64e15 + 1)).toBeNull();
    expect(parseTime(-1e20)).toBeNull();
  });
});

describe('imported through the parse thread', () => {
  const c = timelineCase('hostile records');

  test('every record but the undigestible one is in the timeline; the impossible day is flagged, not moved', async () => {
    const dir = tempDir('lariat-hostile-records-');
    const file = path.join(dir, 'mixed.json');
    fs.writeFileSync(
      file,
      delivery([
        JSON.stringify(rec(1, { eventTime: 1e300 })),
        deepRecord(2),
        JSON.stringify(rec(3, { eventTime: '2024-02-30T00:00:00Z' })),
        JSON.stringify(rec(4)),
      ]),
    );
    const r = await c.t.imports.importPaths(c.caseNumber, [file]);
    expect([r.imported, r.rejected, r.flagged]).toEqual([3, 1, 2]);
    expect(r.files[0]!.truncated).toBe(false);
    expect(r.files[0]!.errors.join('\n')).toContain('record 2: nested too deeply to be read');
    const events = c.t.events.query({ caseNumber: c.caseNumber, limit: 10 }).events;
    const byId = Object.fromEntries(events.map((e) => [e.eventId, [e.time, e.issues]]));
    expect(byId).toEqual({
      'id-1': [null, ['invalid-eventTime']],
      'id-3': [null, ['invalid-eventTime']],
      'id-4': ['2024-01-01T00:00:04.000Z', []],
    });
  });

  test('a copy of a deeply nested record is compared with the held one like any other: merged when equal, kept when altered', async () => {
    const dir = tempDir('lariat-hostile-deep-copy-');
    const nested = (leaf: string) =>
      JSON.stringify(rec(5)).slice(0, -1) + `,"requestParameters":{"v":${'['.repeat(100_000)}"${leaf}"${']'.repeat(100_000)}}}`;
    fs.writeFileSync(path.join(dir, 'held.json'), delivery([nested('same')]));
    // The same record in another file (other bytes: a space), then one whose innermost value was changed.
    fs.writeFileSync(path.join(dir, 'copy.json'), delivery([nested('same')]).replace('"Records":', '"Records": '));
    fs.writeFileSync(path.join(dir, 'altered.json'), delivery([nested('changed')]));
    const held = await c.t.imports.importPaths(c.caseNumber, [path.join(dir, 'held.json')]);
    expect(held.imported).toBe(1);
    const copy = await c.t.imports.importPaths(c.caseNumber, [path.join(dir, 'copy.json')]);
    expect([copy.imported, copy.duplicates]).toEqual([0, 1]);
    const altered = await c.t.imports.importPaths(c.caseNumber, [path.join(dir, 'altered.json')]);
    expect([altered.imported, altered.duplicates, altered.reused]).toEqual([1, 0, 1]);
  });

  test('a deeply nested record opens: its structure is cut at a depth every serialiser survives, its text stays whole', async () => {
    const dir = tempDir('lariat-hostile-deep-open-');
    const file = path.join(dir, 'deep-open.json');
    const text = JSON.stringify(rec(6)).slice(0, -1) + `,"requestParameters":{"v":${deep(100_000)}}}`;
    fs.writeFileSync(file, delivery([text]));
    expect((await c.t.imports.importPaths(c.caseNumber, [file])).imported).toBe(1);
    const id = c.t.events.query({ caseNumber: c.caseNumber, where: [{ column: 'eventId', value: 'id-6' }] }).events[0]!.id;
    const detail = c.t.events.get(c.caseNumber, id);
    // What the IPC and `--json` do with it (both overflowed before).
    expect(() => structuredClone(detail)).not.toThrow();
    expect(JSON.parse(detail.rawText)).toBeTruthy();
    expect(detail.rawText).toBe(text);
    let v: unknown = (detail.raw as { requestParameters: { v: unknown } }).requestParameters.v;
    let depth = 2;
    while (Array.isArray(v)) {
      v = v[0];
      depth++;
    }
    expect(depth).toBe(RAW_DEPTH_SHOWN);
    expect(v).toBe(`[nested deeper than ${RAW_DEPTH_SHOWN} levels: the raw text holds the rest]`);
  });
});

describe('a deeply nested finding', () => {
  const c = timelineCase('hostile finding');

  const write = (name: string, depth: number): string => {
    const file = path.join(tempDir('lariat-hostile-deep-finding-'), name);
    const sample = fs.readFileSync('/work/shared/data/guardduty/blu371ck-samples/Discovery-RDS-Tor-Ip-Caller.json', 'utf8');
    // The sample is an EventBridge envelope; its detail, the finding, is written alone with a deep field inside.
    const { detail } = JSON.parse(sample) as { Id?: string; detail: Record<string, unknown> };
    fs.writeFileSync(file, JSON.stringify({ ...detail, Id: name }).slice(0, -1) + `,"LariatTestDeep":${deep(depth)}}`);
    return file;
  };

  test('past the depth the case database reads, it is rejected by number and the import goes on', async () => {
    // SQLite's json_valid reads 1,000 levels: the finding's insert failed, and the whole import with it.
    const r = await c.t.imports.importPaths(c.caseNumber, [write('too-deep.json', 1200), write('fine.json', 20)]);
    expect([r.imported, r.rejected]).toEqual([1, 1]);
    expect(r.files.find((f) => f.file.endsWith('too-deep.json'))!.errors).toContain(
      'too-deep.json: record 1: a finding nested deeper than 1000 levels, more than the case database reads; the record is kept in the evidence file, not in the timeline',
    );
  });

  test('opens, cut at the shown depth like an event', async () => {
    const r = await c.t.imports.importPaths(c.caseNumber, [write('deep.json', 900)]);
    expect([r.imported, r.rejected]).toEqual([1, 0]);
    const id = c.t.findings.list(c.caseNumber).find((f) => f.findingId === 'deep.json')!.id;
    const raw = c.t.findings.get(c.caseNumber, id).raw as { LariatTestDeep: unknown };
    // The finding is level 1, its deep field's outer array level 2: the last array kept is level 64.
    let v: unknown = raw.LariatTestDeep;
    let depth = 1;
    while (Array.isArray(v)) {
      v = v[0];
      depth++;
    }
    expect([depth, v]).toEqual([RAW_DEPTH_SHOWN, `[nested deeper than ${RAW_DEPTH_SHOWN} levels: the raw text holds the rest]`]);
  });
});

describe('clipDepth', () => {
  test('leaves a record of ordinary depth as it is (the same object)', () => {
    const r = rec(1);
    expect(clipDepth(r)).toBe(r);
  });
  test('cuts at the depth asked, keeping every key as an own field', () => {
    const v = JSON.parse('{"a":{"b":{"c":{"d":1}}},"__proto__":{"x":[[1]]}}') as unknown;
    const out = clipDepth(v, 2) as Record<string, unknown>;
    expect(JSON.stringify(out)).toBe(
      '{"a":{"b":"[nested deeper than 2 levels: the raw text holds the rest]"},"__proto__":{"x":"[nested deeper than 2 levels: the raw text holds the rest]"}}',
    );
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
  });
});
