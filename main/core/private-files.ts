import fs from 'node:fs';
import path from 'node:path';
import type { Paths } from './paths';

/** Owner-only: what every file Lariat creates gets (0600 files, 0700 folders) whatever umask it was started with. */
export const PRIVATE_UMASK = 0o077;

/**
 * Makes every file this process creates from now on private to the user, whoever creates it: SQLite
 * (databases, -wal, -shm, the search index), worker threads, the key store, the log, and exports
 * written outside the data folder (reports, bundles, custody exports). Explicit modes where Lariat
 * opens a file itself (database 0600, log 0600, folders 0700) make the same promise without it; the
 * umask covers files created by code that names no mode. Process-wide, set once at start by the
 * composition root. Worker threads cannot change it (and need not: it is per process).
 */
export function applyPrivateUmask(): void {
  try {
    process.umask(PRIVATE_UMASK);
  } catch {
    // In a worker thread process.umask(mask) throws; the main thread's setting applies to it anyway.
  }
}

const DB_FILE = /^lariat(-search)?\.db(-wal|-shm|-journal)?$/;

/**
 * Checks at start that nobody widened the data folder: the folder itself and its keys/logs/vault
 * folders 0700, the databases (with -wal, -shm and the search index), key files and log files
 * without any group or other permission. A widened one is tightened back and named in the warning
 * returned (the caller logs it and tells the user). Nothing to check on Windows, where the data
 * folder's ACL (the user's profile) is what protects it.
 */
export function checkPrivateFiles(paths: Pick<Paths, 'dataDir' | 'keysDir' | 'logsDir' | 'vaultDir'>): string[] {
  if (process.platform === 'win32') return [];
  const warnings: string[] = [];
  const tighten = (file: string, kind: 'folder' | 'file') => {
    let st: fs.Stats;
    try {
      st = fs.lstatSync(file);
    } catch {
      return; // not there (yet): nothing to check
    }
    // Symbolic links are not followed: chmod would change what they point to.
    if (kind === 'folder' ? !st.isDirectory() : !st.isFile()) return;
    const mode = st.mode & 0o777;
    if ((mode & 0o077) === 0) return;
    const wanted = kind === 'folder' ? 0o700 : mode & 0o700 || 0o600;
    const rel = path.relative(paths.dataDir, file) || 'the data folder';
    try {
      fs.chmodSync(file, wanted);
      warnings.push(`${rel} (${file}) was open to other users (mode ${octal(mode)}); Lariat set it back to ${octal(wanted)}.`);
    } catch (err) {
      warnings.push(
        `${rel} (${file}) is open to other users (mode ${octal(mode)}) and Lariat could not change it (${(err as Error).message}): run chmod ${octal(wanted)} on it.`,
      );
    }
  };
  tighten(paths.dataDir, 'folder');
  for (const dir of [paths.keysDir, paths.logsDir, paths.vaultDir]) tighten(dir, 'folder');
  for (const name of list(paths.dataDir)) if (DB_FILE.test(name)) tighten(path.join(paths.dataDir, name), 'file');
  for (const dir of [paths.keysDir, paths.logsDir]) for (const name of list(dir)) tighten(path.join(dir, name), 'file');
  return warnings;
}

const octal = (mode: number) => `0${mode.toString(8).padStart(3, '0')}`;

function list(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}
