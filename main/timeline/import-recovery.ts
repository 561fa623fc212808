import type { Db } from '../db/database';
import { EventStore } from './event-store';
import { reconcileSearch } from './fts/fts-index';
import type { RawReader } from './raw-reader';
import { rawTextOf } from './raw-store';
import { ownerAlive } from './import-support';

/**
 * Start-up recovery of the timeline, run once by the import service before any import: an import
 * killed mid-way must leave nothing half-written behind, and the search index must match the events.
 */

/**
 * An import interrupted by a crash left rows tagged `running`: remove them so nothing
 * half-imported remains; then bring the full-text index in line with the events.
 */
export function recoverInterrupted(db: Db, store: EventStore, reader: RawReader): void {
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
  reconcileSearch(db, undefined, (id) => rawTextOf(db, reader, id));
}
