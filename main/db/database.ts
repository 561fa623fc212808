import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { AppError } from '../core/errors';
import { migrations as allMigrations, type Migration } from './migrations';

export type Db = Database.Database;

const bindings = new WeakMap<Db, string>();

const lockers = new WeakMap<Db, Database.Statement>();

/**
 * Runs `fn` in a transaction that holds the case database's write lock from
 * its first statement, as BEGIN IMMEDIATE does (so a read-then-write, like
 * appending to the custody ledger, never meets a newer snapshot), but without
 * locking attached databases as BEGIN IMMEDIATE would: the search index is
 * written by its own thread, and custody entries must not wait for it.
 */
export function writeTransaction<T>(db: Db, fn: () => T): T {
  let lock = lockers.get(db);
  if (!lock) {
    // A write statement takes its database's write lock when it starts, even when it matches no row.
    lock = db.prepare('UPDATE main.cases SET id = id WHERE 0');
    lockers.set(db, lock);
  }
  const locked = lock;
  return db.transaction(() => {
    locked.run();
    return fn();
  })();
}

/** The better-sqlite3 binary a connection was opened with, so worker threads open theirs the same way. */
export const nativeBindingOf = (db: Db): string | undefined => bindings.get(db);

export interface OpenOptions {
  /** Path to a better-sqlite3 binary built for Electron's ABI (see scripts/electron-native.mjs). */
  nativeBinding?: string;
  /** Override the migration list (tests of the migration runner). */
  migrations?: readonly Migration[];
  readonly?: boolean;
}

/**
 * Opens (creating if needed) the case database with the durability settings
 * evidence needs: WAL so a crash never tears a committed transaction,
 * synchronous=FULL so a commit is on disk when it returns, foreign keys on.
 * A database written by a newer Lariat is refused before anything touches it.
 */
export function openDatabase(file: string, options: OpenOptions = {}): Db {
  const list = options.migrations ?? allMigrations;
  const latest = list.length === 0 ? 0 : list[list.length - 1]!.version;
  const dbOptions: Database.Options = options.nativeBinding ? { nativeBinding: options.nativeBinding } : {};
  if (fs.existsSync(file)) refuseFuture(file, latest, dbOptions);
  else {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    // Created 0600 before SQLite sees it: SQLite gives the -wal and -shm files the database's own mode.
    if (!options.readonly) fs.closeSync(fs.openSync(file, 'a', 0o600));
  }

  const db = new Database(file, { ...dbOptions, readonly: options.readonly ?? false });
  try {
    if (!options.readonly) db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    checkIntegrity(db, file);
    if (!options.readonly) migrate(db, list);
  } catch (err) {
    db.close();
    throw err;
  }
  if (options.nativeBinding) bindings.set(db, options.nativeBinding);
  return db;
}

function refuseFuture(file: string, latest: number, dbOptions: Database.Options): void {
  let version: number;
  try {
    const probe = new Database(file, { ...dbOptions, readonly: true, fileMustExist: true });
    try {
      version = probe.pragma('user_version', { simple: true }) as number;
    } finally {
      probe.close();
    }
  } catch (err) {
    throw new AppError(
      'db-unreadable',
      `The case database at ${file} cannot be read: ${(err as Error).message}.`,
      'It may be truncated or not a Lariat database. Restore it from a backup or point LARIAT_DATA_DIR at another folder; Lariat has not modified it.',
      { cause: err },
    );
  }
  if (version > latest) {
    throw new AppError(
      'db-from-future',
      `The case database at ${file} was written by a newer version of Lariat (schema ${version}; this version understands up to ${latest}).`,
      'Install the newer Lariat to open it, or choose another data folder. The database has been left untouched.',
    );
  }
}

function checkIntegrity(db: Db, file: string): void {
  const rows = db.pragma('quick_check') as { quick_check: string }[];
  if (rows.length !== 1 || rows[0]!.quick_check !== 'ok') {
    throw new AppError(
      'db-corrupt',
      `The case database at ${file} failed SQLite's integrity check: ${rows.map((r) => r.quick_check).join('; ')}.`,
      'Do not write to it. Restore it from a backup; a custody export taken earlier can be verified independently.',
    );
  }
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

/** Applies pending migrations, each in its own transaction, recording progress in `user_version`. */
export function migrate(db: Db, list: readonly Migration[] = allMigrations): number {
  let current = db.pragma('user_version', { simple: true }) as number;
  for (const m of list) {
    if (m.version <= current) continue;
    if (m.version !== current + 1) {
      throw new AppError(
        'db-migration-gap',
        `Migration ${m.version} (${m.name}) follows schema ${current}.`,
        'This build of Lariat is broken; reinstall it.',
      );
    }
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    })();
    current = m.version;
  }
  return current;
}
