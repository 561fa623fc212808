import fs from 'node:fs';
import { afterEach, expect, test } from 'vitest';
import type { Db } from '../../../main/db/database';
import { buildWhere } from '../../../main/timeline/query';
import { databaseAt } from '../../helpers/migrations';

let dir: string;
let db: Db;
afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('migration 18 indexes the events that carry issues; an issue filter reads that index and finds the same events', () => {
  const old = databaseAt(17);
  dir = old.dir;
  db = old.db;
  const add = db.prepare("INSERT INTO timeline_events (case_id, ts, source, issues) VALUES (1, ?, 'cloudtrail', ?)");
  db.transaction(() => {
    for (let i = 0; i < 3000; i++) add.run(i, i % 1000 === 7 ? 'missing-userIdentity,event-id-reused' : null);
  })();
  const ids = (where: ReturnType<typeof buildWhere>) =>
    db
      .prepare(`SELECT e.id FROM timeline_events e WHERE ${where.sql} ORDER BY e.ts, e.id`)
      .pluck()
      .all(...where.params);
  const plan = (where: ReturnType<typeof buildWhere>) =>
    (
      db.prepare(`EXPLAIN QUERY PLAN SELECT e.id FROM timeline_events e WHERE ${where.sql} ORDER BY e.ts, e.id`).all(...where.params) as {
        detail: string;
      }[]
    )
      .map((p) => p.detail)
      .join(' | ');
  const reused = buildWhere(1, { caseNumber: 'IR-2026-0001', where: [{ column: 'issue', value: 'Event-Id-Reused' }] });
  const before = ids(reused);
  expect(before).toEqual([8, 1008, 2008]);
  expect(plan(reused)).not.toMatch(/timeline_events_issues/);
  db = old.upgrade(18);
  expect(db.pragma('user_version', { simple: true })).toBe(18);
  expect(plan(reused)).toMatch(/timeline_events_issues/);
  expect(ids(reused)).toEqual(before);
  // Two codes are alternatives, still through the index; "no issues" (an empty value) cannot use it and still answers.
  const either = buildWhere(1, {
    caseNumber: 'IR-2026-0001',
    where: [
      { column: 'issue', value: 'event-id-reused' },
      { column: 'issue', value: 'missing-eventTime' },
    ],
  });
  expect(plan(either)).toMatch(/timeline_events_issues/);
  expect(ids(either)).toEqual(before);
  const none = buildWhere(1, { caseNumber: 'IR-2026-0001', where: [{ column: 'issue', value: '' }] });
  expect(ids(none)).toHaveLength(2997);
  const noneOrReused = buildWhere(1, {
    caseNumber: 'IR-2026-0001',
    where: [
      { column: 'issue', value: '' },
      { column: 'issue', value: 'event-id-reused' },
    ],
  });
  expect(ids(noneOrReused)).toHaveLength(3000);
});
