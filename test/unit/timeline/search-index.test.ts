import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, expect, test } from 'vitest';
import { openDatabase, writeTransaction, type Db } from '../../../main/db/database';
import { migrations } from '../../../main/db/migrations';
import { attachSearch, reconcileSearch, searchFileFor, setDirty } from '../../../main/timeline/fts/fts-index';
import { SearchWriter } from '../../../main/timeline/fts/search-writer';
import { tempDir } from '../../helpers/services';

let dir: string;
let db: Db | undefined;
afterEach(() => {
  db?.close();
  db = undefined;
  fs.rmSync(dir, { recursive: true, force: true });
});

const CASE =
  "INSERT INTO cases (number, title, severity, status, tlp, opened_at, updated_at) VALUES ('IR-2026-0001', 't', 'low', 'open', 'amber', 'x', 'x')";

function open(upTo = Infinity): Db {
  dir = tempDir();
  db = openDatabase(path.join(dir, 'lariat.db'), { migrations: migrations.filter((m) => m.version <= upTo) });
  db.prepare(CASE).run();
  return db;
}

function addEvents(d: Db, words: string[]): void {
  const ev = d.prepare("INSERT INTO timeline_events (case_id, ts, source) VALUES (1, 0, 'cloudtrail')");
  const raw = d.prepare('INSERT INTO timeline_raw (id, raw) VALUES (?, ?)');
  for (const w of words) raw.run(ev.run().lastInsertRowid, JSON.stringify({ eventName: w }));
}

const hits = (d: Db, q: string) =>
  d.prepare('SELECT rowid FROM search.timeline_fts WHERE timeline_fts MATCH ? ORDER BY rowid').pluck().all(q);

const ftsConfig = (d: Db, k: string) => d.prepare('SELECT v FROM search.timeline_fts_config WHERE k = ?').pluck().get(k);

test('migration 6 moves the full-text index to its own file, rebuilt from the raw records', () => {
  const d = open(5);
  addEvents(d, ['alpha', 'beta']);
  d.prepare("INSERT INTO timeline_fts (rowid, raw) VALUES (1, 'alpha')").run();
  d.close();
  db = openDatabase(path.join(dir, 'lariat.db'));
  expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'timeline_fts'").get()).toEqual({ n: 0 });
  expect(attachSearch(db)).toBe(path.join(dir, 'lariat-search.db'));
  expect(reconcileSearch(db)).toBe(2);
  expect(hits(db, 'beta')).toEqual([2]);
  // Keys are not indexed, values are.
  expect(hits(db, 'eventName')).toEqual([]);
});

test('reconcile drops entries past the last event and indexes the events the index lacks', () => {
  const d = open();
  attachSearch(d);
  addEvents(d, ['one', 'two', 'three']);
  const fts = d.prepare('INSERT INTO search.timeline_fts (rowid, raw) VALUES (?, ?)');
  fts.run(1, 'one');
  fts.run(9, 'ghost'); // a thread wrote it, the events' transaction never committed
  expect(reconcileSearch(d)).toBe(2);
  expect(hits(d, 'ghost')).toEqual([]);
  expect(hits(d, 'three')).toEqual([3]);
  // A gap in the middle is only found when the index is marked dirty (a thread was interrupted).
  d.prepare('DELETE FROM search.timeline_fts WHERE rowid = 2').run();
  expect(reconcileSearch(d)).toBe(0);
  setDirty(d, true);
  expect(reconcileSearch(d)).toBe(1);
  expect(hits(d, 'two')).toEqual([2]);
  expect(d.prepare("SELECT value FROM search.meta WHERE key = 'dirty'").pluck().get()).toBe(0);
});

test('a search index written by a newer Lariat is refused with what to do', () => {
  dir = tempDir();
  const file = path.join(dir, 'lariat.db');
  const future = new Database(searchFileFor(file));
  future.pragma('user_version = 99');
  future.close();
  db = openDatabase(file);
  expect(() => attachSearch(db!)).toThrow(/newer version of Lariat.*schema 99/);
});

test('the search thread indexes packed batches; if it dies, finish indexes the rest on this thread', async () => {
  const d = open();
  addEvents(d, ['red', 'green', 'blue']);
  const raws = (d.prepare('SELECT raw FROM timeline_raw ORDER BY id').pluck().all() as string[]).join('\x1e');
  const writer = new SearchWriter(d);
  expect(writer.start()).toBe(true);
  expect(d.prepare("SELECT value FROM search.meta WHERE key = 'dirty'").pluck().get()).toBe(1);
  writer.addPacked([{ ids: Float64Array.from([1, 2, 3]), raw: new Uint8Array(Buffer.from(raws)) }]);
  await writer.backlog(0);
  // While the thread runs, segments are merged less often (fewer rewrites in a big import); the default comes back after.
  expect(ftsConfig(d, 'automerge')).toBe(16);
  await writer.finish();
  expect(ftsConfig(d, 'automerge')).toBe(4);
  expect(hits(d, 'green')).toEqual([2]);
  expect(d.prepare("SELECT value FROM search.meta WHERE key = 'dirty'").pluck().get()).toBe(0);

  addEvents(d, ['cyan']);
  const broken = new SearchWriter(d);
  broken.start();
  await (broken as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
  broken.addTexts([4], ['cyan']);
  await broken.finish();
  expect(hits(d, 'cyan')).toEqual([4]);
});

test('custody writes take the case database lock only, so the search thread never blocks them', () => {
  const d = open();
  attachSearch(d);
  const thread = new Database(searchFileFor(d.name), { timeout: 0 });
  thread.exec('BEGIN IMMEDIATE');
  try {
    d.pragma('busy_timeout = 0');
    // BEGIN IMMEDIATE would lock every attached database, the busy search index included.
    expect(() => d.transaction(() => d.prepare("UPDATE cases SET title = 'x'").run()).immediate()).toThrow(/locked/);
    writeTransaction(d, () => d.prepare("UPDATE cases SET title = 'y'").run());
    expect(d.prepare('SELECT title FROM cases').pluck().get()).toBe('y');
  } finally {
    thread.exec('ROLLBACK');
    thread.close();
  }
});

test('attaching the index of an existing case writes nothing: a command started while an import writes the index does not fail with "database is locked"', () => {
  const first = open();
  attachSearch(first);
  const file = first.name;
  first.close();
  db = undefined;
  // The search thread of a running import holds the index's write lock.
  const writer = new Database(searchFileFor(file));
  writer.exec('BEGIN IMMEDIATE');
  try {
    db = openDatabase(file);
    db.pragma('busy_timeout = 100');
    expect(() => attachSearch(db!)).not.toThrow();
    expect(db.pragma('search.user_version', { simple: true })).toBe(1);
    expect(hits(db, 'anything')).toEqual([]);
  } finally {
    writer.exec('ROLLBACK');
    writer.close();
  }
});
