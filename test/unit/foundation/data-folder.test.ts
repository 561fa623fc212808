import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cli } from '../../helpers/cli';
import { perTest } from '../../helpers/temp-dirs';
import { ensureDataFolder } from '../../../main/core/data-folder';
import { AppError } from '../../../main/core/errors';
import { startFailureText } from '../../../main/core/start-failure';

const { dir: tempDir } = perTest();
afterEach(() => vi.restoreAllMocks());

const errno = (code: string, syscall: string, p: string) =>
  Object.assign(new Error(`${code}: ${syscall} '${p}'`), { code, syscall, path: p });

/** The refusal ensureDataFolder throws for `dir` (fails the test when it throws nothing or something else). */
function refusal(dir: string, db?: string): AppError {
  try {
    ensureDataFolder(dir, db);
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('data-folder-unusable');
    return err as AppError;
  }
  throw new Error(`${dir} was accepted`);
}

/**
 * The fault: a data folder that cannot be one ($LARIAT_DATA_DIR mistyped, pointed at a file, at a folder of another
 * user, at a file system that refuses folders). Each ended as "Lariat hit an unexpected error: EEXIST/ENOTDIR/EACCES",
 * and on /proc the CLI never returned (Node's recursive mkdir retries ENOENT forever). Each is now said, with the fix.
 */
