import fs from 'node:fs';
import path from 'node:path';
import electronLog from 'electron-log/node';
import { redactValue } from './redact';

export type LogLevel = 'info' | 'warn' | 'error';

/**
 * What Lariat did, outside the case database: one JSON line per operation (channel, how it was
 * reached, outcome, error code, duration) and per failure, in `logs/lariat.log` of the data folder.
 * Every line goes through the one redaction (main/core/redact.ts) before it is written; operation
 * inputs are never logged, only their channel names.
 */
export interface Logger {
  /** Absolute path of the current log file, named by hints that send the investigator to it; null when not logging to a file. */
  readonly file: string | null;
  write(level: LogLevel, event: string, fields?: Record<string, unknown>): void;
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
}

export const LOG_FILE_NAME = 'lariat.log';
/** Rotation: the current file plus this many older ones (`lariat.1.log` is the newest), each up to MAX_SIZE bytes. */
export const LOG_ROTATE = 5;
const MAX_SIZE = 10 * 1024 * 1024;
/** A runaway message (a 200 kB note in an error) is cut, so one line stays readable. */
const MAX_STRING = 8192;

/** Where the log of a data folder lives (the folder is created 0700, the files 0600). */
export function logFileOf(dataDir: string): string {
  return path.join(dataDir, 'logs', LOG_FILE_NAME);
}

let instances = 0;

/**
 * A rotating log file (electron-log's Node file transport: synchronous appends, so a line is in the
 * file when `write` returns, even if the process dies next; size-based rotation to `lariat.1.log` ...
 * `lariat.5.log`; files created 0600 whatever the umask). Works the same in the app, the CLI and
 * tests (no Electron needed). Writing never throws: a log that cannot be written is reported once on
 * stderr and Lariat carries on.
 */
export function openFileLogger(dir: string, options: { stderr?: (line: string) => void; maxSize?: number } = {}): Logger {
  const file = path.join(dir, LOG_FILE_NAME);
  const stderr = options.stderr ?? ((line: string) => process.stderr.write(`${line}\n`));
  let broken = false;
  const fail = (err: unknown) => {
    if (broken) return;
    broken = true;
    stderr(`[lariat] cannot write the log file ${file}: ${err instanceof Error ? err.message : String(err)}`);
  };
  const log = electronLog.create({ logId: `lariat-${process.pid}-${++instances}` });
  for (const [name, transport] of Object.entries(log.transports)) if (name !== 'file' && transport) transport.level = false;
  const t = log.transports.file;
  t.level = 'info';
  t.sync = true;
  t.maxSize = options.maxSize ?? MAX_SIZE;
  t.writeOptions = { flag: 'a', mode: 0o600, encoding: 'utf8' };
  t.resolvePathFn = () => file;
  // The line is already formatted (and redacted) JSON: write it as is.
  t.format = ({ message }) => [String(message.data[0])];
  t.archiveLogFn = (current) => rotate(current.toString(), LOG_ROTATE, fail);
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (err) {
    fail(err);
  }
  const logger: Logger = {
    file,
    write(level, event, fields = {}) {
      if (broken) return;
      try {
        log[level](formatLine(level, event, fields));
      } catch (err) {
        fail(err);
      }
    },
    info: (event, fields) => logger.write('info', event, fields),
    warn: (event, fields) => logger.write('warn', event, fields),
    error: (event, fields) => logger.write('error', event, fields),
  };
  return logger;
}

/** lariat.log -> lariat.1.log -> ... -> lariat.N.log (the oldest is dropped). Renames keep the 0600 mode. */
function rotate(file: string, keep: number, fail: (err: unknown) => void): void {
  const { dir, name, ext } = path.parse(file);
  const nth = (i: number) => path.join(dir, `${name}.${i}${ext}`);
  try {
    fs.rmSync(nth(keep), { force: true });
    for (let i = keep - 1; i >= 1; i--) if (fs.existsSync(nth(i))) fs.renameSync(nth(i), nth(i + 1));
    fs.renameSync(file, nth(1));
  } catch (err) {
    fail(err);
  }
}

/** One redacted JSON line. Exported for the tests that check redaction line by line. */
export function formatLine(level: LogLevel, event: string, fields: Record<string, unknown>): string {
  const body = redactValue(fields, { maxString: MAX_STRING, maxDepth: 6 }) as Record<string, unknown>;
  return JSON.stringify({ t: new Date().toISOString(), level, event, ...body });
}

/** A logger that drops everything (unit tests of pieces that log, and `--help`). */
export const silentLogger: Logger = {
  file: null,
  write() {},
  info() {},
  warn() {},
  error() {},
};

/** A logger that keeps its lines in memory, for tests. */
export function memoryLogger(): Logger & { lines: { level: LogLevel; event: string; fields: Record<string, unknown> }[] } {
  const lines: { level: LogLevel; event: string; fields: Record<string, unknown> }[] = [];
  const l = {
    lines,
    file: null,
    write(level: LogLevel, event: string, fields: Record<string, unknown> = {}) {
      lines.push({ level, event, fields: redactValue(fields) as Record<string, unknown> });
    },
    info: (event: string, fields?: Record<string, unknown>) => l.write('info', event, fields),
    warn: (event: string, fields?: Record<string, unknown>) => l.write('warn', event, fields),
    error: (event: string, fields?: Record<string, unknown>) => l.write('error', event, fields),
  };
  return l;
}
