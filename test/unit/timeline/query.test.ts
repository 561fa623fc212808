import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { makeTimeline, SHARED } from './fake-evidence';
import type { TimelineFeature } from '../../../main/timeline';
import type { TestServices } from '../../helpers/services';
import type { TimelineEvent } from '../../../common/contract/timeline';

let s: TestServices;
let t: TimelineFeature;
let caseNumber: string;

beforeAll(async () => {
  ({ s, t } = makeTimeline());
  caseNumber = s.core.cases.create({ title: 'query', severity: 'low' }).number;
  await t.imports.importPaths(caseNumber, [path.join(SHARED, 'cloudtrail'), path.join(SHARED, 'guardduty')]);
});
afterAll(() => s.cleanup());

const all = (): TimelineEvent[] => {
  const out: TimelineEvent[] = [];
  let cursor: string | undefined;
  do {
    const page = t.events.query({ caseNumber, limit: 50, cursor });
    out.push(...page.events);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return out;
};

describe('timeline queries', () => {
  test('keyset pages cover every event once, in time order', () => {
    const events = all();
    expect(events).toHaveLength(t.events.count({ caseNumber }).count);
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    const times = events.filter((e) => e.time).map((e) => e.time!);
    expect([...times].sort()).toEqual(times);
  });

  test('column filters, time range and error-only match a scan of all events', () => {
    const events = all();
    const want = events.filter((e) => e.action === 'ConsoleLogin' && e.errorCode !== null).map((e) => e.id);
    const got = t.events
      .query({ caseNumber, where: [{ column: 'action', value: 'ConsoleLogin' }], errorsOnly: true, limit: 1000 })
      .events.map((e) => e.id);
    expect(got).toEqual(want);
    expect(got.length).toBeGreaterThan(0);
    const inRange = events
      .filter((e) => e.time && e.time >= '2020-09-14T00:00:00.000Z' && e.time <= '2020-09-14T23:59:59.999Z')
      .map((e) => e.id);
    expect(t.events.query({ caseNumber, from: '2020-09-14', to: '2020-09-14', limit: 1000 }).events.map((e) => e.id)).toEqual(inRange);
    expect(inRange.length).toBe(103);
  });

  test('full-text search finds exact IPs and words in the raw record', () => {
    const hits = t.events.query({ caseNumber, search: '1.2.3.4', limit: 1000 }).events;
    expect(hits.length).toBeGreaterThan(0);
    for (const h of hits) expect(JSON.stringify(t.events.get(caseNumber, h.id).raw)).toContain('1.2.3.4');
    // A token search must not match an IP that only shares its digits.
    expect(
      t.events
        .query({ caseNumber, search: '4.3.2.1' })
        .events.every((e) => JSON.stringify(t.events.get(caseNumber, e.id).raw).includes('4.3.2.1')),
    ).toBe(true);
    const pedro = t.events.count({ caseNumber, search: 'pedro' }).count;
    expect(pedro).toBe(all().filter((e) => JSON.stringify(t.events.get(caseNumber, e.id).raw).toLowerCase().includes('pedro')).length);
    expect(t.events.count({ caseNumber, search: 'zzzznotthere' }).count).toBe(0);
  });

  test('highlight rules are a filter', () => {
    const logging = t.events.query({ caseNumber, highlight: 'logging-tampered', limit: 1000 }).events;
    expect(logging.length).toBeGreaterThan(0);
    expect(
      logging.every((e) =>
        ['StopLogging', 'DeleteTrail', 'UpdateTrail', 'PutEventSelectors', 'DeleteFlowLogs', 'DeleteDetector', 'UpdateDetector'].includes(
          e.action!,
        ),
      ),
    ).toBe(true);
    const sg = t.events.query({ caseNumber, highlight: 'sg-open-world', limit: 1000 }).events;
    for (const e of sg) expect(JSON.stringify(t.events.get(caseNumber, e.id).raw)).toMatch(/0\.0\.0\.0\/0|::\/0/);
    expect(t.events.count({ caseNumber, highlight: 'any' }).count).toBeGreaterThan(logging.length);
  });

  test('flags and tags are stored, filterable and logged', () => {
    const e = t.events.query({ caseNumber, limit: 1 }).events[0]!;
    expect(t.events.flag(caseNumber, e.id, true).flagged).toBe(true);
    expect(t.events.query({ caseNumber, flagged: true }).events.map((x) => x.id)).toEqual([e.id]);
    expect(t.events.tag(caseNumber, e.id, ['initial-access', 'initial-access']).tags).toEqual(['initial-access']);
    expect(s.core.activity.list(caseNumber).map((a) => a.action)).toEqual(expect.arrayContaining(['timeline.flagged', 'timeline.tagged']));
  });

  test("Lariat's own events append as source lariat", () => {
    t.timeline.appendEvents(caseNumber, [
      { time: '2026-11-27T10:00:00Z', source: 'lariat', action: 'IsolateInstance', resource: 'i-0abc', raw: { instanceId: 'i-0abc' } },
    ]);
    const ev = t.events.query({ caseNumber, where: [{ column: 'source', value: 'lariat' }] }).events;
    expect(ev.map((e) => [e.action, e.resource, e.time])).toEqual([['IsolateInstance', 'i-0abc', '2026-11-27T10:00:00.000Z']]);
    expect(t.events.count({ caseNumber, search: 'i-0abc' }).count).toBe(1);
  });

  test('a bad cursor or time is refused with a hint', () => {
    expect(() => t.events.query({ caseNumber, cursor: 'nope' })).toThrow(/cursor is not valid/);
    expect(() => t.events.query({ caseNumber, from: 'yesterday' })).toThrow(/"yesterday" is not a valid time: not in ISO-8601 form/);
  });
});
