import { databaseFault } from '../db/database';
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
