import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { makeTimeline } from './fake-evidence';
import type { TimelineFeature } from '../../../main/timeline';
import type { TestServices } from '../../helpers/services';
import type { TimelineFilter } from '../../../common/contract/timeline';
import { buildWhere } from '../../../main/timeline/query';
import { searchOptions, WALK_MIN } from '../../../main/timeline/search-plan';
import { hasIpTokens } from '../../../main/timeline/fts/fts-index';

let s: TestServices;
let t: TimelineFeature;
let caseNumber: string;
let caseId: number;

const RECORDS = 1200;
/** Where each record's address is: whole, or only inside a longer number (which a search for it must not find). */
// Groups over 59, so that no minute or second of a record's time is one of their numbers.
const SPELLINGS = [
  '172.160.254.99',
  '172.160.254.991',
  '1172.160.254.99',
  '172.160.254.99:443',
  'v1.172.160.254.99',
  '172.160.254.99.5',
  '192.0.2.7',
];
const spellingOf = (i: number) => SPELLINGS[i % SPELLINGS.length]!;
/** Records are written in an order unrelated to their times, so the event ids and the time order differ. */
const minuteOf = (i: number) => (i * 389) % RECORDS;

beforeAll(async () => {
  ({ s, t } = makeTimeline());
  caseNumber = s.core.cases.create({ title: 'search plans', severity: 'low' }).number;
  caseId = s.core.cases.require(caseNumber).id;
  const records = Array.from({ length: RECORDS }, (_, i) => baseRecord(i));
  const file = path.join(s.dataDir, 'plans.json');
  fs.writeFileSync(file, JSON.stringify({ Records: records }));
  const report = await t.imports.importPaths(caseNumber, [file]);
  expect(report.imported).toBe(RECORDS);
});
afterAll(() => s.cleanup());

function baseRecord(i: number) {
  const m = minuteOf(i);
  return {
    eventVersion: '1.08',
    eventTime: new Date(Date.UTC(2024, 0, 15, 0, m, i % 60)).toISOString().replace('.000Z', 'Z'),
    eventSource: 'ec2.amazonaws.com',
    // Every record: a word with more candidates than WALK_MIN; one in 24: a rare word.
    eventName: i % 24 === 0 ? 'RareCall' : 'CommonCall',
    awsRegion: 'eu-west-1',
    sourceIPAddress: '198.51.100.1',
    userAgent: `agent ${spellingOf(i)}`,
    eventID: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    recipientAccountId: '111122223333',
    userIdentity: { type: 'IAMUser', userName: `user${i % 3}`, arn: `arn:aws:iam::111122223333:user/user${i % 3}` },
  };
}

