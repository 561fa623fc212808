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

test('migration 19 gives each import row its count of records kept with a held identity: 0 for rows from before, never negative', () => {
  const old = databaseAt(18);
  dir = old.dir;
  db = old.db;
  db.prepare(
    "INSERT INTO timeline_imports (case_id, file, sha256, evidence_id, duplicate, state, owner, started_at, imported, duplicates) VALUES (1, 'a.json', ?, NULL, 0, 'done', 'host:1', 'x', 7, 2)",
  ).run('a'.repeat(64));
  const before = db.prepare('SELECT * FROM timeline_imports').get() as Record<string, unknown>;
  expect(() => db.prepare('SELECT reused FROM timeline_imports').get()).toThrow(/no such column/);
  db = old.upgrade(19);
  expect(db.pragma('user_version', { simple: true })).toBe(19);
  expect(db.prepare('SELECT * FROM timeline_imports').get()).toEqual({ ...before, reused: 0 });
  db.prepare('UPDATE timeline_imports SET reused = 3').run();
  expect(() => db.prepare('UPDATE timeline_imports SET reused = -1').run()).toThrow(/CHECK/);
  expect(db.prepare('SELECT reused FROM timeline_imports').pluck().get()).toBe(3);
});
