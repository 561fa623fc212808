import fs from 'node:fs';
import { afterEach, expect, test } from 'vitest';
import type { Db } from '../../../main/db/database';
import { databaseAt } from '../../helpers/migrations';

let dir: string;
let db: Db;
afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A database at migration 10, with a case and two events, then migrated to 11. */
function open(): void {
  const old = databaseAt(10);
  dir = old.dir;
  old.db.prepare("INSERT INTO timeline_events (id, case_id, ts, source) VALUES (1, 1, 0, 'cloudtrail'), (2, 1, 0, 'cloudtrail')").run();
  db = old.upgrade(11);
}

const rule = (db: Db, level = 'high') =>
  db
    .prepare(
      `INSERT INTO detection_rules (rule_id, sha256, kind, title, level, author, origin, path, first_used) VALUES ('r1', ?, 'detection', 'T', ?, 'A', 'sigmahq', 'p', 'x')`,
    )
    .run('a'.repeat(64), level);

test('migration 11 adds the detection and indicator tables to an existing database, keeping its rows', () => {
  open();
  expect(db.pragma('user_version', { simple: true })).toBe(11);
  expect(db.prepare('SELECT count(*) AS n FROM timeline_events').get()).toEqual({ n: 2 });
  const names = (db.prepare("SELECT name FROM sqlite_master WHERE type IN ('table','index','trigger')").all() as { name: string }[]).map(
    (r) => r.name,
  );
  expect(names).toEqual(
    expect.arrayContaining([
      'detection_rules',
      'detection_scans',
      'detection_hits',
      'detection_correlations',
      'detection_correlation_events',
      'indicator_index',
      'indicator_cases',
      'detection_event_deleted',
    ]),
  );
});

test('CHECK and UNIQUE constraints refuse bad levels, origins, kinds, duplicate rule versions and two current scans', () => {
  open();
  expect(() => rule(db, 'severe')).toThrow(/CHECK/);
  rule(db);
  expect(() => rule(db)).toThrow(/UNIQUE/);
  const scan = db.prepare("INSERT INTO detection_scans (case_id, state, kind, started_at) VALUES (1, ?, 'import', 'x')");
  scan.run('current');
  expect(() => scan.run('current')).toThrow(/UNIQUE/);
  scan.run('replaced');
  expect(() => scan.run('done')).toThrow(/CHECK/);
  expect(() =>
    db.prepare("INSERT INTO indicator_index (value, case_id, kind, type, hits) VALUES ('1.2.3.4', 1, 'event', 'phone', 1)").run(),
  ).toThrow(/CHECK/);
});

test('deleting an event (an import rolled back) deletes its hits and correlation links, and nothing else', () => {
  open();
  rule(db);
  db.prepare("INSERT INTO detection_scans (id, case_id, state, kind, started_at) VALUES (1, 1, 'current', 'import', 'x')").run();
  db.prepare('INSERT INTO detection_hits (scan_id, rule, event_id) VALUES (1, 1, 1), (1, 1, 2)').run();
  db.prepare(
    "INSERT INTO detection_correlations (id, scan_id, rule, group_key, first_ts, last_ts, events) VALUES (1, 1, 1, '{}', 0, 0, 2)",
  ).run();
  db.prepare('INSERT INTO detection_correlation_events (correlation_id, event_id) VALUES (1, 1), (1, 2)').run();
  db.prepare('DELETE FROM timeline_events WHERE id = 1').run();
  expect(db.prepare('SELECT event_id FROM detection_hits').all()).toEqual([{ event_id: 2 }]);
  expect(db.prepare('SELECT event_id FROM detection_correlation_events').all()).toEqual([{ event_id: 2 }]);
  // Deleting a correlation takes its links with it.
  db.prepare('DELETE FROM detection_correlations').run();
  expect(db.prepare('SELECT count(*) AS n FROM detection_correlation_events').get()).toEqual({ n: 0 });
});
