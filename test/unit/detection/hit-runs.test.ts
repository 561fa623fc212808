import path from 'node:path';
import fs from 'node:fs';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { openDatabase, type Db } from '../../../main/db/database';
import { HitRunWriter, moveHitsAfter, prepareHitPrune } from '../../../main/detection/store/hit-runs';
import { eventDetections, ruleCounts } from '../../../main/detection/queries';
import { tempDir } from '../../helpers/services';

// Hits stored as runs (migration 16): one row per rule per transaction. What must hold is that every
// reader sees exactly the (rule, event) pairs written, once each, through rollbacks and rescans.

let dir: string;
let db: Db;
beforeEach(() => {
  dir = tempDir();
  db = openDatabase(path.join(dir, 'l.db'));
  db.prepare(
    "INSERT INTO cases (id, number, title, severity, status, tlp, opened_at, updated_at) VALUES (1, 'IR-2026-0001', 't', 'low', 'open', 'amber', 'x', 'x')",
  ).run();
  const rule = db.prepare(
    "INSERT INTO detection_rules (id, rule_id, sha256, kind, title, level, author, origin, path, first_used) VALUES (?, ?, ?, 'detection', ?, 'high', 'A', 'sigmahq', 'p', 'x')",
  );
  rule.run(1, 'r-one', 'a'.repeat(64), 'One');
  rule.run(2, 'r-two', 'b'.repeat(64), 'Two');
  db.prepare("INSERT INTO detection_scans (id, case_id, state, kind, started_at) VALUES (1, 1, 'current', 'import', 'x')").run();
});
afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Events 1..n of case 1, all from import `importId` (null: none). */
function events(from: number, to: number, importId: number | null = null): void {
  if (importId !== null)
    db.prepare("INSERT OR IGNORE INTO timeline_imports (id, case_id, file, state, started_at) VALUES (?, 1, 'f.json', 'done', 'x')").run(
      importId,
    );
  const ins = db.prepare("INSERT INTO timeline_events (id, case_id, ts, source, import_id) VALUES (?, 1, 0, 'cloudtrail', ?)");
  for (let id = from; id <= to; id++) ins.run(id, importId);
}

/** The view's rows for scan `scan` as "rule:event", sorted. */
const pairs = (scan = 1): string[] =>
  (db.prepare('SELECT rule, event_id FROM detection_hits WHERE scan_id = ?').all(scan) as { rule: number; event_id: number }[])
    .map((r) => `${r.rule}:${r.event_id}`)
    .sort();

test('a write stores one run per rule, sorted and without repeats, and the view expands it back into its hits', () => {
  events(1, 10);
  // refs: rule index 0 is stored rule 2, index 1 is stored rule 1.
  const w = new HitRunWriter(db, 1, [2, 1]);
  w.write([
    { rule: 0, eventId: 5 },
    { rule: 1, eventId: 3 },
    { rule: 0, eventId: 2 },
    { rule: 0, eventId: 5 },
    { rule: 1, eventId: 4 },
  ]);
  expect(db.prepare('SELECT rule, first_event, last_event, n, events FROM detection_hit_runs ORDER BY rule').all()).toEqual([
    { rule: 1, first_event: 3, last_event: 4, n: 2, events: '[3,4]' },
    { rule: 2, first_event: 2, last_event: 5, n: 2, events: '[2,5]' },
  ]);
  expect(pairs()).toEqual(['1:3', '1:4', '2:2', '2:5']);
  expect(ruleCounts(db, 1)).toEqual(
    new Map([
      ['r-one', 2],
      ['r-two', 2],
    ]),
  );
  expect(() => w.write([{ rule: 2, eventId: 1 }])).toThrow(/outside the loaded set/);
});

test('the event panel finds an event at either end of a run, inside it, and not in the gaps between its ids', () => {
  events(1, 40);
  const w = new HitRunWriter(db, 1, [1, 2]);
  w.write([10, 20, 30].map((eventId) => ({ rule: 0, eventId })));
  w.write([20, 35].map((eventId) => ({ rule: 1, eventId })));
  const rulesOf = (id: number) => eventDetections(db, 1, id).map((d) => d.ruleId);
  expect(rulesOf(10)).toEqual(['r-one']);
  expect(rulesOf(20)).toEqual(['r-one', 'r-two']);
  expect(rulesOf(30)).toEqual(['r-one']);
  expect(rulesOf(35)).toEqual(['r-two']);
  for (const id of [1, 9, 11, 25, 31, 40]) expect(rulesOf(id)).toEqual([]);
});

