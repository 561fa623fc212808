import type { Db } from '../db/database';
import { checkDatabase } from '../db/database';
import type { DatabaseCheck } from '../../common/contract/timeline';
import type { EventBus } from '../core/events';
import type { JobContext, JobService } from '../jobs/job-service';
import { hasIpTokens, type TextOf } from './fts/fts-index';
import { rebuildSearchAdvice } from '../core/faults';
import { repairSearch } from './fts/search-rewrite';
import { importRunning } from './import-recovery';

/** What the on-demand check needs: the database and its file, the jobs, the event bus, and each event's search text. */
export interface DatabaseCheckDeps {
  db: Db;
  dbFile: string;
  jobs: JobService;
  events: EventBus;
  searchTextOf: TextOf;
}

/**
 * What to do after a failed check. The case database holds the evidence records, so it is restored, never
 * written to; the search index is derived from it, so it is set aside and rebuilt at the next start (the same
 * thing Lariat does by itself with an index SQLite cannot open at all).
 */
export function checkHint(r: Pick<DatabaseCheck, 'database' | 'searchIndex'>, dbFile: string): string | null {
  if (r.database.join() !== 'ok')
    return `Do not write to the case database: quit Lariat and restore ${dbFile} from a backup (with its -wal file, if any); a custody export taken earlier can be verified independently.`;
  if (r.searchIndex.join() !== 'ok')
    return `The search index is derived from the case database: ${rebuildSearchAdvice(dbFile)} (evidence and custody records are not affected).`;
  return null;
}

/**
 * `checkDatabase` as a job: SQLite's full integrity check of both files, then (when they pass) the search index
 * brought in line and, once after an upgrade, written again with its IP tokens. Its result returns to the CLI
 * through the job and reaches the app as `databaseChecked`, since the app has only the job's id.
 */
export function startDatabaseCheck(deps: DatabaseCheckDeps): { jobId: string } {
  const { db, dbFile } = deps;
  const work = async (job: JobContext): Promise<DatabaseCheck> => {
    const result = checkDatabase(db);
    if (!result.ok) return { ...result, searchRepaired: 0, searchRewritten: 0, hint: checkHint(result, dbFile) };
    const importing = importRunning(db);
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
      hint: null,
    };
  };
  const { jobId, result } = deps.jobs.start({ kind: 'db-check', label: 'Check the database and search index', unit: 'records' }, work);
  // A failed or cancelled check has no result: the job's own record says how it ended.
  result.then((r) => deps.events.emit('databaseChecked', { ...r, jobId })).catch(() => undefined);
  return { jobId };
}
