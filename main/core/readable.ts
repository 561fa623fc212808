import fs from 'node:fs';
import { AppError } from './errors';

/** The hint for a path this user may not read: what to change, and that nothing was done. */
export const UNREADABLE_HINT =
  'Give your user read access (for example `chmod u+r` on a file, `chmod u+rx` on a folder, or run Lariat as its owner), or copy it somewhere you can read, then try again. Nothing was changed.';

/** Whether an error from the file system means "this user may not read it" rather than "it is not there". */
export function isDenied(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return code === 'EACCES' || code === 'EPERM';
}

/**
 * The refusal for a path the file system would not let Lariat read (`what`: "the file", "the folder"), or null
 * when the error is not a permission error. Read raw, a permission error ended as an "unexpected error".
 */
export function deniedError(what: string, file: string, err: unknown): AppError | null {
  if (!isDenied(err)) return null;
  const code = (err as NodeJS.ErrnoException).code;
  return new AppError('file-unreadable', `${what} ${file} cannot be read: permission denied (${code}).`, UNREADABLE_HINT, {
    cause: err,
  });
}

/** Throws the refusal for a file this user may not read (`fs.access` R_OK); a file that may be read passes. */
export function requireReadable(what: string, file: string): void {
  try {
    fs.accessSync(file, fs.constants.R_OK);
  } catch (err) {
    const denied = deniedError(what, file, err);
    if (denied) throw denied;
  }
}
