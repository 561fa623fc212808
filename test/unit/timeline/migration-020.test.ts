import fs from 'node:fs';
import { afterEach, expect, test } from 'vitest';
import type { Db } from '../../../main/db/database';
import { openDatabase } from '../../../main/db/database';
import { m020TimelineRowChecks, ROW_CHECK_EDITS } from '../../../main/db/migrations/020-timeline-row-checks';
import { databaseAt } from '../../helpers/migrations';

let dir: string;
let db: Db;
afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const event = (d: Db, source: string, ts: number) =>
  d.prepare('INSERT INTO timeline_events (case_id, ts, source, action) VALUES (1, ?, ?, ?)').run(ts, source, `Call${ts}`);
const finding = (d: Db, severity: string, n: number) =>
  d
    .prepare(
      "INSERT INTO findings (case_id, source, finding_id, type, title, severity_label, severity_score, raw) VALUES (1, 'guardduty', ?, 't', 't', ?, 5, '{}')",
    )
    .run(`f${n}`, severity);

/** Whether SQLite builds a temporary B-tree each time it runs the INSERT (OpenEphemeral in its program). */
const buildsTempTree = (d: Db, sql: string, ...args: unknown[]) =>
  d
    .prepare(`EXPLAIN ${sql}`)
    .all(...args)
    .some((r) => (r as { opcode: string }).opcode === 'OpenEphemeral');
const trees = (d: Db) => [
  buildsTempTree(d, 'INSERT INTO timeline_events (case_id, ts, source) VALUES (?, ?, ?)', 1, 0, 'cloudtrail'),
  buildsTempTree(
    d,
    "INSERT INTO findings (case_id, source, finding_id, type, title, severity_label, severity_score, raw) VALUES (1, 'guardduty', ?, 't', 't', ?, 5, '{}')",
    'f',
    'low',
  ),
];

test('migration 20 rewrites the event and finding checks as comparisons: same rules, same rows, no temporary B-tree per insert', () => {
  const old = databaseAt(19);
  dir = old.dir;
  db = old.db;
  event(db, 'cloudtrail', 1);
  event(db, 'vpcflow', 2);
  finding(db, 'high', 1);
  expect(trees(db)).toEqual([true, true]);
  const before = [db.prepare('SELECT * FROM timeline_events ORDER BY id').all(), db.prepare('SELECT * FROM findings ORDER BY id').all()];
  db = old.upgrade(20);
  expect(db.pragma('user_version', { simple: true })).toBe(20);
  for (const e of ROW_CHECK_EDITS) {
    const sql = db.prepare('SELECT sql FROM sqlite_schema WHERE name = ?').pluck().get(e.table) as string;
    expect([e.table, sql.includes(e.to), sql.includes(e.from)]).toEqual([e.table, true, false]);
  }
  expect(trees(db)).toEqual([false, false]);
  expect([db.prepare('SELECT * FROM timeline_events ORDER BY id').all(), db.prepare('SELECT * FROM findings ORDER BY id').all()]).toEqual(
    before,
  );
  // The rules hold as before: every known value is accepted, anything else refused.
  for (const [i, s] of ['cloudtrail', 'guardduty', 'securityhub', 'vpcflow', 'lariat'].entries()) event(db, s, 10 + i);
  for (const [i, s] of ['informational', 'low', 'medium', 'high', 'critical'].entries()) finding(db, s, 10 + i);
  expect(() => event(db, 'CloudTrail', 20)).toThrow(/CHECK constraint failed/);
  expect(() => event(db, 'syslog', 21)).toThrow(/CHECK constraint failed/);
  expect(() => finding(db, 'severe', 20)).toThrow(/CHECK constraint failed/);
  expect(db.prepare('SELECT (SELECT count(*) FROM timeline_events), (SELECT count(*) FROM findings)').raw().get()).toEqual([7, 6]);
  expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  // The connection is back in SQLite's defensive mode: the schema table is out of reach of SQL again.
  expect(() => db.prepare("UPDATE sqlite_schema SET sql = sql WHERE name = 'findings'").run()).toThrow(/may not be modified/);
  // A new connection reads the edited schema, and the rows are there.
  const file = db.name;
  db.close();
  db = openDatabase(file, { check: true });
  expect(trees(db)).toEqual([false, false]);
  expect(db.prepare('SELECT count(*) FROM timeline_events').pluck().get()).toBe(7);
});

test('a new database (every migration) builds no temporary B-tree to check an event or finding row', () => {
  const fresh = databaseAt(Infinity);
  dir = fresh.dir;
  db = fresh.db;
  expect(trees(db)).toEqual([false, false]);
  event(db, 'guardduty', 1);
  expect(() => event(db, 'other', 2)).toThrow(/CHECK constraint failed/);
});

test('a migration 20 that stops before its commit leaves the schema as it was, and defensive mode on', () => {
  const old = databaseAt(19);
  dir = old.dir;
  db = old.db;
  const schema = () => db.prepare("SELECT name, sql FROM sqlite_schema WHERE name IN ('timeline_events', 'findings') ORDER BY name").all();
  const before = [schema(), db.pragma('schema_version', { simple: true })];
  // The fault: anything that fails after the edit inside the migration's transaction (a full disk at commit, a kill).
  expect(() =>
    db.transaction(() => {
      m020TimelineRowChecks.up(db);
      throw new Error('interrupted');
    })(),
  ).toThrow('interrupted');
  expect([schema(), db.pragma('schema_version', { simple: true })]).toEqual(before);
  expect(trees(db)).toEqual([true, true]);
  expect(() => db.prepare("UPDATE sqlite_schema SET sql = sql WHERE name = 'findings'").run()).toThrow(/may not be modified/);
  // Run again to the end, it applies; run once more, it finds nothing to rewrite and changes nothing.
  db.transaction(() => m020TimelineRowChecks.up(db))();
  expect(trees(db)).toEqual([false, false]);
  const applied = [schema(), db.pragma('schema_version', { simple: true })];
  db.transaction(() => m020TimelineRowChecks.up(db))();
  expect([schema(), db.pragma('schema_version', { simple: true })]).toEqual(applied);
  expect(db.pragma('writable_schema', { simple: true })).toBe(0);
});
