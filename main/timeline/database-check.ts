import type { Db } from '../db/database';
import { checkDatabase } from '../db/database';
import type { DatabaseCheck } from '../../common/contract/timeline';
import type { Clock } from '../core/clock';
import type { Core } from '../core/core';
import type { EventBus } from '../core/events';
import type { Logger } from '../core/logger';
import type { JobContext, JobService } from '../jobs/job-service';
import { attachSearch, detachSearch, hasIpTokens, searchReplaced, setRebuilding, type TextOf } from './fts/fts-index';
import { setAsideCorruptSearch } from './fts/search-health';
import { rebuildSearchAdvice, restoreDatabaseAdvice } from '../core/faults';
import { repairSearch } from './fts/search-rewrite';
import { importRunning } from './import-recovery';

/** What the on-demand check needs: the database and its file, the jobs, the event bus, the log, a clock, and each event's search text. */
export interface DatabaseCheckDeps {
  db: Db;
  dbFile: string;
  jobs: JobService;
  events: EventBus;
  log: Pick<Logger, 'warn'>;
  clock: Clock;
  searchTextOf: TextOf;
}

/** The check's dependencies from the core services, with the search text of an event (the import service's). */
export function checkDepsOf(
  core: Pick<Core, 'db' | 'paths' | 'jobs' | 'events' | 'log' | 'clock'>,
  searchTextOf: TextOf,
): DatabaseCheckDeps {
  const { db, jobs, events, log, clock } = core;
  return { db, dbFile: core.paths.dbFile, jobs, events, log, clock, searchTextOf };
}

/**
 * What to do after a failed check. The case database holds the evidence records, so it is restored, never
 * written to. The search index is derived from it: the check itself sets a damaged one aside and rebuilds it,
 * so the advice is needed only when it could not (an import was running).
 */
export function checkHint(r: Pick<DatabaseCheck, 'database' | 'searchIndex'>, dbFile: string): string | null {
  if (r.database.join() !== 'ok') return restoreDatabaseAdvice(dbFile);
  if (r.searchIndex.join() !== 'ok')
    return `The search index is derived from the case database: an import is running, so it was not rebuilt now; once the import ends, ${rebuildSearchAdvice(dbFile)} (evidence and custody records are not affected).`;
  return null;
}

/**
 * `checkDatabase` as a job: SQLite's full integrity check of both files, then the search index brought in line
 * and, once after an upgrade, written again with its IP tokens. A search index SQLite finds damaged while the case
 * database reads clean is derived data: it is moved aside (kept) and rebuilt here, with progress and Cancel, so
 * a running app need not restart (it used to say "quit and start again"). Not while an import runs (in this
 * process or another): its search thread writes the index. Its result returns to the CLI through the job and
 * reaches the app as `databaseChecked`, since the app has only the job's id.
 */
export function startDatabaseCheck(deps: DatabaseCheckDeps): { jobId: string } {
  const { db, dbFile } = deps;
  const work = async (job: JobContext): Promise<DatabaseCheck> => {
    const importing = importRunning(db);
    // Another process (the CLI while the app runs, or the reverse) already set a damaged index aside and rebuilt
    // it: check the file now at the path, not the damaged one this connection still holds open.
    if (!importing && searchReplaced(db)) {
      detachSearch(db);
      attachSearch(db);
    }
    const result = checkDatabase(db);
    const damaged = result.searchIndex.join() !== 'ok';
    if (result.database.join() !== 'ok' || (damaged && importing))
      return { ...result, searchRepaired: 0, searchRewritten: 0, searchSetAside: null, hint: checkHint(result, dbFile) };
    let searchSetAside: string | null = null;
    if (damaged) {
      searchSetAside = setAsideCorruptSearch(db, deps.clock.now());
      deps.log.warn('search-index-damaged', { message: result.searchIndex[0], movedTo: searchSetAside, rebuilt: true, by: 'db-check' });
      // Searches are refused until every event is in the fresh index (a cancel or a kill leaves that to the next check or start).
      setRebuilding(db);
    }
    const r = await repairSearch(db, deps.searchTextOf, job, !importing);
    const notes = [
      ...(importing && !hasIpTokens(db)
        ? ['not yet written again with IP tokens: an import is running; run the check again once it ends']
        : []),
      ...(r.notCompacted ? [`the old index's space is kept for later imports (not compacted: ${r.notCompacted})`] : []),
    ];
    return {
      ...result,
      searchIndex: [...result.searchIndex, ...notes],
      searchRepaired: r.indexed,
      searchRewritten: r.rewritten,
      searchSetAside,
      hint: null,
    };
  };
  const { jobId, result } = deps.jobs.start({ kind: 'db-check', label: 'Check the database and search index', unit: 'records' }, work);
  // A failed or cancelled check has no result: the job's own record says how it ended.
  result.then((r) => deps.events.emit('databaseChecked', { ...r, jobId })).catch(() => undefined);
  return { jobId };
}
