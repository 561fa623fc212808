import fs from 'node:fs';
import path from 'node:path';
import { AppError } from './errors';

const CHOOSE = 'choose a data folder you can write to (the CLI reads it from $LARIAT_DATA_DIR; it is created if missing)';
/** What to do, by what is wrong: a permission, a file in the way, a file system that refuses. */
const HINTS = {
  access: (dir: string) => `Give your user access to it (chmod u+rwx ${dir}, or run as its owner), or ${CHOOSE}.`,
  file: () => `Move that file away, or ${CHOOSE}.`,
  place: () => `Put the data folder on a disk you can write to: ${CHOOSE}.`,
};

function unusable(dir: string, why: string, kind: keyof typeof HINTS, cause?: unknown): AppError {
  return new AppError('data-folder-unusable', `The data folder ${dir} cannot be used: ${why}.`, HINTS[kind](dir), { cause });
}

const code = (err: unknown) => (err as NodeJS.ErrnoException | null)?.code;

/**
 * Makes sure the data folder is a folder this user may write, creating it (and missing parents, 0700) level by
 * level. Node's `mkdirSync(..., { recursive: true })` never returns where a file system refuses new folders with
 * ENOENT (`/proc/x` looped forever), and a data folder that was a file, a folder of another user or a path through a
 * file ended as an "unexpected error" (EEXIST, ENOTDIR, EACCES) before anything could say what to do.
 */
export function ensureDataFolder(
  dir: string,
  databaseFile?: string,
  vaultDir?: string,
  /** Folders Lariat keeps inside it (keys, vault, logs, the open markers): each, where it exists, must be a folder. */
  folders: readonly string[] = [],
): void {
  const missing: string[] = [];
  let at = path.resolve(dir);
  for (;;) {
    let st: fs.Stats;
    try {
      st = fs.statSync(at);
    } catch (err) {
      if (code(err) === 'ENOENT' && path.dirname(at) !== at) {
        missing.unshift(at);
        at = path.dirname(at);
        continue;
      }
      if (code(err) === 'ENOTDIR') throw unusable(dir, 'a part of its path is a file, not a folder', 'file', err);
      if (code(err) === 'EACCES' || code(err) === 'EPERM')
        throw unusable(dir, `permission denied looking into ${path.dirname(at)}`, 'access', err);
      throw unusable(dir, `${at} cannot be looked at (${code(err) ?? String(err)})`, 'place', err);
    }
    if (!st.isDirectory())
      throw unusable(dir, at === path.resolve(dir) ? 'it is a file, not a folder' : `${at} is a file, not a folder`, 'file');
    break;
  }
  for (const level of missing) {
    try {
      fs.mkdirSync(level, { mode: 0o700 });
    } catch (err) {
      if (code(err) === 'EEXIST' && fs.statSync(level).isDirectory()) continue; // made meanwhile by another Lariat
      if (code(err) === 'EACCES' || code(err) === 'EPERM')
        throw unusable(dir, `permission denied creating ${level} (${code(err)})`, 'access', err);
      if (code(err) === 'EROFS') throw unusable(dir, `${path.dirname(level)} is on a read-only file system`, 'place', err);
      throw unusable(dir, `the file system does not let ${level} be created (${code(err) ?? String(err)})`, 'place', err);
    }
  }
  try {
    fs.accessSync(dir, fs.constants.R_OK | fs.constants.W_OK | fs.constants.X_OK);
  } catch (err) {
    throw unusable(dir, `your user may not write in it (${code(err) ?? String(err)})`, 'access', err);
  }
  for (const f of folders) {
    // Followed: a vault linked to another disk on purpose is a folder.
    let st: fs.Stats | undefined;
    try {
      st = fs.statSync(f);
    } catch {
      st = fs.lstatSync(f, { throwIfNoEntry: false }); // a link to nothing is refused; nothing at all is made when needed
      if (!st) continue;
    }
    if (!st.isDirectory())
      throw new AppError(
        'data-folder-damaged',
        `The data folder ${dir} cannot be used: ${f} should be a folder of Lariat's but is ${st.isSymbolicLink() ? 'a symbolic link to nothing' : 'a file'} (damaged or replaced); Lariat has not changed anything.`,
        `Restore ${path.basename(f)} from a backup of the data folder, or move it away if it holds nothing of yours (Lariat makes the folder again when it is missing).`,
      );
  }
  if (databaseFile && vaultDir) refuseLostDatabase(dir, databaseFile, vaultDir);
  if (databaseFile && fs.existsSync(databaseFile)) {
    try {
      fs.accessSync(databaseFile, fs.constants.R_OK | fs.constants.W_OK);
    } catch (err) {
      throw unusable(dir, `your user may not write its case database ${databaseFile} (${code(err) ?? String(err)})`, 'access', err);
    }
  }
}

/**
 * A case database that is gone or empty beside a vault that holds cases' evidence was deleted, truncated or replaced
 * (an attacker with write access, a failed restore, a sync tool). Opening it would start a new, empty database: the
 * next case would be numbered as an old one and its evidence would go into that case's vault folder beside the old
 * evidence. Refused instead, before anything is created.
 */
function refuseLostDatabase(dir: string, databaseFile: string, vaultDir: string): void {
  if ((fs.statSync(databaseFile, { throwIfNoEntry: false })?.size ?? 0) > 0) return;
  let cases: string[] = [];
  try {
    cases = fs
      .readdirSync(vaultDir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
  } catch {
    return; // no vault yet: a new data folder
  }
  if (cases.length === 0) return;
  const named = cases.length > 5 ? `${cases.slice(0, 5).join(', ')} and ${cases.length - 5} more` : cases.join(', ');
  throw new AppError(
    'database-lost',
    `The data folder ${dir} cannot be used: its case database ${databaseFile} is ${fs.existsSync(databaseFile) ? 'empty' : 'missing'}, but its vault holds the evidence of ${cases.length} case${cases.length === 1 ? '' : 's'} (${named}). The database was deleted, truncated or replaced; Lariat has not changed anything.`,
    `Restore ${path.basename(databaseFile)} from a backup. To start over instead, move the whole data folder away (keep it: it holds evidence) and start with an empty one.`,
  );
}