test('hits across a block boundary become one run per block of 4,096 ids, and the event panel finds both ends', () => {
  events(4090, 4100);
  events(8190, 8200);
  new HitRunWriter(db, 1, [1]).write([4090, 4095, 4096, 8191, 8192].map((eventId) => ({ rule: 0, eventId })));
  expect(db.prepare('SELECT first_event, last_event, events FROM detection_hit_runs ORDER BY first_event').all()).toEqual([
    { first_event: 4090, last_event: 4095, events: '[4090,4095]' },
    { first_event: 4096, last_event: 8191, events: '[4096,8191]' },
    { first_event: 8192, last_event: 8192, events: '[8192]' },
  ]);
  for (const id of [4090, 4095, 4096, 8191, 8192]) expect(eventDetections(db, 1, id).map((d) => d.ruleId)).toEqual(['r-one']);
  for (const id of [4091, 4097, 8190, 8193]) expect(eventDetections(db, 1, id)).toEqual([]);
});

test('a run starting where a stored one starts is merged into it, each id once', () => {
  events(1, 10);
  const w = new HitRunWriter(db, 1, [1]);
  w.write([1, 3].map((eventId) => ({ rule: 0, eventId })));
  w.write([1, 2, 7].map((eventId) => ({ rule: 0, eventId })));
  expect(db.prepare('SELECT first_event, last_event, n, events FROM detection_hit_runs').all()).toEqual([
    { first_event: 1, last_event: 7, n: 4, events: '[1,2,3,7]' },
  ]);
});

test('a catch-up over events an import already matched (a cancelled import) stores none of them twice', () => {
  events(1, 10);
  const w = new HitRunWriter(db, 1, [1, 2]);
  w.write([2, 4].map((eventId) => ({ rule: 0, eventId })));
  // The catch-up matches 1..10 again: the same two hits, plus one the import never stored.
  w.write(
    [
      { rule: 0, eventId: 2 },
      { rule: 0, eventId: 4 },
      { rule: 1, eventId: 4 },
      { rule: 0, eventId: 9 },
    ],
    true,
  );
  expect(pairs()).toEqual(['1:2', '1:4', '1:9', '2:4']);
});

test("rolling an import back removes its events' hits from every run, and only theirs", () => {
  events(1, 5, 1);
  events(6, 10, 2);
  events(11, 15, 1);
  db.prepare("INSERT INTO detection_scans (id, case_id, state, kind, started_at) VALUES (2, 1, 'replaced', 'rescan', 'x')").run();
  // A rescan's page mixes both imports' events in one run; import 2 also wrote runs of its own.
  new HitRunWriter(db, 2, [1]).write([3, 7, 12].map((eventId) => ({ rule: 0, eventId })));
  new HitRunWriter(db, 1, [1, 2]).write([6, 9].map((eventId) => ({ rule: 0, eventId })));
  new HitRunWriter(db, 1, [1, 2]).write([{ rule: 1, eventId: 8 }]);
  new HitRunWriter(db, 1, [1]).write([1, 14].map((eventId) => ({ rule: 0, eventId })));
  const prune = prepareHitPrune(db);
  db.transaction(() => {
    prune(2);
    db.prepare('DELETE FROM timeline_events WHERE import_id = 2').run();
  })();
  expect(pairs(1)).toEqual(['1:1', '1:14']);
  expect(pairs(2)).toEqual(['1:12', '1:3']);
  // Runs left empty are gone; counts follow.
  expect(db.prepare('SELECT count(*) AS n FROM detection_hit_runs WHERE n = 0').get()).toEqual({ n: 0 });
  expect(ruleCounts(db, 1)).toEqual(new Map([['r-one', 2]]));
  // An import with no events (or one already gone) changes nothing.
  const before = db.prepare('SELECT * FROM detection_hit_runs ORDER BY scan_id, rule, first_event').all();
  prune(2);
  prune(99);
  expect(db.prepare('SELECT * FROM detection_hit_runs ORDER BY scan_id, rule, first_event').all()).toEqual(before);
});

test('a rescan swapped in takes over the hits of events after its last one, splitting a run that straddles it', () => {
  events(1, 30);
  db.prepare("INSERT INTO detection_scans (id, case_id, state, kind, started_at) VALUES (2, 1, 'running', 'rescan', 'x')").run();
  const old = new HitRunWriter(db, 1, [1, 2]);
  old.write([2, 9, 14, 25].map((eventId) => ({ rule: 0, eventId })));
  old.write([21, 22].map((eventId) => ({ rule: 1, eventId })));
  old.write([5].map((eventId) => ({ rule: 1, eventId })));
  new HitRunWriter(db, 2, [1]).write([2, 9].map((eventId) => ({ rule: 0, eventId })));
  moveHitsAfter(db, 1, 2, 10);
  expect(pairs(2)).toEqual(['1:14', '1:2', '1:25', '1:9', '2:21', '2:22']);
  // The straddling run was copied, not cut: the old scan, deleted next by the caller (ScanStore.swapIn), keeps it.
  expect(pairs(1)).toEqual(['1:14', '1:2', '1:25', '1:9', '2:5']);
});
