import fs from 'node:fs';
import Database from 'better-sqlite3';
import type { Db } from '../../db/database';
import { searchFileFor } from '../../core/paths';
import { detachSearch } from './fts-index';

/** SQLite's answers for a file that is not (or no longer) a database it can read. */
const DAMAGED = new Set(['SQLITE_NOTADB', 'SQLITE_CORRUPT']);

/**
 * Whether a search index file is there but SQLite cannot read it (overwritten, truncated mid-page, a sync tool's
 * conflict copy). Reads page 1 only (the header and the schema): no scan, so opening a case stays cheap.
 * Anything else (locked, no permission) is not "damaged": the normal open says what it is.
 */
export function searchDamaged(file: string, nativeBinding?: string): boolean {
  if (file === ':memory:' || !fs.existsSync(file) || fs.statSync(file).size === 0) return false;
  let probe: Database.Database | undefined;
  try {
    probe = new Database(file, { readonly: true, fileMustExist: true, ...(nativeBinding ? { nativeBinding } : {}) });
    probe.pragma('schema_version');
    return false;
  } catch (err) {
    return DAMAGED.has((err as { code?: string }).code ?? '');
  } finally {
    probe?.close();
  }
}

/**
 * The search index is derived data (rebuilt from the case database whenever it lacks entries), so a damaged one
 * (see searchDamaged) is moved aside, kept for whoever wants to look at it, and a fresh index is rebuilt at open.
 * Before, every timeline command then failed with "unexpected error: file is not a database". Returns where the
 * damaged file went, or null when it reads.
 */
export function setAsideDamagedSearch(file: string, now: Date, nativeBinding?: string): string | null {
  if (!searchDamaged(file, nativeBinding)) return null;
  return moveAside(file, now);
}

function moveAside(file: string, now: Date): string {
  const aside = `${file}.damaged-${now.toISOString().replace(/[:.]/g, '-')}`;
  for (const suffix of ['', '-wal', '-shm']) if (fs.existsSync(file + suffix)) fs.renameSync(file + suffix, aside + suffix);
  return aside;
}

/**
 * An index whose first page reads but whose content does not: SQLite finds it only when it reads the damaged
 * part, first at the start-up reconciliation (which reads the index's tail). Before, that threw out of the start
 * and Lariat would not open at all. It is handled as an unreadable file is: detached, moved aside (kept), and
 * attached fresh, for the caller to rebuild from the case database. Returns where it went (null in memory).
 */
export function setAsideCorruptSearch(db: Db, now: Date): string | null {
  const file = searchFileFor(db.name);
  detachSearch(db);
  return file === ':memory:' ? null : moveAside(file, now);
}
