import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { makeTimeline } from './fake-evidence';
import { tempDir, type TestServices } from '../../helpers/services';
import type { TimelineFeature } from '../../../main/timeline';
import { packBuffer } from '../../../main/timeline/packed';
import { CELL, WIDTH } from '../../../main/timeline/packed-file';
import { parseTime } from '../../../main/timeline/importers/types';

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
  });
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
  let s: TestServices;
  let t: TimelineFeature;
  let caseNumber: string;
  beforeAll(() => {
    ({ s, t } = makeTimeline());
    caseNumber = s.core.cases.create({ title: 'hostile records', severity: 'low' }).number;
  });
  afterAll(() => s.cleanup());

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
    const r = await t.imports.importPaths(caseNumber, [file]);
    expect([r.imported, r.rejected, r.flagged]).toEqual([3, 1, 2]);
    expect(r.files[0]!.truncated).toBe(false);
    expect(r.files[0]!.errors.join('\n')).toContain('record 2: nested too deeply to be read');
    const events = t.events.query({ caseNumber, limit: 10 }).events;
    const byId = Object.fromEntries(events.map((e) => [e.eventId, [e.time, e.issues]]));
    expect(byId).toEqual({
      'id-1': [null, ['invalid-eventTime']],
      'id-3': [null, ['invalid-eventTime']],
      'id-4': ['2024-01-01T00:00:04.000Z', []],
    });
  });
});
