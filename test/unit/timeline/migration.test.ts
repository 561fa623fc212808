import { afterEach, expect, test } from 'vitest';
import { openDatabase, type Db } from '../../../main/db/database';
import { migrations } from '../../../main/db/migrations';
import { tempDir } from '../../helpers/services';
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
