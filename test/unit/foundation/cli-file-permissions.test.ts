import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cli } from '../../helpers/cli';
import { perTest } from '../../helpers/temp-dirs';
import { cloudTrailRecord, deliveryText } from '../../helpers/cloudtrail-record';
import { outputError } from '../../../main/cli/output-file';
import { AppError } from '../../../main/core/errors';

const { dir: tempDir } = perTest();

/** A data folder with an investigator identity (custody entries are signed). */
async function dataDir(): Promise<string> {
  const dir = tempDir();
  expect((await cli(dir, 'identity', 'init', '--name', 'Ada Analyst', '--role', 'Responder')).code).toBe(0);
  return dir;
}

/** What the file system answers for a path this user may not read. */
const eacces = (p: string, syscall: string) =>
  Object.assign(new Error(`EACCES: permission denied, ${syscall} '${p}'`), { code: 'EACCES', errno: -13, syscall, path: p });

/**
 * Makes `paths` unreadable: chmod 000 (enough for a user that is not root) and the file system calls Lariat reads
 * through answering EACCES for them (root reads through any mode, so the test does not depend on who runs it).
 */
function deny(...paths: string[]): void {
  const denied = new Set(paths.map((p) => path.resolve(p)));
  const is = (p: fs.PathLike) => denied.has(path.resolve(String(p)));
  for (const p of paths) fs.chmodSync(p, 0o000);
  const access = fs.accessSync;
  vi.spyOn(fs, 'accessSync').mockImplementation((p, mode) => {
    if (is(p)) throw eacces(String(p), 'access');
    return access(p, mode);
  });
  const readdir = fs.readdirSync;
  vi.spyOn(fs, 'readdirSync').mockImplementation(((p: fs.PathLike, o?: unknown) => {
    if (is(p)) throw eacces(String(p), 'scandir');
    return (readdir as (p: fs.PathLike, o?: unknown) => unknown)(p, o);
  }) as typeof fs.readdirSync);
  // As the OS answers: a path inside a folder that may not be searched cannot even be looked at.
  const inside = (p: fs.PathLike) => [...denied].some((d) => path.resolve(String(p)).startsWith(d + path.sep));
  const stat = fs.statSync;
  vi.spyOn(fs, 'statSync').mockImplementation(((p: fs.PathLike, o?: fs.StatSyncOptions) => {
    if (inside(p)) throw eacces(String(p), 'stat');
    return stat(p, o);
  }) as typeof fs.statSync);
  const readFile = fs.promises.readFile;
  vi.spyOn(fs.promises, 'readFile').mockImplementation(((p: fs.PathLike, o?: unknown) => {
    if (is(p)) return Promise.reject(eacces(String(p), 'open'));
    return (readFile as (p: fs.PathLike, o?: unknown) => Promise<unknown>)(p, o);
  }) as typeof fs.promises.readFile);
  deniedPaths.push(...paths);
}
const deniedPaths: string[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  for (const p of deniedPaths.splice(0)) fs.chmodSync(p, 0o700);
});

const record = deliveryText(cloudTrailRecord('e-1'));

/**
 * The fault: evidence the investigator's user may not read (a folder copied from a colleague's share, a log
 * file owned by root). Read raw, the import and `evidence add` ended as "Lariat hit an unexpected error: EACCES",
 * the note body as the same. Each is refused before anything is copied, naming the path and the fix.
 */
describe('paths this user may not read are refused by name, and nothing is recorded', () => {
  it('import of a folder tree with a folder that cannot be listed', async () => {
    const dir = await dataDir();
    const c = (await cli(dir, 'case', 'new', '--title', 'Perms')).out;
    const logs = path.join(dir, 'logs');
    fs.mkdirSync(path.join(logs, 'ok'), { recursive: true });
    fs.mkdirSync(path.join(logs, 'locked'));
    fs.writeFileSync(path.join(logs, 'ok', 'a.json'), record);
    fs.writeFileSync(path.join(logs, 'locked', 'b.json'), record);
    deny(path.join(logs, 'locked'));
    const r = await cli(dir, 'import', c, logs);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`error: The folder ${path.join(logs, 'locked')} cannot be read: permission denied (EACCES).`);
    expect(r.err).toContain('hint: Give your user read access');
    expect(r.err).not.toContain('unexpected');
    // Refused before any file was copied: the readable one is not half-imported either.
    expect(JSON.parse((await cli(dir, 'evidence', 'list', c, '--json')).out)).toEqual([]);
    expect((await cli(dir, 'timeline', c, '--count')).out).toMatch(/^0\b/);
  });

  it('import and evidence add of a file that cannot be read', async () => {
    const dir = await dataDir();
    const c = (await cli(dir, 'case', 'new', '--title', 'Perms')).out;
    const file = path.join(dir, 'noread.json');
    fs.writeFileSync(file, record);
    deny(file);
    for (const argv of [
      ['import', c, file],
      ['evidence', 'add', c, file],
    ]) {
      const r = await cli(dir, ...argv);
      expect(r.code, argv.join(' ')).toBe(1);
      expect(r.err).toContain(`error: The file ${file} cannot be read: permission denied (EACCES).`);
      expect(r.err).not.toContain('unexpected');
    }
    expect(JSON.parse((await cli(dir, 'evidence', 'list', c, '--json')).out)).toEqual([]);
  });

  it('note add --body-file of a file that cannot be read', async () => {
    const dir = await dataDir();
    const c = (await cli(dir, 'case', 'new', '--title', 'Perms')).out;
    const file = path.join(dir, 'note.md');
    fs.writeFileSync(file, '# body');
    deny(file);
    const r = await cli(dir, 'note', 'add', c, '--title', 'n', '--body-file', file);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`error: The note body file ${file} cannot be read: permission denied (EACCES).`);
    expect(JSON.parse((await cli(dir, 'note', 'list', c, '--json')).out)).toEqual([]);
  });
});

