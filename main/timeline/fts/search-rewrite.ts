import type { Db } from '../../db/database';
import { attachSearch, FTS_ARGS, hasIpTokens, indexChunks, reconcileSteps, setDirty, type TextOf } from './fts-index';

/** What a job gives the repair: progress, and the investigator's cancel. */
export interface RepairJob {
  progress(done: number, total?: number | null): void;
  throwIfCancelled(): void;
}

/** What `lariat db check` did to the search index. */
export interface SearchRepair {
  /** Events the index lacked, indexed now. */
  indexed: number;
  /** Events written again with their IP tokens (the whole index, once, after an upgrade); 0 when not done. */
  rewritten: number;
  /** Why the old index's pages were not given back to the disk after a rewrite (they are reused by later imports). */
  notCompacted?: string;
}

/** The table a rewrite fills beside the live one; left over only by a rewrite that was cancelled or killed. */
const NEXT = 'timeline_fts_next';

/**
 * The search index's repair as a job's work (`lariat db check`): events it lacks are indexed, then an index
 * whose rows lack IP tokens (written before search index version 2) is written again, whole, when `rewrite`
 * (no import is running: its search thread would write into the table being replaced). That reads every
 * event's record again (about 40 s at a million events here), so it reports progress, lets the app's main
 * process answer between chunks, and stops when cancelled. The new rows go to a table of their own, swapped
 * in by one transaction at the end: until then searches read the old index, whole, and a cancel or a kill
 * leaves it as it was (`ip_tokens` down: addresses are searched the old way; the leftover table is dropped by
 * the next rewrite).
 */
export async function repairSearch(db: Db, textOf: TextOf, job: RepairJob, rewrite: boolean): Promise<SearchRepair> {
  const indexed = await runSteps(reconcileSteps(db, textOf, true), job);
  if (!rewrite || hasIpTokens(db)) return { indexed, rewritten: 0 };
  let rewritten: number;
  try {
    rewritten = await runSteps(rewriteSteps(db, textOf), job);
  } catch (err) {
    db.exec(`DROP TABLE IF EXISTS search.${NEXT}`);
    throw err;
  }
  // The old table's pages are free now: the file would keep twice the index's size. The rewrite is done whatever
  // this does; another connection writing the index at this moment only defers the space.
  try {
    db.exec('VACUUM search');
    return { indexed, rewritten };
  } catch (err) {
    return { indexed, rewritten, notCompacted: (err as Error).message };
  }
}

async function runSteps(steps: Generator<{ done: number; total: number }, number>, job: RepairJob): Promise<number> {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    job.progress(step.value.done, step.value.total);
    job.throwIfCancelled();
    await new Promise((resolve) => setImmediate(resolve));
  }
}

function drain(steps: Generator<unknown, number>): number {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** Fills the next table with every event, then swaps it in with the events added meanwhile. */
function* rewriteSteps(db: Db, textOf: TextOf): Generator<{ done: number; total: number }, number> {
  attachSearch(db);
  db.exec(`DROP TABLE IF EXISTS search.${NEXT}; CREATE VIRTUAL TABLE search.${NEXT} USING fts5(${FTS_ARGS});`);
  const ids = db.prepare('SELECT id FROM timeline_events ORDER BY id').pluck().all() as number[];
  let written = yield* indexChunks(db, NEXT, ids, textOf);
  const last = ids.at(-1) ?? 0;
  db.transaction(() => {
    // Events another process added meanwhile (Lariat's own, a response action's) are indexed in the same commit.
    const later = db.prepare('SELECT id FROM timeline_events WHERE id > ? ORDER BY id').pluck().all(last) as number[];
    written += drain(indexChunks(db, NEXT, later, textOf));
    db.exec(`DROP TABLE search.timeline_fts; ALTER TABLE search.${NEXT} RENAME TO timeline_fts;`);
    db.prepare("UPDATE search.meta SET value = 1 WHERE key = 'ip_tokens'").run();
    setDirty(db, false);
  })();
  return written;
}
