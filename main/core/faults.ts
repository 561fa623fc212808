import { AppError, toErrorInfo } from './errors';
import { searchFileFor } from './paths';

/**
 * What an error thrown by an operation means for the investigator: an AppError as it is, a damaged
 * database as the corrupt-database message (never "unexpected error ... try again"), anything else as
 * `internal` with a hint naming the real log file.
 */
export function classifyFault(err: unknown, where: { dbFile: string; logFile: string | null; db?: CheckableDb }): AppError {
  if (err instanceof AppError) return err;
  const damaged = databaseFault(err, where.dbFile, where.db);
  if (damaged) return damaged;
  const info = toErrorInfo(err, where.logFile);
  return new AppError(info.code, info.message, info.hint, { cause: err });
}

/** SQLite result codes (and the messages worker threads pass on without a code) that mean the file itself is damaged. */
const CORRUPT_CODE = /^SQLITE_(CORRUPT|NOTADB)/;
const CORRUPT_MESSAGE = /database disk image is malformed|file is not a database|database corruption/i;
/** FTS5's own corruption messages ("fts5: corruption found reading blob 10 from table ..."). */
const SEARCH_MESSAGE = /^fts5: /;

/** The part of a database connection the fault check uses (structural: core does not import the database module). */
export interface CheckableDb {
  pragma(source: string): unknown;
}

/**
 * Whether the search index attached to `db` is where the damage is. SQLite's "database disk image is malformed"
 * does not say which attached file it read, so the index (the smaller file, derived data) is checked now: only
 * on the failure path, where a few seconds are nothing beside telling the investigator the wrong file.
 */
function searchIsDamaged(db: CheckableDb): boolean {
  try {
    if (!(db.pragma('database_list') as { name: string }[]).some((d) => d.name === 'search')) return false;
    const rows = db.pragma('search.quick_check') as Record<string, string>[];
    return !(rows.length === 1 && Object.values(rows[0]!)[0] === 'ok');
  } catch (err) {
    return isCorrupt(err);
  }
}

/** Whether an error is SQLite finding damaged content (by code, or by the message a worker thread passes on), not a lock or a bug. */
export function isCorrupt(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as Error & { code?: unknown }).code;
  return (typeof code === 'string' && CORRUPT_CODE.test(code)) || CORRUPT_MESSAGE.test(err.message);
}

/**
 * How a damaged case database is dealt with, as every message about one says it (at open, while running, and the
 * database check): it holds the evidence records, so it is restored from a backup, never written to.
 */
export function restoreDatabaseAdvice(dbFile: string): string {
  return `Do not write to the case database: quit Lariat and restore ${dbFile} from a backup (with its -wal file, if any); a custody export taken earlier can be verified independently.`;
}

/**
 * How a damaged search index is rebuilt, as every message about one says it (the faults here and `lariat db check`):
 * the check does it in place, in the app or on the command line; no restart, no file to move by hand.
 */
export function rebuildSearchAdvice(dbFile: string): string {
  return `run the database check (in the app: Settings → Database check; on the command line: \`lariat db check\`), which moves ${searchFileFor(dbFile)} aside (kept) and rebuilds it from the case database`;
}

/**
 * Corruption found while running (a damaged page read long after the open-time check) is the same
 * fault as at open: the corrupt-database message, never "unexpected error ... try again". Damage in the search
 * index (FTS5 names itself; otherwise `db`'s index is checked) is told apart: the case database's advice, restore
 * the evidence records from a backup and write nothing, would be wrong and costly for a file Lariat rebuilds.
 * Returns null for anything else.
 */
export function databaseFault(err: unknown, file: string, db?: CheckableDb): AppError | null {
  if (!(err instanceof Error) || err instanceof AppError || !isCorrupt(err)) return null;
  if (SEARCH_MESSAGE.test(err.message) || (db && searchIsDamaged(db))) {
    const search = searchFileFor(file);
    return new AppError(
      'search-corrupt',
      `The search index at ${search} is damaged: ${err.message}. It is derived from the case database, which holds the evidence records.`,
      `Searches fail until it is rebuilt: ${rebuildSearchAdvice(file)}, after checking the case database itself. Filters without a search still work.`,
      { cause: err },
    );
  }
  return new AppError('db-corrupt', `The case database at ${file} is damaged: ${err.message}.`, restoreDatabaseAdvice(file), {
    cause: err,
  });
}