describe('a report template folder this user may not read', () => {
  it('is refused as unreadable, not as missing', async () => {
    const dir = await dataDir();
    const c = (await cli(dir, 'case', 'new', '--title', 'Perms')).out;
    const tmpl = path.join(dir, 'tmpl');
    fs.mkdirSync(tmpl);
    fs.writeFileSync(path.join(tmpl, 'template.json'), '{}');
    deny(tmpl);
    const r = await cli(dir, 'report', c, '--template', tmpl, '--out', path.join(dir, 'r.html'));
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      `error: The report template file ${path.join(tmpl, 'template.json')} cannot be read: permission denied (EACCES).`,
    );
    expect(fs.existsSync(path.join(dir, 'r.html'))).toBe(false);
  });
});

/**
 * The fault: an `--out` path that cannot be written as given. Written raw, an existing file or folder, a missing
 * folder ended as "unexpected error: EEXIST / ENOENT". Lariat never overwrites a file: it says so, and what to give.
 */
describe('--out files are never overwritten, and a path that cannot be written is named', () => {
  it('custody checkpoint --out: an existing file, a folder, a missing folder', async () => {
    const dir = await dataDir();
    const c = (await cli(dir, 'case', 'new', '--title', 'Out')).out;
    const existing = path.join(dir, 'kept.txt');
    fs.writeFileSync(existing, 'mine');
    const cases: [string, RegExp, string][] = [
      [existing, /already exists \(Lariat never overwrites a file\)/, 'Give a new file name with --out'],
      [dir, new RegExp(`${dir} is a folder`), 'Give a file name inside it'],
      [
        path.join(dir, 'missing', 'cp.txt'),
        new RegExp(`the folder ${path.join(dir, 'missing')} does not exist`),
        'Create the folder first',
      ],
    ];
    for (const [out, message, hint] of cases) {
      const r = await cli(dir, 'custody', 'checkpoint', c, '--out', out);
      expect(r.code, out).toBe(1);
      expect(r.err).toMatch(/^error: The checkpoint was not written: /);
      expect(r.err).toMatch(message);
      expect(r.err).toContain('It is printed above.');
      expect(r.err).toContain(`hint: ${hint}`);
      // The checkpoint itself still reached the investigator.
      expect(r.out).toContain('lariat-custody-checkpoint');
    }
    expect(fs.readFileSync(existing, 'utf8')).toBe('mine');
    const ok = await cli(dir, 'custody', 'checkpoint', c, '--out', path.join(dir, 'cp.txt'));
    expect(ok.code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'cp.txt'), 'utf8')).toContain('lariat-custody-checkpoint');
  });

  it('plan export --out an existing file leaves it as it was', async () => {
    const dir = await dataDir();
    const existing = path.join(dir, 'plan.json');
    fs.writeFileSync(existing, 'mine');
    const r = await cli(dir, 'plan', 'export', 'crypto-mining', '--out', existing);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`error: The plan was not written: ${existing} already exists`);
    expect(fs.readFileSync(existing, 'utf8')).toBe('mine');
  });

  it.each([
    ['EACCES', 'permission denied in /x (EACCES)', 'a folder you may write to'],
    ['EROFS', '/x is on a read-only file system', 'a writable disk'],
    ['ENOSPC', 'the disk holding /x is full (ENOSPC)', 'Free some space'],
  ])('%s is said in words', (code, why, hint) => {
    const e = outputError('/x/out.txt', Object.assign(new Error(code), { code }), { what: 'The report' });
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).message).toBe(`The report was not written: ${why}.`);
    expect((e as AppError).hint).toContain(hint);
  });

  it('an error that is not about the path is passed on as it is', () => {
    const err = new Error('something else');
    expect(outputError('/x/out.txt', err, { what: 'The report' })).toBe(err);
  });
});
