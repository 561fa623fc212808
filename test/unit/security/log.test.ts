import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../../main/ipc/dispatch';
import { openFileLogger, logFileOf } from '../../../main/core/logger';
import { withOperationLog } from '../../../main/ipc/operation-log';
import { cli } from '../../helpers/cli';
import { makeServices, tempDir, type TestServices } from '../../helpers/services';

const open: TestServices[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const s of open.splice(0)) s.cleanup();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
const services = () => {
  const s = makeServices();
  open.push(s);
  return s;
};
const lines = (file: string) =>
  fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('the log file', () => {
  it('has one line per operation with its outcome and error code, never its input', async () => {
    const s = services();
    const file = logFileOf(s.dataDir);
    expect(s.core.log.file).toBe(file);
    await dispatch(s.handlers, 'createCase', { title: 'Secret project AKIAIOSFODNN7EXAMPLE', severity: 'low' });
    await dispatch(s.handlers, 'getCase', { caseNumber: 'IR-2026-0999' });
    await dispatch(s.handlers, 'createCase', { title: 7 }, s.core.log);
    const ops = lines(file).filter((l) => l.event === 'op');
    expect(ops).toEqual([
      expect.objectContaining({ level: 'info', op: 'createCase', ok: true, ms: expect.any(Number) }),
      expect.objectContaining({ level: 'warn', op: 'getCase', ok: false, code: 'not-found' }),
      expect.objectContaining({ level: 'warn', op: 'createCase', ok: false, code: 'invalid-input' }),
    ]);
    expect(fs.readFileSync(file, 'utf8')).not.toContain('Secret project');
    expect((fs.statSync(file).mode & 0o777).toString(8)).toBe('600');
  });

  it('an unexpected error is logged with its stack (redacted) and its hint names the real log file', async () => {
    const s = services();
    const handlers = withOperationLog(
      {
        boom: () => {
          throw new Error('failed with key AKIAIOSFODNN7EXAMPLE and secret wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY');
        },
      },
      { log: s.core.log, dbFile: s.core.paths.dbFile },
    );
    let thrown: unknown;
    try {
      handlers.boom();
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toMatchObject({ code: 'internal', hint: expect.stringContaining(logFileOf(s.dataDir)) });
    expect((thrown as Error).message).not.toContain('AKIAIOSFODNN7EXAMPLE');
    const text = fs.readFileSync(logFileOf(s.dataDir), 'utf8');
    const last = lines(logFileOf(s.dataDir)).at(-1)!;
    expect(last).toMatchObject({ level: 'error', op: 'boom', code: 'internal', error: { stack: expect.stringContaining('log.test.ts') } });
    expect(text).not.toContain('AKIAIOSFODNN7EXAMPLE');
    expect(text).not.toContain('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY');
  });

  it('the CLI logs each command and its operations, and an internal error sends the user to that file', async () => {
    const dir = tempDir();
    dirs.push(dir);
    expect((await cli(dir, 'case', 'new', '--title', 'From the terminal')).code).toBe(0);
    expect((await cli(dir, 'case', 'show', 'IR-2026-0042')).code).toBe(1);
    const log = lines(logFileOf(dir));
    expect(log.filter((l) => l.event === 'cli')).toEqual([
      expect.objectContaining({ command: 'case new', exit: 0 }),
      expect.objectContaining({ command: 'case show', exit: 1, code: 'not-found' }),
    ]);
    expect(log.filter((l) => l.event === 'op').map((l) => [l.op, l.ok])).toEqual([
      ['createCase', true],
      ['getCase', false],
    ]);
  });

  it('rotates by size into lariat.1.log ... lariat.5.log, each 0600', () => {
    const dir = tempDir();
    dirs.push(dir);
    const log = openFileLogger(path.join(dir, 'logs'), { maxSize: 2000 });
    for (let i = 0; i < 200; i++) log.info('op', { op: 'listCases', ok: true, i });
    const files = fs.readdirSync(path.join(dir, 'logs')).sort();
    expect(files).toEqual(['lariat.1.log', 'lariat.2.log', 'lariat.3.log', 'lariat.4.log', 'lariat.5.log', 'lariat.log']);
    for (const f of files) expect((fs.statSync(path.join(dir, 'logs', f)).mode & 0o777).toString(8), f).toBe('600');
    // The newest line is in the current file, the older ones in .1 and so on.
    expect(lines(path.join(dir, 'logs', 'lariat.log')).at(-1)).toMatchObject({ i: 199 });
    expect(Number(lines(path.join(dir, 'logs', 'lariat.1.log')).at(-1)!.i)).toBeLessThan(199);
  });

  it('a log that cannot be written never stops an operation', async () => {
    const dir = tempDir();
    dirs.push(dir);
    fs.writeFileSync(path.join(dir, 'logs'), 'not a folder');
    const said: string[] = [];
    const log = openFileLogger(path.join(dir, 'logs'), { stderr: (l) => said.push(l) });
    expect(() => log.error('op', { op: 'x' })).not.toThrow();
    expect(said.join('\n')).toContain('cannot write the log file');
  });
});

describe('a database damaged while Lariat runs', () => {
  it('is reported as the corrupt-database fault, not as "unexpected error ... try again"', async () => {
    const s = services();
    for (let i = 0; i < 200; i++) s.core.cases.create({ title: `Case ${i} ${'x'.repeat(150)}`, severity: 'low' });
    s.core.db.pragma('wal_checkpoint(TRUNCATE)');
    const root = s.core.db.prepare<[], { rootpage: number }>("SELECT rootpage FROM sqlite_master WHERE name = 'cases'").get()!.rootpage;
    const pageSize = s.core.db.pragma('page_size', { simple: true }) as number;
    // Scribble over the cases table's root page, as a bad sector or a stray write would.
    const fd = fs.openSync(s.core.paths.dbFile, 'r+');
    fs.writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, (root - 1) * pageSize);
    fs.closeSync(fd);
    // Another connection writes, so this one drops its page cache and reads the damaged page.
    const other = new Database(s.core.paths.dbFile);
    other.prepare("INSERT INTO settings (key, value) VALUES ('poke', '1') ON CONFLICT(key) DO UPDATE SET value = '2'").run();
    other.close();
    const r = await dispatch(s.handlers, 'listCases', {});
    expect(r).toMatchObject({
      ok: false,
      error: {
        code: 'db-corrupt',
        message: expect.stringContaining(s.core.paths.dbFile),
        hint: `Do not write to the case database: quit Lariat and restore ${s.core.paths.dbFile} from a backup (with its -wal file, if any); a custody export taken earlier can be verified independently.`,
      },
    });
    expect(lines(logFileOf(s.dataDir)).at(-1)).toMatchObject({ level: 'error', op: 'listCases', code: 'db-corrupt' });
  });
});
