import fs from 'node:fs';
import { searchFileFor } from '../../core/paths';
import { PAGE_SIZE, type Db } from '../../db/database';
import { AppError } from '../../core/errors';
import { searchText } from '../search-text';

/** The schema name the search database is attached under. */
export const SEARCH_SCHEMA = 'search';
/**
 * Version of the search database's schema; a newer one is refused, like the case database. 2: rows carry
 * IP tokens (search-text.ts `ipToken`), and `meta.ip_tokens` says whether every row does (an index of
 * version 1 has none until `lariat db check` rebuilds it). An older Lariat refuses version 2, so it cannot
 * add rows without them to an index that says every row has them.
 */
export const SEARCH_VERSION = 2;

/** The index table's FTS5 arguments (also of the table a rewrite builds beside it). */
export const FTS_ARGS = "raw, content='', contentless_delete=1, detail=none";

/**
 * Its own file so a second thread can build it while the main thread writes
 * events: SQLite lets two connections write two files at once, never one.
 * Contentless, detail=none: it only maps tokens to event ids; the raw JSON
 * lives once, in `timeline_raw`, and exact phrases are checked against it.
 * `meta.dirty` is set while a thread writes it, so a crash is repaired at the next start.
 * `meta.ip_tokens` is 1 when every row carries its IPv4 addresses' tokens: set when the index is created
 * empty, or once a rebuild has written every row again; a search for an address uses the token only then.
 * `meta.rebuilding` (absent until needed: no schema change) is 1 while a fresh index replacing a damaged one is
 * filled: searches are refused until it is whole, rather than answered from part of it (see search-plan.ts).
 */
export const SEARCH_DDL = `
  CREATE VIRTUAL TABLE IF NOT EXISTS search.timeline_fts USING fts5(${FTS_ARGS});
  CREATE TABLE IF NOT EXISTS search.meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) STRICT;
  INSERT OR IGNORE INTO search.meta (key, value) VALUES ('dirty', 0);
  INSERT OR IGNORE INTO search.meta (key, value)
    SELECT 'ip_tokens', CASE WHEN EXISTS (SELECT 1 FROM search.timeline_fts) THEN 0 ELSE 1 END;
`;

/** Each connection's attached index: its path, and which file was at that path then (see searchReplaced). */
const attached = new WeakMap<Db, { file: string; identity: string | null }>();

/** The file now at `file`'s path (device and inode), null when none: a file set aside keeps its inode, a new one has another. */
function fileIdentity(file: string): string | null {
  if (file === ':memory:') return null;
  try {
    const st = fs.statSync(file);
    return `${st.dev}:${st.ino}`;
  } catch {
    return null;
  }
}

/**
 * Attaches the full-text index to a case database connection (once per
 * connection) and creates its schema. Every reader and writer of the index
 * names it `search.timeline_fts`. Returns the file path.
 */
export function attachSearch(db: Db): string {
  const known = attached.get(db);
  if (known) return known.file;
  const file = searchFileFor(db.name);
  const list = db.pragma('database_list') as { name: string }[];
  if (!list.some((d) => d.name === SEARCH_SCHEMA)) db.prepare('ATTACH DATABASE ? AS search').run(file);
  // A new index file takes the case database's page size (FTS5 keeps its segments as blobs: fewer overflow pages).
  if (file !== ':memory:' && db.pragma('search.page_count', { simple: true }) === 0) db.pragma(`search.page_size = ${PAGE_SIZE}`);
  if (file !== ':memory:') db.pragma('search.journal_mode = WAL');
  // Derived data: a commit lost to a power cut is re-indexed from timeline_raw at the next start.
  db.pragma('search.synchronous = NORMAL');
  const version = db.pragma('search.user_version', { simple: true }) as number;
  if (version > SEARCH_VERSION) {
    throw new AppError(
      'db-from-future',
      `The search index at ${file} was written by a newer version of Lariat (schema ${version}; this version understands up to ${SEARCH_VERSION}).`,
      'Install the newer Lariat, or delete that file: Lariat rebuilds the search index from the case database at the next start.',
    );
  }
  // Written only when it is not in place yet: a command started while an import's search thread holds the
  // index's write lock must not wait for it, or fail with "database is locked" (it did, at every start).
  if (version < SEARCH_VERSION || !searchSchemaReady(db)) {
    db.transaction(() => {
      db.exec(SEARCH_DDL);
      db.pragma(`search.user_version = ${SEARCH_VERSION}`);
    }).immediate();
  }
  attached.set(db, { file, identity: fileIdentity(file) });
  return file;
}

/**
 * Whether the index file at the path is no longer the one this connection attached: another Lariat process (the
 * CLI's `db check` while the app runs, or the reverse) set a damaged index aside and put a rebuilt one there. This
 * connection still reads the damaged file through its open handle until it attaches again (see followSearch).
 * A path with no file at all is not a replacement (the open handle still reads the index, whole).
 */
export function searchReplaced(db: Db): boolean {
  const known = attached.get(db);
  if (!known || known.file === ':memory:') return false;
  const now = fileIdentity(known.file);
  return now !== null && now !== known.identity;
}

/**
 * Attaches the index now at the path when another process replaced it (searchReplaced), so this connection searches
 * the rebuilt index instead of failing on the damaged one until a restart. Never inside a transaction (SQLite
 * cannot detach there): the caller's statement then reads the old file, as before. Costs one stat.
 */
export function followSearch(db: Db): void {
  if (db.inTransaction || !searchReplaced(db)) return;
  detachSearch(db);
  attachSearch(db);
}

