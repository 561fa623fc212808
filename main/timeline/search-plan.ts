import type { Db } from '../db/database';
import { followSearch, searchState } from './fts/fts-index';
import { AppError } from '../core/errors';
import { ftsPlan, type SearchOptions } from './query';

/**
 * The fewest full-text candidates for which a page of search results walks the events in time order.
 * A page is the first 100 matches by time. With few candidates SQLite looks each one up and sorts them:
 * a read of each candidate's row, scattered over the database (a user name's 1,003 events: 104 ms with
 * nothing cached, 5.9 ms cached, at a million events). With many, walking the time index and keeping the
 * events in the candidate set stops after the first 100 (the same search: 5.7 ms and 4.0 ms; "ConsoleLogin",
 * 67,136 candidates: 69 ms against 7.8 ms cached). With 200 candidates spread over the whole case the walk
 * reads most of the index (20 ms cached against 0.2 ms): below this count the lookups win.
 */
export const WALK_MIN = 500;
/** The walk is taken only where it is expected to stop within about this many index entries per match found. */
const WALK_SPREAD = 1000;

/**
 * How a query's search is matched (see query.ts `SearchOptions`): by IP token where the index has them,
 * and for a page, in time order when the candidates are many. Both ways return the same events in the same
 * order; only what SQLite reads differs. Counts and histograms read every match anyway: they never walk.
 */
export function searchOptions(db: Db, search: string | undefined, page: boolean): SearchOptions {
  if (!search?.trim()) return {};
  // Another process may have rebuilt a damaged index since this connection attached it: search the rebuilt one.
  followSearch(db);
  const { ipTokens, rebuilding } = searchState(db);
  if (rebuilding)
    throw new AppError(
      'search-rebuilding',
      'The search index is being rebuilt from the case database (the old one was damaged and set aside); a search now would miss the events not yet indexed.',
      'Search again once the database check ends (Settings → Database check in the app shows its progress; `lariat db check` on the command line). If no check is running, run one: it finishes the rebuild. Filters without a search work meanwhile.',
    );
  const plan = page ? ftsPlan(search.trim(), ipTokens) : null;
  // A bulk import drops the time index until its end (event-store.ts deferIndexes): a walk would then read the table.
  if (!plan || !timeIndexed(db)) return { ipTokens };
  // Ids are distinct positive integers, so the highest is at least the number of events: a bound that needs no scan.
  const events = db.prepare<[], number | null>('SELECT max(id) FROM timeline_events').pluck().get() ?? 0;
  const enough = Math.max(WALK_MIN, Math.ceil(events / WALK_SPREAD));
  const candidates = db
    .prepare<[string, number], number>('SELECT count(*) FROM (SELECT rowid FROM search.timeline_fts WHERE timeline_fts MATCH ? LIMIT ?)')
    .pluck()
    .get(plan.match, enough)!;
  return { ipTokens, walk: candidates >= enough };
}

function timeIndexed(db: Db): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'timeline_events_time'").get() !== undefined;
}
