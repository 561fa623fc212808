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

/** A database at migration 15 holding hits one row each (two scans, two rules), then migrated to 16. */
function open(): { before: unknown[] } {
  const old = databaseAt(15);
  dir = old.dir;
  db = old.db;
  const ev = db.prepare("INSERT INTO timeline_events (id, case_id, ts, source) VALUES (?, 1, 0, 'cloudtrail')");
  for (const id of [1, 2, 3, 4, 5, 6, 4096, 4100]) ev.run(id);
  const rule = db.prepare(
    "INSERT INTO detection_rules (id, rule_id, sha256, kind, title, level, author, origin, path, first_used) VALUES (?, ?, ?, 'detection', 'T', 'high', 'A', 'sigmahq', 'p', 'x')",
  );
  rule.run(1, 'r1', 'a'.repeat(64));
  rule.run(2, 'r2', 'b'.repeat(64));
  db.prepare(
    "INSERT INTO detection_scans (id, case_id, state, kind, started_at) VALUES (1, 1, 'replaced', 'import', 'x'), (2, 1, 'current', 'rescan', 'x')",
  ).run();
  db.prepare(
    'INSERT INTO detection_hits (scan_id, rule, event_id) VALUES (1, 1, 1), (2, 1, 5), (2, 1, 2), (2, 1, 6), (2, 2, 3), (2, 1, 4100), (2, 1, 4096)',
  ).run();
  db.prepare(
    "INSERT INTO detection_correlations (id, scan_id, rule, group_key, first_ts, last_ts, events) VALUES (1, 2, 2, '{}', 0, 0, 2)",
  ).run();
  db.prepare('INSERT INTO detection_correlation_events (correlation_id, event_id) VALUES (1, 3), (1, 4)').run();
  const before = db.prepare('SELECT scan_id, rule, event_id FROM detection_hits ORDER BY scan_id, rule, event_id').all();
  db = old.upgrade();
  return { before };
}

test('migration 16 turns every stored hit into runs, one per scan and rule, and the view reads them back unchanged', () => {
  const { before } = open();
  expect(db.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(16);
  expect(db.prepare('SELECT scan_id, rule, event_id FROM detection_hits ORDER BY scan_id, rule, event_id').all()).toEqual(before);
  expect(
    db
      .prepare('SELECT scan_id, rule, first_event, last_event, n, events FROM detection_hit_runs ORDER BY scan_id, rule, first_event')
      .all(),
  ).toEqual([
    { scan_id: 1, rule: 1, first_event: 1, last_event: 1, n: 1, events: '[1]' },
    { scan_id: 2, rule: 1, first_event: 2, last_event: 6, n: 3, events: '[2,5,6]' },
    // A run stays within one block of 4,096 event ids.
    { scan_id: 2, rule: 1, first_event: 4096, last_event: 4100, n: 2, events: '[4096,4100]' },
    { scan_id: 2, rule: 2, first_event: 3, last_event: 3, n: 1, events: '[3]' },
  ]);
  // The view cannot be written: hits go through the runs (HitRunWriter).
  expect(() => db.prepare('INSERT INTO detection_hits (scan_id, rule, event_id) VALUES (2, 2, 4)').run()).toThrow(/view/);
});

test('after migration 16 a deleted event still takes its correlation links with it; the runs refuse bad bounds and JSON', () => {
  open();
  db.prepare('DELETE FROM timeline_events WHERE id = 4').run();
  expect(db.prepare('SELECT event_id FROM detection_correlation_events').all()).toEqual([{ event_id: 3 }]);
  const run = db.prepare('INSERT INTO detection_hit_runs (scan_id, rule, first_event, last_event, n, events) VALUES (2, 2, ?, ?, ?, ?)');
  expect(() => run.run(9, 8, 1, '[9]')).toThrow(/CHECK/);
  expect(() => run.run(8, 9, 1, '[8,')).toThrow(/CHECK/);
  expect(() => run.run(8, 9, -1, '[]')).toThrow(/CHECK/);
  // A run may not leave its block of 4,096 ids (the event panel's lookup relies on it).
  expect(() => run.run(4095, 4096, 2, '[4095,4096]')).toThrow(/CHECK/);
  run.run(4096, 8191, 2, '[4096,8191]');
});