/** Every page of a query through the service (auto plan), following the cursor. */
function pages(f: Omit<TimelineFilter, 'caseNumber'>, sort?: 'newest'): number[] {
  const out: number[] = [];
  let cursor: string | undefined;
  do {
    const page = t.events.query({ caseNumber, ...f, sort, limit: 37, cursor });
    out.push(...page.events.map((e) => e.id));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return out;
}

/** The same query with the plan chosen here: candidates looked up by id, or the time index walked. */
function direct(f: Omit<TimelineFilter, 'caseNumber'>, walk: boolean, newest = false): { ids: number[]; plan: string } {
  const { sql, params } = buildWhere(caseId, { caseNumber, ...f }, undefined, { ipTokens: true, walk });
  const order = newest ? 'e.ts DESC, e.id DESC' : 'e.ts, e.id';
  const text = `SELECT e.id FROM timeline_events e WHERE ${sql} ORDER BY ${order} LIMIT 100000`;
  const db = s.core.db;
  const plan = (db.prepare(`EXPLAIN QUERY PLAN ${text}`).all(...params) as { detail: string }[]).map((r) => r.detail).join(' | ');
  return {
    ids: db
      .prepare(text)
      .pluck()
      .all(...params) as number[],
    plan,
  };
}

const eventIdsWhere = (keep: (i: number) => boolean) =>
  Array.from({ length: RECORDS }, (_, i) => i)
    .filter(keep)
    .map((i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`)
    .sort();

describe('IP addresses', () => {
  test('a fresh index carries IP tokens, and an address is found as a whole, not inside a longer number', () => {
    expect(hasIpTokens(s.core.db)).toBe(true);
    const whole = new Set(['172.160.254.99', '172.160.254.99:443']);
    const want = eventIdsWhere((i) => whole.has(spellingOf(i)));
    const got = t.events.query({ caseNumber, search: '172.160.254.99', limit: 1000 }).events.map((e) => e.eventId!);
    expect(got.sort()).toEqual(want);
    expect(want.length).toBeGreaterThan(100);
    // Quoted, the same; a longer address is its own.
    expect(t.events.count({ caseNumber, search: '"172.160.254.99"' }).count).toBe(want.length);
    expect(t.events.count({ caseNumber, search: '172.160.254.991' }).count).toBe(
      eventIdsWhere((i) => spellingOf(i) === '172.160.254.991').length,
    );
    // Three groups are not an address: matched as before, as numbers (whole tokens: not in "1172") and then as a phrase.
    const partial = (sp: string) => sp.includes('172.160.254') && sp !== '1172.160.254.99';
    expect(t.events.count({ caseNumber, search: '172.160.254' }).count).toBe(eventIdsWhere((i) => partial(spellingOf(i))).length);
    // An address and a word: both apply.
    expect(t.events.count({ caseNumber, search: '172.160.254.99 RareCall' }).count).toBe(
      eventIdsWhere((i) => whole.has(spellingOf(i)) && i % 24 === 0).length,
    );
  });
});

test('a record that spells an address token out is not found by the address: the phrase is still confirmed', async () => {
  const forged = { ...baseRecord(RECORDS + 1), userAgent: 'ipv4x203x0x113x5 (no address here)' };
  const real = { ...baseRecord(RECORDS + 2), userAgent: 'from 203.0.113.5' };
  const file = path.join(s.dataDir, 'forged.json');
  fs.writeFileSync(file, JSON.stringify({ Records: [forged, real] }));
  expect((await t.imports.importPaths(caseNumber, [file])).imported).toBe(2);
  const found = t.events.query({ caseNumber, search: '203.0.113.5', limit: 10 }).events.map((e) => e.eventId);
  expect(found).toEqual([real.eventID]);
});

describe('walking the time index or looking candidates up', () => {
  test('many candidates walk the time index for a page; few, and counts, look them up', () => {
    expect(searchOptions(s.core.db, 'CommonCall', true)).toEqual({ ipTokens: true, walk: true });
    expect(searchOptions(s.core.db, 'RareCall', true)).toEqual({ ipTokens: true, walk: false });
    expect(searchOptions(s.core.db, 'CommonCall', false)).toEqual({ ipTokens: true });
    expect(searchOptions(s.core.db, undefined, true)).toEqual({});
    expect(RECORDS).toBeGreaterThan(WALK_MIN);
    expect(RECORDS / 24).toBeLessThan(WALK_MIN);
    expect(direct({ search: 'CommonCall' }, true).plan).toMatch(/INDEX timeline_events_time/);
    expect(direct({ search: 'CommonCall' }, false).plan).toMatch(/INTEGER PRIMARY KEY/);
    // While a bulk import has dropped the time index, a walk would read the whole table: candidates are looked up.
    s.core.db.exec('DROP INDEX timeline_events_time');
    try {
      expect(searchOptions(s.core.db, 'CommonCall', true)).toEqual({ ipTokens: true });
    } finally {
      // Its statistics too, as the import's end gives them (ANALYZE), so later plans are as before.
      s.core.db.exec('CREATE INDEX timeline_events_time ON timeline_events(case_id, ts); ANALYZE timeline_events');
    }
  });

  test('both plans give the same events in the same order, and so does every page through the service', () => {
    const filters: Omit<TimelineFilter, 'caseNumber'>[] = [
      { search: 'CommonCall' },
      { search: 'RareCall' },
      { search: '172.160.254.99' },
      { search: 'CommonCall 172.160.254.99' },
      { search: 'agent', where: [{ column: 'actor', value: 'arn:aws:iam::111122223333:user/user1' }] },
      { search: 'CommonCall', from: '2024-01-15T03:00:00Z', to: '2024-01-15T09:59:59Z' },
    ];
    for (const f of filters)
      for (const newest of [false, true]) {
        const walked = direct(f, true, newest).ids;
        expect(walked.length).toBeGreaterThan(0);
        expect(direct(f, false, newest).ids).toEqual(walked);
        expect(pages(f, newest ? 'newest' : undefined)).toEqual(walked);
      }
  });
});
