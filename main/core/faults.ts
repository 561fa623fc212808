import { AppError, toErrorInfo } from './errors';

/**
 * What an error thrown by an operation means for the investigator: an AppError as it is, a damaged
 * database as the corrupt-database message (never "unexpected error ... try again"), anything else as
 * `internal` with a hint naming the real log file.
 */
export function classifyFault(err: unknown, where: { dbFile: string; logFile: string | null }): AppError {
  if (err instanceof AppError) return err;
  const damaged = databaseFault(err, where.dbFile);
  if (damaged) return damaged;
  const info = toErrorInfo(err, where.logFile);
  return new AppError(info.code, info.message, info.hint, { cause: err });
}

/** SQLite result codes (and the messages worker threads pass on without a code) that mean the file itself is damaged. */
const CORRUPT_CODE = /^SQLITE_(CORRUPT|NOTADB)/;
const CORRUPT_MESSAGE = /database disk image is malformed|file is not a database|database corruption/i;

/**
 * Corruption found while running (a damaged page read long after the open-time check) is the same
 * fault as at open: the corrupt-database message, never "unexpected error ... try again".
 * Returns null for anything else.
 */
export function databaseFault(err: unknown, file: string): AppError | null {
  if (!(err instanceof Error) || err instanceof AppError) return null;
  const code = (err as Error & { code?: unknown }).code;
  if ((typeof code === 'string' && CORRUPT_CODE.test(code)) || CORRUPT_MESSAGE.test(err.message)) {
    return new AppError(
      'db-corrupt',
      `The case database at ${file} is damaged: ${err.message}.`,
      'Do not write to it. Restore it from a backup; a custody export taken earlier can be verified independently.',
      { cause: err },
    );
  }
  return null;
}
