import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { AppError } from '../core/errors';
import { restoreDatabaseAdvice } from '../core/faults';
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

/** Why an open ran SQLite's integrity check, or `skipped` (a clean close, nothing changed since). */
export type OpenCheck = 'skipped' | 'unclean-shutdown' | 'upgrade' | 'size-mismatch' | 'forced';
const openChecks = new WeakMap<Db, OpenCheck>();

/** Whether (and why) opening this connection checked the database. */
export const openCheckOf = (db: Db): OpenCheck | undefined => openChecks.get(db);

export interface OpenOptions {
  /** Path to a better-sqlite3 binary built for Electron's ABI (see scripts/electron-native.mjs). */
  nativeBinding?: string;
  /** Override the migration list (tests of the migration runner). */
  migrations?: readonly Migration[];
  readonly?: boolean;
  /** Run SQLite's integrity check at open whatever the state (`lariat db check`, tests). */
  check?: boolean;
}

/**
 * Clean-shutdown markers: each process that opens the database read-write
 * leaves a file `<db>.open/<host>-<pid>` while it has it open, removed when
 * it closes it. A marker of a process that no longer runs on this host means
 * that process stopped without closing (a crash, kill -9, power loss): the next
 * open checks the whole database. A clean close leaves nothing, so opening a
 * million-event case reads no more than its header.
 */
const markerDir = (file: string) => `${file}.open`;
const markerName = () => `${os.hostname()}-${process.pid}`;
const markerUses = new Map<string, number>();

function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Markers left by processes of this host that are gone: the database was not closed cleanly. */
function staleMarkers(file: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(markerDir(file));
  } catch {
    return [];
  }
  const host = `${os.hostname()}-`;
  return names.filter((n) => n.startsWith(host) && /^\d+$/.test(n.slice(host.length)) && !processAlive(Number(n.slice(host.length))));
}

function takeMarker(file: string): () => void {
  const dir = markerDir(file);
  const marker = path.join(dir, markerName());
  const uses = markerUses.get(marker) ?? 0;
  if (uses === 0) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(marker, '');
  }
  markerUses.set(marker, uses + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const left = (markerUses.get(marker) ?? 1) - 1;
    markerUses.set(marker, left);
    if (left === 0) {
      markerUses.delete(marker);
      fs.rmSync(marker, { force: true });
    }
  };
}

/**
 * The header's page count against the file's size: a file cut short (a bad
 * copy, a full disk) is smaller than its header says. O(1): read 100 bytes.
 * In WAL mode a database file can be behind its WAL, never shorter than its header.
 */
function sizeMismatch(file: string): boolean {
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const h = Buffer.alloc(100);
      if (fs.readSync(fd, h, 0, 100, 0) < 100) return false;
      const pageSize = h.readUInt16BE(16) === 1 ? 65536 : h.readUInt16BE(16);
      const pages = h.readUInt32BE(28);
      const valid = h.readUInt32BE(92) === h.readUInt32BE(24);
      return valid && pages > 0 && fs.fstatSync(fd).size < pages * pageSize;
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return false;
  }
}

/**
 * Page size of a database Lariat creates (the case database and its search index; SQLite's default is
 * 4096). A bulk import builds ten indexes after the load, each a full scan of the events table, and
 * commits every page twice (WAL, then the database): with 16 KiB pages those are a quarter of the
 * system calls and B-tree pages. At a million CloudTrail records the import's main thread spent 2-3 s
 * less CPU (~20 s instead of ~23 s) for ~14 % more bytes written. Fixed when a file is created: existing
 * data folders keep their size, and read the same.
 */
export const PAGE_SIZE = 16384;

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

  const existed = fs.existsSync(file);
  const stale = existed && !options.readonly ? staleMarkers(file) : [];
  const db = new Database(file, { ...dbOptions, readonly: options.readonly ?? false });
  let release: (() => void) | null = null;
  try {
    // Only an empty file takes a page size; the WAL journal mode below fixes it.
    if (!options.readonly && fs.statSync(file).size === 0) db.pragma(`page_size = ${PAGE_SIZE}`);
    if (!options.readonly) db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    const version = db.pragma('user_version', { simple: true }) as number;
    // Check the whole database only when there is a reason to: never on a clean reopen.
    const reason: OpenCheck = options.check
      ? 'forced'
      : stale.length
        ? 'unclean-shutdown'
        : existed && version > 0 && version < latest
          ? 'upgrade'
          : existed && sizeMismatch(file)
            ? 'size-mismatch'
            : 'skipped';
    if (reason !== 'skipped') checkIntegrity(db, file);
    openChecks.set(db, reason);
    if (!options.readonly) {
      migrate(db, list);
      release = takeMarker(file);
      for (const m of stale) fs.rmSync(path.join(markerDir(file), m), { force: true });
    }
  } catch (err) {
    db.close();
    throw err;
  }
  if (release) {
    // Closing the connection is the clean shutdown: the marker goes with it.
    const close = db.close.bind(db);
    const done = release;
    db.close = () => {
      close();
      done();
      return db;
    };
  }
  if (options.nativeBinding) bindings.set(db, options.nativeBinding);
  return db;
}

/**
 * `lariat db check`: SQLite's full integrity check of the case database and of
 * the search index (every page, index and constraint); minutes on a big case.
 */
export function checkDatabase(db: Db): { ok: boolean; database: string[]; searchIndex: string[] } {
  const run = (sql: string): string[] => {
    try {
      return (db.pragma(sql) as Record<string, string>[]).map((r) => Object.values(r)[0]!);
    } catch (err) {
      // SQLite may stop at the first damaged page it cannot read: that is the finding.
      return [(err as Error).message];
    }
  };
  // `main.`: without a schema SQLite checks every attached file, and a damaged search index read as a damaged case database.
  const database = run('main.integrity_check');
  const hasSearch = (db.pragma('database_list') as { name: string }[]).some((d) => d.name === 'search');
  const searchIndex = hasSearch ? run('search.integrity_check') : ['ok'];
  return { ok: database.join() === 'ok' && searchIndex.join() === 'ok', database, searchIndex };
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
      restoreDatabaseAdvice(file),
    );
  }
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
