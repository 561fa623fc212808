import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, expect, test } from 'vitest';
import { openDatabase, writeTransaction, type Db } from '../../../main/db/database';
import { migrations } from '../../../main/db/migrations';
import { attachSearch, hasIpTokens, reconcileSearch, SEARCH_VERSION, setDirty } from '../../../main/timeline/fts/fts-index';
import { searchFileFor } from '../../../main/core/paths';
import { searchText } from '../../../main/timeline/search-text';
import { repairSearch } from '../../../main/timeline/fts/search-rewrite';
import { importRunning } from '../../../main/timeline/import-recovery';
import { OWNER } from '../../../main/timeline/import-log';
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
    expect(db.pragma('search.user_version', { simple: true })).toBe(SEARCH_VERSION);
    expect(hits(db, 'anything')).toEqual([]);
  } finally {
    writer.exec('ROLLBACK');
    writer.close();
  }
});

test('an index written before IP tokens is searched the old way until `db check` writes it again, whole, with them', async () => {
  dir = tempDir();
  const file = path.join(dir, 'lariat.db');
  // Version 1, as Lariat wrote it before: rows without IP tokens.
  const v1 = new Database(searchFileFor(file));
  v1.exec(`CREATE VIRTUAL TABLE timeline_fts USING fts5(raw, content='', contentless_delete=1, detail=none);
    CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) STRICT;
    INSERT INTO meta (key, value) VALUES ('dirty', 0);
    INSERT INTO timeline_fts (rowid, raw) VALUES (1, ' "10.0.1.23"'), (2, ' "10.0.1.234"');
    PRAGMA user_version = 1;`);
  v1.close();
  db = openDatabase(file);
  db.prepare(CASE).run();
  attachSearch(db);
  expect(db.pragma('search.user_version', { simple: true })).toBe(2);
  expect(hasIpTokens(db)).toBe(false);
  const raw = db.prepare('INSERT INTO timeline_raw (id, raw) VALUES (?, ?)');
  const event = db.prepare("INSERT INTO timeline_events (case_id, ts, source) VALUES (1, 0, 'cloudtrail')");
  for (const ip of ['10.0.1.23', '10.0.1.234']) raw.run(event.run().lastInsertRowid, JSON.stringify({ sourceIPAddress: ip }));
  // More events than a rebuild writes in one chunk, indexed as version 1 indexed them.
  const filler = 6000;
  db.transaction(() => {
    const old = db!.prepare('INSERT INTO search.timeline_fts (rowid, raw) VALUES (?, ?)');
    for (let i = 0; i < filler; i++) {
      const id = event.run().lastInsertRowid;
      raw.run(id, '{"eventName":"filler"}');
      old.run(id, ' "filler"}');
    }
  })();
  const all = (q: string) => db!.prepare('SELECT count(*) FROM search.timeline_fts WHERE timeline_fts MATCH ?').pluck().get(q);
  expect(hits(db, 'ipv4x10x0x1x23')).toEqual([]);
  // A normal start's repair adds what is missing only: the flag stays down.
  expect(reconcileSearch(db)).toBe(0);
  expect(hasIpTokens(db)).toBe(false);
  // A rewrite cancelled after its first chunk leaves the index as it was: every event found, the flag down.
  const textOf = (id: number) => searchText(db!.prepare('SELECT raw FROM timeline_raw WHERE id = ?').pluck().get(id) as string);
  const progress: number[] = [];
  const cancelling = {
    progress: (done: number) => progress.push(done),
    throwIfCancelled: () => {
      throw new Error('cancelled');
    },
  };
  await expect(repairSearch(db, textOf, cancelling, true)).rejects.toThrow('cancelled');
  expect(progress).toEqual([5000]);
  expect(hasIpTokens(db)).toBe(false);
  expect(hits(db, '10')).toEqual([1, 2]);
  expect(all('filler')).toBe(filler);
  expect(db.prepare("SELECT count(*) FROM search.sqlite_master WHERE name = 'timeline_fts_next'").pluck().get()).toBe(0);
  // While an import runs, no rewrite (its search thread writes the live table): only the missing rows.
  const quiet = { progress: () => undefined, throwIfCancelled: () => undefined };
  expect(await repairSearch(db, textOf, quiet, false)).toEqual({ indexed: 0, rewritten: 0 });
  expect(hasIpTokens(db)).toBe(false);
  // A rewrite killed before its swap left its table behind, half full: the next one starts afresh.
  db.exec(`CREATE VIRTUAL TABLE search.timeline_fts_next USING fts5(raw, content='', contentless_delete=1, detail=none);
    INSERT INTO search.timeline_fts_next (rowid, raw) VALUES (1, 'leftover'), (99999, 'leftover');`);
  expect(await repairSearch(db, textOf, quiet, true)).toEqual({ indexed: 0, rewritten: 2 + filler });
  expect(hits(db, 'leftover')).toEqual([]);
  expect(hasIpTokens(db)).toBe(true);
  expect(hits(db, 'ipv4x10x0x1x23')).toEqual([1]);
  expect(hits(db, 'ipv4x10x0x1x234')).toEqual([2]);
  // Every row once: the new table has each event once, the old one is gone.
  expect(hits(db, '10')).toEqual([1, 2]);
  expect(all('filler')).toBe(filler);
  expect(await repairSearch(db, textOf, quiet, true)).toEqual({ indexed: 0, rewritten: 0 });
  expect(db.prepare("SELECT value FROM search.meta WHERE key = 'dirty'").pluck().get()).toBe(0);
});

test('a new index says its rows carry IP tokens, and the search thread writes them after each record', async () => {
  const d = open();
  attachSearch(d);
  expect(hasIpTokens(d)).toBe(true);
  addEvents(d, ['10.0.1.23 and 10.0.1.23', 'none', '192.0.2.1:80']);
  const raws = (d.prepare('SELECT raw FROM timeline_raw ORDER BY id').pluck().all() as string[]).join('\x1e');
  const writer = new SearchWriter(d);
  expect(writer.start()).toBe(true);
  writer.addPacked([{ ids: Float64Array.from([1, 2, 3]), raw: new Uint8Array(Buffer.from(raws)) }]);
  await writer.finish();
  expect(hits(d, 'ipv4x10x0x1x23')).toEqual([1]);
  expect(hits(d, 'ipv4x192x0x2x1')).toEqual([3]);
  expect(hits(d, 'none')).toEqual([2]);
});

test('an import counts as running while its session row names a live process, this one included', () => {
  const d = open();
  expect(importRunning(d)).toBe(false);
  const session = d.prepare("INSERT INTO timeline_import_sessions (owner, started_at) VALUES (?, 'x')");
  session.run('some-other-host:1');
  expect(importRunning(d)).toBe(false);
  session.run(OWNER);
  expect(importRunning(d)).toBe(true);
});
