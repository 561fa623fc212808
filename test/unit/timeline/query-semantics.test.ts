import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { makeTimeline } from './fake-evidence';
import type { TimelineFeature } from '../../../main/timeline';
import type { TestServices } from '../../helpers/services';
import type { TimelineEvent } from '../../../common/contract/timeline';
import { parseBound } from '../../../main/timeline/time-bounds';

let s: TestServices;
let t: TimelineFeature;
let caseNumber: string;
let file: string;

const ev = (i: number, name: string, extra: Record<string, unknown> = {}) => ({
  eventVersion: '1.08',
  eventTime: `2024-01-15T12:0${Math.floor(i / 10)}:${String((i % 10) * 6).padStart(2, '0')}Z`,
  eventSource: 'cloudtrail.amazonaws.com',
  eventName: name,
  awsRegion: 'eu-west-1',
  sourceIPAddress: '203.0.113.9',
  eventID: `e-${i}`,
  recipientAccountId: '111122223333',
  userIdentity: {
    type: 'AssumedRole',
    arn: `arn:aws:sts::111122223333:assumed-role/Admin/session-${i}`,
    accountId: '111122223333',
    accessKeyId: 'ASIAEXAMPLE0000001',
    sessionContext: { sessionIssuer: { type: 'Role', arn: 'arn:aws:iam::111122223333:role/Admin', userName: 'Admin' } },
  },
  ...extra,
});

beforeAll(async () => {
  ({ s, t } = makeTimeline());
  caseNumber = s.core.cases.create({ title: 'semantics', severity: 'low' }).number;
  const records = [
    ev(0, 'StopLogging'),
    ev(1, 'DeleteTrail'),
    ev(2, 'DescribeTrails', { errorCode: 'AccessDenied' }),
    ev(3, 'GetObject', { errorCode: 'AccessDenied' }),
    ev(4, 'ListUsers'),
    ev(25, 'ListRoles', {
      userIdentity: { type: 'IAMUser', userName: 'bob', arn: 'arn:aws:iam::111122223333:user/bob', accessKeyId: 'AKIAEXAMPLE0000002' },
    }),
  ];
  file = path.join(s.dataDir, 'q.json');
  fs.writeFileSync(file, JSON.stringify({ Records: records }));
  await t.imports.importPaths(caseNumber, [file]);
});
afterAll(() => s.cleanup());

const q = (extra: Record<string, unknown>): TimelineEvent[] => t.events.query({ caseNumber, limit: 1000, ...extra }).events;
const names = (events: TimelineEvent[]) => events.map((e) => e.action);

describe('filters', () => {
  test('the same column twice is OR; different columns AND', () => {
    const w = [
      { column: 'action', value: 'StopLogging' },
      { column: 'action', value: 'DeleteTrail' },
    ];
    expect(names(q({ where: w }))).toEqual(['StopLogging', 'DeleteTrail']);
    expect(names(q({ where: [...w, { column: 'errorCode', value: 'AccessDenied' }] }))).toEqual([]);
  });

  test('event names and error codes match whatever their case; ARNs and key ids only exactly', () => {
    expect(names(q({ where: [{ column: 'errorCode', value: 'accessdenied' }] }))).toEqual(['DescribeTrails', 'GetObject']);
    expect(names(q({ where: [{ column: 'action', value: 'stoplogging' }] }))).toEqual(['StopLogging']);
    expect(q({ where: [{ column: 'actor', value: 'ARN:AWS:IAM::111122223333:USER/BOB' }] })).toEqual([]);
    expect(names(q({ where: [{ column: 'actor', value: 'arn:aws:iam::111122223333:user/bob' }] }))).toEqual(['ListRoles']);
    expect(q({ where: [{ column: 'accessKeyId', value: 'akiaexample0000002' }] })).toEqual([]);
  });

  test('"everything role Admin did" is one filter, across its sessions; session names and identity types are columns', () => {
    expect(q({ where: [{ column: 'principal', value: 'admin' }] })).toHaveLength(5);
    expect(names(q({ where: [{ column: 'sessionName', value: 'session-1' }] }))).toEqual(['DeleteTrail']);
    expect(names(q({ where: [{ column: 'identityType', value: 'IAMUser' }] }))).toEqual(['ListRoles']);
  });
});

