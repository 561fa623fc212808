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

test('migration 17 adds the import sessions table, empty, next to the import rows it leaves unchanged', () => {
  const old = databaseAt(16);
  dir = old.dir;
  db = old.db;
  db.prepare(
    "INSERT INTO timeline_imports (case_id, file, sha256, evidence_id, duplicate, state, owner, started_at) VALUES (1, 'a.json', ?, NULL, 0, 'done', 'host:1', 'x')",
  ).run('a'.repeat(64));
  const before = db.prepare('SELECT * FROM timeline_imports').all();
  expect(() => db.prepare('SELECT count(*) FROM timeline_import_sessions').get()).toThrow(/no such table/);
  db = old.upgrade(17);
  expect(db.pragma('user_version', { simple: true })).toBe(17);
  expect(db.prepare('SELECT * FROM timeline_imports').all()).toEqual(before);
  expect(db.prepare('SELECT count(*) AS n FROM timeline_import_sessions').get()).toEqual({ n: 0 });
  db.prepare("INSERT INTO timeline_import_sessions (owner, started_at) VALUES ('laptop:4242', '2026-12-02T08:00:00Z')").run();
  // An owner is a host and a process id; an empty one would read as a dead process and be repaired at once.
  expect(() => db.prepare("INSERT INTO timeline_import_sessions (owner, started_at) VALUES ('', 'x')").run()).toThrow(/CHECK/);
});
