import type { ErrorInfo } from '../../common/contract/errors';
import { redactText } from './redact';

/**
 * An error meant for the investigator. Services throw it with a stable code, a
 * plain-words message and a hint naming the next step; the IPC layer, the CLI
 * and the test transport all turn it into the same `ErrorInfo`.
 */
export class AppError extends Error {
  readonly code: string;
  readonly hint: string;

  constructor(code: string, message: string, hint: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AppError';
    this.code = code;
    this.hint = hint;
  }

  toInfo(): ErrorInfo {
    return { code: this.code, message: this.message, hint: this.hint };
  }
}

/** Shorthand for the most common refusal: a record the user named does not exist. */
export function notFound(what: string, id: string | number, hint = 'Check the identifier and try again.'): AppError {
  return new AppError('not-found', `${what} ${id} was not found.`, hint);
}

/** The hint of an unexpected error: it names the log file, so the investigator knows what to send. */
export function internalHint(logFile?: string | null): string {
  const where = logFile ? `the log file ${logFile}` : 'the log file (logs/lariat.log in the data folder)';
  return `Nothing was changed by the failed step. Try again; if it keeps failing, report it with ${where}.`;
}

/**
 * A refusal raised by a database trigger (`RAISE(ABORT, 'lariat:<code>|<message>|<hint>')`): the database
 * is the last line of defence for a few rules, and when it is the one that refuses, the investigator still
 * gets what happened and what to do, not an "unexpected error".
 */
const TRIGGER_REFUSAL = /^lariat:([a-z][a-z0-9-]*)\|([^|]+)\|([^|]+)$/;

/**
 * Converts anything thrown into an `ErrorInfo` without leaking a stack trace or
 * internals to the user; unexpected errors are reported generically (the caller
 * logs the original) with a hint that names the log file.
 */
export function toErrorInfo(err: unknown, logFile?: string | null): ErrorInfo {
  if (err instanceof AppError) return err.toInfo();
  const refusal = err instanceof Error ? TRIGGER_REFUSAL.exec(err.message) : null;
  if (refusal) return { code: refusal[1]!, message: refusal[2]!, hint: refusal[3]! };
  return {
    code: 'internal',
    message: `Lariat hit an unexpected error: ${redactText(err instanceof Error ? err.message : String(err))}`,
    hint: internalHint(logFile),
  };
}
