import type { Db } from '../db/database';
import { EventStore } from './event-store';
import { reconcileSearch, type TextOf } from './fts/fts-index';
import { setAsideCorruptSearch } from './fts/search-health';
import { isCorrupt } from '../core/faults';
import type { RawReader } from './raw-reader';
import { rawTextOf } from './raw-store';
import { ownerAlive } from './import-support';
import { OWNER } from './import-log';

/**
 * Start-up recovery of the timeline, run once by the import service before any import: an import
 * killed mid-way must leave nothing half-written behind, and the search index must match the events.
 */

/** Told where a damaged search index went (null: it was in memory) and what SQLite said. */
export type SearchSetAside = (aside: string | null, err: Error) => void;

/**
 * Brings the search index in line with the events. A search index whose content SQLite finds damaged (while the
 * case database reads clean) is derived data: it is set aside and rebuilt whole, rather than keeping Lariat from
 * starting. Damage in the case database itself is not handled here: it is thrown, for the corrupt-database message.
 */
function reconcileIndex(db: Db, textOf: TextOf, onSetAside?: SearchSetAside): void {
  try {
    reconcileSearch(db, undefined, textOf);
  } catch (err) {
    if (!isCorrupt(err) || (db.pragma('main.quick_check') as { quick_check: string }[])[0]?.quick_check !== 'ok') throw err;
    onSetAside?.(setAsideCorruptSearch(db, new Date()), err as Error);
    reconcileSearch(db, undefined, textOf);
  }
}

/**
 * An import interrupted by a crash left rows tagged `running`: remove them so nothing
 * half-imported remains; then bring the full-text index in line with the events.
 */
export function recoverInterrupted(db: Db, store: EventStore, reader: RawReader, onSearchSetAside?: SearchSetAside): void {
  // An import running in another process now (the app while the CLI starts, or the reverse) is not to be
  // repaired: its own end leaves its indexes and search entries complete. Its per-file rows alone do not
  // show it between two groups of files (see migration 17).
  const sessions = db.prepare<[], { id: number; owner: string }>('SELECT id, owner FROM timeline_import_sessions').all();
  if (sessions.some((s) => ownerAlive(s.owner))) return;
  const running = db.prepare<[], { id: number; owner: string }>("SELECT id, owner FROM timeline_imports WHERE state = 'running'").all();
  // Another Lariat process (the app while the CLI starts, or the reverse) may be importing right now.
  const stale = running.filter((r) => !ownerAlive(r.owner));
  if (stale.length < running.length) return;
  EventStore.restoreIndexes(db);
  for (const { id } of stale) {
    db.transaction(() => {
      store.rollbackImport(id);
      db.prepare("UPDATE timeline_imports SET state = 'failed', errors = json_array('interrupted; rolled back') WHERE id = ?").run(id);
    })();
  }
  reconcileIndex(db, (id) => rawTextOf(db, reader, id), onSearchSetAside);
  // Sessions of processes that are gone: what they left was repaired above.
  const forget = db.prepare('DELETE FROM timeline_import_sessions WHERE id = ?');
  for (const s of sessions) forget.run(s.id);
}

/** Marks an import in progress in this process (committed before any of its work), until `endImportSession`. */
export function beginImportSession(db: Db, now: string): number {
  return Number(db.prepare('INSERT INTO timeline_import_sessions (owner, started_at) VALUES (?, ?)').run(OWNER, now).lastInsertRowid);
}

export function endImportSession(db: Db, id: number): void {
  db.prepare('DELETE FROM timeline_import_sessions WHERE id = ?').run(id);
}

/**
 * Whether an import is running now, in this process or another on this machine (its session row, its process
 * alive): a rewrite of the search index must not swap the table out from under its search thread.
 */
export function importRunning(db: Db): boolean {
  const owners = db.prepare<[], string>('SELECT owner FROM timeline_import_sessions').pluck().all();
  return owners.some((o) => o === OWNER || ownerAlive(o));
}
