import { AppError, internalHint } from './errors';
import { redactText } from './redact';

/**
 * What the app shows when it cannot start (a native error box, before it quits): what happened and what to do.
 * Before, the app quit with a line on stderr that a desktop user never sees (a data folder that was a file, or
 * one they may not write, looked like Lariat did not open at all).
 */
export function startFailureText(err: unknown, logFile?: string | null): { title: string; body: string } {
  if (err instanceof AppError) return { title: 'Lariat cannot start', body: `${err.message}\n\n${err.hint}` };
  const message = redactText(err instanceof Error ? err.message : String(err));
  return { title: 'Lariat cannot start', body: `Lariat hit an unexpected error while starting: ${message}\n\n${internalHint(logFile)}` };
}