describe('times', () => {
  test('impossible dates are refused, naming what is wrong', () => {
    expect(() => q({ from: '2023-13-45' })).toThrow(/"2023-13-45" is not a valid time: there is no month 13/);
    expect(() => q({ from: '2023-02-29' })).toThrow(/2023-02 has no day 29/);
    expect(() => q({ to: '2024-01-15T24:00' })).toThrow(/there is no hour 24/);
    expect(() => q({ from: '2024-01-16', to: '2024-01-15' })).toThrow(/--from 2024-01-16 is after --to 2024-01-15/);
  });

  test('every ISO-8601 offset form means the same instant, with or without seconds', () => {
    const want = Date.parse('2024-01-15T12:02:00Z');
    for (const v of [
      '2024-01-15T14:02+02:00',
      '2024-01-15T14:02:00+02:00',
      '2024-01-15T14:02+0200',
      '2024-01-15T14:02+02',
      '2024-01-15T12:02Z',
      '2024-01-15 12:02',
    ])
      expect(parseBound(v, false), v).toBe(want);
  });

  test('--to keeps the precision given: a minute is the whole minute, a second the whole second', () => {
    expect(names(q({ from: '2024-01-15T12:00', to: '2024-01-15T12:00' }))).toEqual([
      'StopLogging',
      'DeleteTrail',
      'DescribeTrails',
      'GetObject',
      'ListUsers',
    ]);
    expect(names(q({ to: '2024-01-15T12:00:06' }))).toEqual(['StopLogging', 'DeleteTrail']);
    expect(parseBound('2024-01-15', true)).toBe(Date.parse('2024-01-15T23:59:59.999Z'));
    expect(parseBound('2024-01-15T12:02:05.5', true)).toBe(Date.parse('2024-01-15T12:02:05.599Z'));
  });
});

describe('search, order, counts', () => {
  test('a search with no letters or digits is refused with a hint instead of matching everything', () => {
    expect(() => q({ search: '%%' })).toThrow(/has no letters or digits/);
    let hint = '';
    try {
      t.events.count({ caseNumber, search: '-- ..' });
    } catch (err) {
      hint = (err as { hint: string }).hint;
    }
    expect(hint).toMatch(/use --where column=value/);
  });

  test('phrases are confirmed against the record in the file', () => {
    expect(names(q({ search: 'assumed-role/Admin/session-3' }))).toEqual(['GetObject']);
    expect(q({ search: 'assumed-role/Admin/session-33' })).toEqual([]);
  });

  test('newest first pages back through time with its own cursor', () => {
    const all = q({ sort: 'newest' });
    expect(names(all)[0]).toBe('ListRoles');
    const p1 = t.events.query({ caseNumber, sort: 'newest', limit: 2 });
    const p2 = t.events.query({ caseNumber, sort: 'newest', limit: 2, cursor: p1.nextCursor! });
    expect(names([...p1.events, ...p2.events])).toEqual(names(all).slice(0, 4));
    expect(() => t.events.query({ caseNumber, cursor: p1.nextCursor! })).toThrow(/newest-first listing/);
  });

  test('an exact count, and a histogram whose buckets add up to it', () => {
    expect(t.events.count({ caseNumber, exact: true })).toEqual({ count: 6, exact: true });
    const h = t.events.histogram({ caseNumber, buckets: 3 });
    expect(h.counts.reduce((a, b) => a + b, 0)).toBe(6);
    expect(h.bucketMs).toBe(60_000);
    expect(h.counts).toEqual([5, 0, 1]);
    expect(h.from).toBe(Date.parse('2024-01-15T12:00:00Z'));
  });

  test('an event shows its record exactly as in the file', () => {
    const [e] = q({ where: [{ column: 'action', value: 'GetObject' }] });
    const d = t.events.get(caseNumber, e!.id);
    expect(fs.readFileSync(file, 'utf8')).toContain(d.rawText);
    expect(d.raw).toMatchObject({ eventName: 'GetObject', errorCode: 'AccessDenied' });
  });
});
