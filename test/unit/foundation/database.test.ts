import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, openDatabase, PAGE_SIZE } from '../../../main/db/database';
import { attachSearch } from '../../../main/timeline/fts/fts-index';
import { migrations } from '../../../main/db/migrations';
import type { Migration } from '../../../main/db/migrations/types';
import { perTest } from '../../helpers/temp-dirs';

const { dir } = perTest();
const dbPath = () => path.join(dir(), 'lariat.db');
const sha = (f: string) => createHash('sha256').update(fs.readFileSync(f)).digest('hex');

describe('openDatabase', () => {
  it('creates the schema at the latest version with durable settings', () => {
    const db = openDatabase(dbPath());
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.at(-1)!.version);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    db.close();
  });

  it('creates the database and its search index with 16 KiB pages, and keeps the page size of an existing file', () => {
    const db = openDatabase(dbPath());
    attachSearch(db);
    expect(PAGE_SIZE).toBe(16384);
    expect(db.pragma('page_size', { simple: true })).toBe(PAGE_SIZE);
    expect(db.pragma('search.page_size', { simple: true })).toBe(PAGE_SIZE);
    db.close();
    // A data folder made by an earlier Lariat (SQLite's 4096): opened, migrated and searched as it is.
    const old = path.join(dir(), 'old.db');
    const raw = new Database(old);
    raw.pragma('page_size = 4096');
    raw.pragma('journal_mode = WAL');
    raw.close();
    const again = openDatabase(old, { migrations: migrations.slice(0, 3) });
    attachSearch(again);
    expect(again.pragma('page_size', { simple: true })).toBe(4096);
    again.close();
    const upgraded = openDatabase(old);
    expect(upgraded.pragma('page_size', { simple: true })).toBe(4096);
    expect(upgraded.pragma('user_version', { simple: true })).toBe(migrations.at(-1)!.version);
    upgraded.close();
  });

  it('numbers migrations 1..N without gaps', () => {
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
  });

  it('refuses a database written by a newer Lariat and leaves it byte-for-byte untouched', () => {
    const file = dbPath();
    openDatabase(file).close();
    const raw = new Database(file);
    raw.pragma(`user_version = ${migrations.length + 5}`);
    raw.pragma('journal_mode = DELETE');
    raw.close();
    const before = sha(file);
    const entries = fs.readdirSync(path.dirname(file)).sort();
    expect(() => openDatabase(file)).toThrow(/newer version of Lariat \(schema \d+; this version understands up to \d+\)/);
    expect(sha(file)).toBe(before);
    expect(fs.readdirSync(path.dirname(file)).sort()).toEqual(entries);
  });

  it('refuses a truncated database with a clear message', () => {
    const file = dbPath();
    const db = openDatabase(file);
    db.prepare("INSERT INTO settings (key, value) VALUES ('k', ?)").run(JSON.stringify('x'.repeat(100_000)));
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    const size = fs.statSync(file).size;
    fs.truncateSync(file, Math.floor(size / 3));
    expect(() => openDatabase(file)).toThrow(/(cannot be read|integrity check)/);
  });

  it('rolls back a failing migration completely and keeps the previous version', () => {
    const file = dbPath();
    const good: Migration = { version: 1, name: 'one', up: (db) => db.exec('CREATE TABLE a (x INTEGER) STRICT') };
    const bad: Migration = {
      version: 2,
      name: 'two',
      up: (db) => {
        db.exec('CREATE TABLE b (x INTEGER) STRICT');
        throw new Error('boom');
      },
    };
    expect(() => openDatabase(file, { migrations: [good, bad] })).toThrow('boom');
    const db = new Database(file);
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'b'").get()).toBeUndefined();
    db.close();
  });

  it('refuses a gap in the migration list', () => {
    const db = new Database(':memory:');
    expect(() => migrate(db, [{ version: 2, name: 'skip', up: () => undefined }])).toThrow(/follows schema 0/);
    db.close();
  });
});

describe('migration 001 (foundation)', () => {
  it('creates cases, tasks, notes, assets, settings and an append-only activity log', () => {
    const db = new Database(':memory:');
    migrate(db, migrations.slice(0, 1));
    const tables = db
      .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .all()
      .map((r) => r.name);
    expect(tables).toEqual(expect.arrayContaining(['activity', 'assets', 'case_counters', 'cases', 'notes', 'settings', 'tasks']));
    db.prepare("INSERT INTO activity (at, actor, action, entity) VALUES ('t', 'a', 'x', 'y')").run();
    expect(() => db.prepare("UPDATE activity SET actor = 'b'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM activity').run()).toThrow(/append-only/);
    expect(() =>
      db
        .prepare(
          "INSERT INTO cases (number, title, severity, status, tlp, opened_at, updated_at) VALUES ('IR-1', 't', 'apocalyptic', 'open', 'red', 'x', 'x')",
        )
        .run(),
    ).toThrow(/CHECK constraint/);
    db.close();
  });
});
