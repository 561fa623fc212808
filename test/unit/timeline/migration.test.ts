import { afterEach, expect, test } from 'vitest';
import { openDatabase, type Db } from '../../../main/db/database';
import { migrations } from '../../../main/db/migrations';
import { tempDir } from '../../helpers/services';
import { databaseAt } from '../../helpers/migrations';
import path from 'node:path';
import fs from 'node:fs';

let dir: string;
let db: Db;
afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const open = () => {
  dir = tempDir();
  db = openDatabase(path.join(dir, 'l.db'), { migrations: migrations.filter((m) => m.version <= 3) });
  db.prepare(
    "INSERT INTO cases (number, title, severity, status, tlp, opened_at, updated_at) VALUES ('IR-2026-0001', 't', 'low', 'open', 'amber', 'x', 'x')",
  ).run();
};

test('migration 3 creates the timeline tables, indexes and a contentless FTS index', () => {
  open();
  const names = (db.prepare("SELECT name FROM sqlite_master WHERE type IN ('table','index')").all() as { name: string }[]).map(
    (r) => r.name,
  );
  expect(names).toEqual(
    expect.arrayContaining([
      'timeline_events',
      'timeline_raw',
      'timeline_fts',
      'timeline_imports',
      'findings',
      'iocs',
      'timeline_events_action',
      'timeline_events_ip',
    ]),
  );
  db.prepare("INSERT INTO timeline_events (case_id, ts, source) VALUES (1, 0, 'cloudtrail')").run();
  db.prepare("INSERT INTO timeline_fts (rowid, raw) VALUES (1, 'hello world')").run();
  expect(db.prepare("SELECT rowid FROM timeline_fts WHERE timeline_fts MATCH 'world'").all()).toEqual([{ rowid: 1 }]);
  // Contentless: the text is not stored twice.
  expect(db.prepare('SELECT raw FROM timeline_fts WHERE rowid = 1').get()).toEqual({ raw: null });
  db.prepare('DELETE FROM timeline_fts WHERE rowid = 1').run();
  expect(db.prepare("SELECT count(*) AS n FROM timeline_fts WHERE timeline_fts MATCH 'world'").get()).toEqual({ n: 0 });
});

test('CHECK constraints refuse bad sources, severities, TLPs and IOC types', () => {
  open();
  expect(() => db.prepare("INSERT INTO timeline_events (case_id, ts, source) VALUES (1, 0, 'syslog')").run()).toThrow(/CHECK/);
  expect(() =>
    db
      .prepare(
        "INSERT INTO findings (case_id, source, finding_id, type, title, severity_label, severity_score, raw) VALUES (1, 'guardduty', 'a', 't', 't', 'severe', 1, '{}')",
      )
      .run(),
  ).toThrow(/CHECK/);
  expect(() =>
    db
      .prepare("INSERT INTO iocs (case_id, type, value, tlp, created_at, updated_at) VALUES (1, 'ip', '1.2.3.4', 'purple', 'x', 'x')")
      .run(),
  ).toThrow(/CHECK/);
  expect(() =>
    db.prepare("INSERT INTO iocs (case_id, type, value, tlp, created_at, updated_at) VALUES (1, 'email', 'a@b', 'red', 'x', 'x')").run(),
  ).toThrow(/CHECK/);
  expect(() => db.prepare("INSERT INTO timeline_events (case_id, ts, source, flagged) VALUES (1, 0, 'lariat', 2)").run()).toThrow(/CHECK/);
});

test('migration 9 adds identity, de-duplication and raw-reference columns, NOCASE indexes and case settings, keeping old rows', () => {
  const old = databaseAt(8);
  dir = old.dir;
  old.db.prepare("INSERT INTO timeline_events (id, case_id, ts, source, action) VALUES (1, 1, 0, 'cloudtrail', 'StopLogging')").run();
  old.db.prepare('INSERT INTO timeline_raw (id, raw) VALUES (1, ?)').run('{"eventName":"StopLogging"}');
  db = old.upgrade(9);
  const cols = (db.prepare("SELECT name FROM pragma_table_info('timeline_events')").pluck().all() as string[]).join();
  for (const c of [
    'principal',
    'caller_account',
    'session_name',
    'identity_type',
    'event_type',
    'event_uid',
    'dedup',
    'raw_kind',
    'raw_offset',
    'raw_length',
  ])
    expect(cols).toContain(c);
  // An event from before keeps its raw record inline (raw_kind NULL) and matches its action in any case through the new index.
  const plan = db
    .prepare("EXPLAIN QUERY PLAN SELECT id FROM timeline_events WHERE case_id = 1 AND action = 'stoplogging' COLLATE NOCASE ORDER BY ts")
    .all() as { detail: string }[];
  expect(plan.map((p) => p.detail).join()).toMatch(/timeline_events_action/);
  expect(db.prepare("SELECT id FROM timeline_events WHERE action = 'stoplogging' COLLATE NOCASE").pluck().all()).toEqual([1]);
  expect(db.prepare('SELECT raw_kind FROM timeline_events WHERE id = 1').pluck().get()).toBeNull();
  db.prepare('INSERT INTO timeline_settings (case_id, keep_duplicates) VALUES (1, 1)').run();
  expect(() => db.prepare('INSERT INTO timeline_settings (case_id, keep_duplicates) VALUES (1, 2)').run()).toThrow(/CHECK|UNIQUE/);
  expect(() => db.prepare("UPDATE timeline_imports SET duplicates_of = 'not json'").run()).not.toThrow(); // no rows
  db.prepare("INSERT INTO timeline_imports (case_id, file, state, started_at) VALUES (1, 'f', 'done', 'x')").run();
  expect(() => db.prepare("UPDATE timeline_imports SET duplicates_of = 'not json'").run()).toThrow(/CHECK/);
});

test('migration 10 marks sample findings and events (0 for rows from before)', () => {
  dir = tempDir();
  const file = path.join(dir, 'l.db');
  db = openDatabase(file, { migrations: migrations.filter((m) => m.version <= 9) });
  db.prepare(
    "INSERT INTO cases (number, title, severity, status, tlp, opened_at, updated_at) VALUES ('IR-2026-0001', 't', 'low', 'open', 'amber', 'x', 'x')",
  ).run();
  db.prepare("INSERT INTO timeline_events (case_id, ts, source) VALUES (1, 0, 'guardduty')").run();
  db.close();
  db = openDatabase(file, { migrations: migrations.filter((m) => m.version <= 10) });
  expect(db.prepare('SELECT sample FROM timeline_events').pluck().all()).toEqual([0]);
  expect(() => db.prepare('UPDATE timeline_events SET sample = 2').run()).toThrow(/CHECK/);
  expect(db.prepare("SELECT name FROM pragma_table_info('findings') WHERE name = 'sample'").pluck().get()).toBe('sample');
});