/** The index's state for a search: every row has IP tokens; a fresh index is being filled (not searchable yet). */
export function searchState(db: Db): { ipTokens: boolean; rebuilding: boolean } {
  attachSearch(db);
  const meta = db
    .prepare<[], { key: string; value: number }>("SELECT key, value FROM search.meta WHERE key IN ('ip_tokens', 'rebuilding')")
    .all();
  const value = (key: string) => meta.find((m) => m.key === key)?.value === 1;
  return { ipTokens: value('ip_tokens'), rebuilding: value('rebuilding') };
}

/** Marks a fresh index as being filled in place of a damaged one (searchState), until reconcileSteps has indexed every event. */
export function setRebuilding(db: Db): void {
  attachSearch(db);
  db.prepare("INSERT INTO search.meta (key, value) VALUES ('rebuilding', 1) ON CONFLICT (key) DO UPDATE SET value = 1").run();
}

/**
 * Detaches the full-text index from a connection and forgets it was attached, so the next `attachSearch` opens the
 * file again (a fresh one, after a damaged index was moved aside: see search-health.ts).
 */
export function detachSearch(db: Db): void {
  if ((db.pragma('database_list') as { name: string }[]).some((d) => d.name === SEARCH_SCHEMA)) db.prepare('DETACH DATABASE search').run();
  attached.delete(db);
}

/** True when everything SEARCH_DDL creates is there (read only: no lock that a writer could hold). */
function searchSchemaReady(db: Db): boolean {
  const tables = db
    .prepare("SELECT count(*) FROM search.sqlite_master WHERE type = 'table' AND name IN ('timeline_fts', 'meta')")
    .pluck()
    .get() as number;
  return tables === 2 && db.prepare("SELECT count(*) FROM search.meta WHERE key IN ('dirty', 'ip_tokens')").pluck().get() === 2;
}

/** Whether every row of the index carries its IP tokens (see SEARCH_DDL), so an address can be searched as one token. */
export function hasIpTokens(db: Db): boolean {
  return searchState(db).ipTokens;
}

/** Marks the index as being written by a thread (set durably before, cleared once it is complete). */
export function setDirty(db: Db, dirty: boolean): void {
  db.prepare("UPDATE search.meta SET value = ? WHERE key = 'dirty'").run(dirty ? 1 : 0);
}

/**
 * Brings the index in line with the events after a crash or an upgrade:
 * removes entries past the last event (their ids would otherwise be reused)
 * and indexes events it lacks: those past its last entry, or, when a thread
 * was interrupted (dirty) or `force` (`lariat db check`), every one missing. Returns the events indexed.
 * (An index whose rows lack IP tokens is written again by search-rewrite.ts, not here.)
 */
export function reconcileSearch(
  db: Db,
  onProgress?: (done: number) => void,
  textOf?: (id: number) => string | null,
  force = false,
): number {
  const steps = reconcileSteps(db, textOf, force);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    onProgress?.(step.value.done);
  }
}

/** A search text for an event: its record's, keys stripped, IP tokens added; null when its record cannot be read. */
export type TextOf = (id: number) => string | null;

/** The text of records kept in the database: without a reader (tests of the index alone), only those can be indexed. */
export function inlineTextOf(db: Db): TextOf {
  const inline = db.prepare<[number], string>('SELECT raw FROM timeline_raw WHERE id = ?').pluck();
  return (id) => {
    const raw = inline.get(id);
    return raw === undefined ? null : searchText(raw);
  };
}

/** Indexes `ids` into `table` in committed chunks, yielding the events done and to do after each; returns those indexed. */
export function* indexChunks(db: Db, table: string, ids: number[], text: TextOf): Generator<{ done: number; total: number }, number> {
  // eslint-disable-next-line no-restricted-syntax -- the table is one of the two fixed names of search-rewrite.ts and this file
  const insert = db.prepare(`INSERT INTO search.${table} (rowid, raw) VALUES (?, ?)`);
  const chunk = 5000;
  let indexed = 0;
  for (let i = 0; i < ids.length; i += chunk) {
    db.transaction(() => {
      for (const id of ids.slice(i, i + chunk)) {
        const t = text(id);
        if (t === null) continue;
        insert.run(id, t);
        indexed++;
      }
    })();
    yield { done: Math.min(ids.length, i + chunk), total: ids.length };
  }
  return indexed;
}

/** reconcileSearch one committed chunk at a time (see indexChunks). */
export function* reconcileSteps(db: Db, textOf: TextOf | undefined, force: boolean): Generator<{ done: number; total: number }, number> {
  attachSearch(db);
  // A rebuild interrupted (cancelled, killed) is finished like a dirty index: every event it lacks.
  const { rebuilding } = searchState(db);
  const dirty =
    force ||
    rebuilding ||
    (db.prepare("SELECT value FROM search.meta WHERE key = 'dirty'").get() as { value: number } | undefined)?.value === 1;
  const maxEvent = (db.prepare('SELECT coalesce(max(id), 0) AS n FROM timeline_events').get() as { n: number }).n;
  db.prepare('DELETE FROM search.timeline_fts WHERE rowid > ?').run(maxEvent);
  const maxIndexed = (db.prepare('SELECT coalesce(max(rowid), 0) AS n FROM search.timeline_fts').get() as { n: number }).n;
  const ids = (
    dirty
      ? db.prepare('SELECT id FROM timeline_events WHERE id NOT IN (SELECT rowid FROM search.timeline_fts) ORDER BY id').pluck().all()
      : db.prepare('SELECT id FROM timeline_events WHERE id > ? ORDER BY id').pluck().all(maxIndexed)
  ) as number[];
  const indexed = yield* indexChunks(db, 'timeline_fts', ids, textOf ?? inlineTextOf(db));
  if (dirty) setDirty(db, false);
  if (rebuilding) db.prepare("DELETE FROM search.meta WHERE key = 'rebuilding'").run();
  return indexed;
}