describe('the data folder', () => {
  it('a file is refused by the CLI, and left as it was', async () => {
    const file = path.join(tempDir(), 'not-a-folder');
    fs.writeFileSync(file, 'mine');
    for (const dir of [file, path.join(file, 'sub')]) {
      const r = await cli(dir, 'case', 'list');
      expect(r.code, dir).toBe(1);
      expect(r.err).toMatch(
        dir === file
          ? `error: The data folder ${file} cannot be used: it is a file, not a folder.`
          : `error: The data folder ${dir} cannot be used: a part of its path is a file, not a folder.`,
      );
      expect(r.err).toContain('hint: Move that file away, or choose a data folder you can write to');
      expect(r.err).not.toContain('unexpected');
    }
    expect(fs.readFileSync(file, 'utf8')).toBe('mine');
  });

  it('a missing folder is created, each missing level private (0700)', () => {
    const base = tempDir();
    const dir = path.join(base, 'a', 'b', 'data');
    ensureDataFolder(dir);
    for (const level of [path.join(base, 'a'), path.join(base, 'a', 'b'), dir]) {
      expect(fs.statSync(level).isDirectory()).toBe(true);
      if (process.platform !== 'win32') expect(fs.statSync(level).mode & 0o777).toBe(0o700);
    }
    ensureDataFolder(dir); // already there: nothing to do
  });

  it.runIf(process.platform === 'linux')('a file system that refuses new folders (/proc) is said, and the call returns', () => {
    const e = refusal('/proc/lariat-data-folder-test');
    expect(e.message).toBe(
      'The data folder /proc/lariat-data-folder-test cannot be used: the file system does not let /proc/lariat-data-folder-test be created (ENOENT).',
    );
    expect(e.hint).toMatch(/^Put the data folder on a disk you can write to/);
  });

  it('a folder where new folders may not be made, or the data folder itself, without write access', () => {
    const base = tempDir();
    const mkdir = fs.mkdirSync;
    vi.spyOn(fs, 'mkdirSync').mockImplementation(((p: fs.PathLike, o?: fs.MakeDirectoryOptions) => {
      if (String(p) === path.join(base, 'locked')) throw errno('EACCES', 'mkdir', String(p));
      return mkdir(p, o);
    }) as typeof fs.mkdirSync);
    const created = refusal(path.join(base, 'locked', 'data'));
    expect(created.message).toContain(`permission denied creating ${path.join(base, 'locked')} (EACCES)`);
    expect(created.hint).toMatch(/^Give your user access to it \(chmod u\+rwx /);
    vi.restoreAllMocks();

    const existing = path.join(base, 'existing');
    fs.mkdirSync(existing);
    const db = path.join(existing, 'lariat.db');
    fs.writeFileSync(db, '');
    const access = fs.accessSync;
    let denied = existing;
    vi.spyOn(fs, 'accessSync').mockImplementation((p, mode) => {
      if (String(p) === denied) throw errno('EACCES', 'access', String(p));
      return access(p, mode);
    });
    expect(refusal(existing, db).message).toBe(`The data folder ${existing} cannot be used: your user may not write in it (EACCES).`);
    denied = db;
    expect(refusal(existing, db).message).toBe(
      `The data folder ${existing} cannot be used: your user may not write its case database ${db} (EACCES).`,
    );
  });
});

describe('when the app cannot start', () => {
  it('says what happened and what to do (the error box the app shows before it quits)', () => {
    const file = path.join(tempDir(), 'not-a-folder');
    fs.writeFileSync(file, '');
    const shown = startFailureText(refusal(file));
    expect(shown.title).toBe('Lariat cannot start');
    expect(shown.body).toBe(
      `The data folder ${file} cannot be used: it is a file, not a folder.\n\nMove that file away, or choose a data folder you can write to (the CLI reads it from $LARIAT_DATA_DIR; it is created if missing).`,
    );
  });
  it('an unexpected error names the log file, with secrets redacted', () => {
    const shown = startFailureText(new Error('boom AKIAIOSFODNN7EXAMPLE'), '/data/logs/lariat.log');
    expect(shown.body).toContain('Lariat hit an unexpected error while starting: boom');
    expect(shown.body).not.toContain('AKIAIOSFODNN7EXAMPLE');
    expect(shown.body).toContain('/data/logs/lariat.log');
  });
});

/**
 * The fault: a folder Lariat keeps inside the data folder (keys, vault, logs, the open markers) replaced by a file or
 * a link to nothing. Each ended as "unexpected error: EEXIST/ENOTDIR, mkdir"; now refused by name before anything is
 * done. A vault linked to another disk on purpose is a folder and is used.
 */
describe("Lariat's own folders inside the data folder", () => {
  it.each(['keys', 'vault', 'logs', 'lariat.db.open'])('%s replaced by a file is refused by name', async (name) => {
    const dir = tempDir();
    expect((await cli(dir, 'case', 'list')).code).toBe(0);
    const f = path.join(dir, name);
    fs.rmSync(f, { recursive: true, force: true });
    fs.writeFileSync(f, 'x');
    const r = await cli(dir, 'case', 'list');
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      `error: The data folder ${dir} cannot be used: ${f} should be a folder of Lariat's but is a file (damaged or replaced); Lariat has not changed anything.`,
    );
    expect(r.err).toContain(`hint: Restore ${name} from a backup of the data folder`);
    expect(fs.readFileSync(f, 'utf8')).toBe('x');
  });

  it.runIf(process.platform !== 'win32')('a vault linked to another folder is used; a link to nothing is refused', async () => {
    const dir = tempDir();
    const elsewhere = path.join(tempDir(), 'vault-disk');
    fs.mkdirSync(elsewhere);
    fs.mkdirSync(dir, { recursive: true });
    fs.symlinkSync(elsewhere, path.join(dir, 'vault'));
    expect((await cli(dir, 'identity', 'init', '--name', 'Ada Analyst', '--role', 'Responder')).code).toBe(0);
    const c = (await cli(dir, 'case', 'new', '--title', 'Linked')).out;
    const file = path.join(dir, 'note.txt');
    fs.writeFileSync(file, 'evidence');
    expect((await cli(dir, 'evidence', 'add', c, file)).code).toBe(0);
    expect(fs.readdirSync(path.join(elsewhere, c)).filter((n) => n.endsWith('-note.txt'))).toHaveLength(1);
    fs.rmSync(elsewhere, { recursive: true });
    const r = await cli(dir, 'case', 'list');
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${path.join(dir, 'vault')} should be a folder of Lariat's but is a symbolic link to nothing`);
  });
});
