import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../core/errors';

/**
 * Writes a folder of files so that it appears under its name only when
 * complete: every file is written and fsynced in a temporary sibling folder,
 * the folders are fsynced, then it is renamed into place (over an empty
 * folder the investigator chose, if any) and the parent is fsynced. Any
 * failure removes the temporary folder and throws one clear error; nothing is
 * left half-written under the chosen name.
 */
export function writeTreeAtomically(dir: string, files: Map<string, Buffer | string>, options: { executable?: Set<string> } = {}): void {
  const fail = (what: string, err?: unknown): AppError =>
    new AppError(
      'export-write-failed',
      `Lariat could not write ${dir}: ${what}. Nothing was recorded.`,
      'Choose a new or empty folder in a place you can write to, with enough free space.',
      err ? { cause: err } : undefined,
    );
  let existing: fs.Stats | null = null;
  try {
    existing = fs.statSync(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR') throw fail('a part of that path is a file, not a folder', err);
    if (code !== 'ENOENT') throw fail(String(code ?? (err as Error).message), err);
  }
  if (existing && !existing.isDirectory()) throw fail('it is a file, not a folder');
  if (existing && fs.readdirSync(dir).length > 0)
    throw new AppError(
      'export-folder-not-empty',
      `${dir} is not empty.`,
      'Choose a new or empty folder, so the export cannot mix with other files. Nothing was recorded.',
    );
  const parent = path.dirname(dir);
  try {
    fs.mkdirSync(parent, { recursive: true, mode: 0o700 });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw fail(code === 'ENOTDIR' || code === 'EEXIST' ? 'a part of that path is a file, not a folder' : String(code ?? err), err);
  }
  const tmp = path.join(parent, `.${path.basename(dir)}.${crypto.randomBytes(4).toString('hex')}.partial`);
  try {
    fs.mkdirSync(tmp, { mode: 0o700 });
    const dirs = new Set<string>([tmp]);
    for (const [name, content] of files) {
      const target = path.join(tmp, ...name.split('/'));
      if (!dirs.has(path.dirname(target))) {
        fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
        dirs.add(path.dirname(target));
      }
      const fd = fs.openSync(target, 'wx', options.executable?.has(name) ? 0o755 : 0o644);
      try {
        fs.writeFileSync(fd, content);
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
    }
    for (const d of [...dirs].sort((a, b) => b.length - a.length)) fsyncDir(d);
    if (existing) fs.rmdirSync(dir);
    fs.renameSync(tmp, dir);
    fsyncDir(parent);
  } catch (err) {
    fs.rmSync(tmp, { recursive: true, force: true });
    if (err instanceof AppError) throw err;
    throw fail(`${(err as NodeJS.ErrnoException).code ?? ''} ${(err as Error).message}`.trim(), err);
  }
}

export function fsyncDir(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
