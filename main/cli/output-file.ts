import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../core/errors';

/** What a command writes with `--out`, to say so when it cannot ("the checkpoint", "the plan"). */
export interface OutputFile {
  /** What the file holds, for the message: "the checkpoint". */
  what: string;
  /** What the command already did that stays done (an anchor recorded), said in the message; empty when nothing. */
  done?: string;
}

/** Why a write failed, in words, with what to do; null for an error that is not about the path. */
function reason(abs: string, code: string | undefined): { why: string; hint: string } | null {
  const dir = path.dirname(abs);
  switch (code) {
    case 'EEXIST':
      return {
        why: `${abs} already exists (Lariat never overwrites a file)`,
        hint: 'Give a new file name with --out, or move the existing file away first.',
      };
    case 'ENOENT':
      return { why: `the folder ${dir} does not exist`, hint: 'Create the folder first, or give a path in a folder that exists.' };
    case 'ENOTDIR':
      return { why: `a part of ${dir} is a file, not a folder`, hint: 'Give a path in a folder that exists.' };
    case 'EISDIR':
      return { why: `${abs} is a folder`, hint: 'Give a file name inside it with --out.' };
    case 'EACCES':
    case 'EPERM':
      return { why: `permission denied in ${dir} (${code})`, hint: 'Give a path in a folder you may write to.' };
    case 'EROFS':
      return { why: `${dir} is on a read-only file system`, hint: 'Give a path on a writable disk.' };
    case 'ENOSPC':
    case 'EDQUOT':
      return { why: `the disk holding ${dir} is full (${code})`, hint: 'Free some space or give a path on another disk.' };
    default:
      return null;
  }
}

/** The refusal for a failed `--out` write, or the error itself when it is not about the path. */
export function outputError(file: string, err: unknown, spec: OutputFile): unknown {
  const abs = path.resolve(file);
  let code = (err as NodeJS.ErrnoException | null)?.code;
  // `wx` on a folder answers EEXIST: say it is a folder.
  if (code === 'EEXIST' && isFolder(abs)) code = 'EISDIR';
  const r = reason(abs, code);
  if (!r) return err;
  const done = spec.done ? ` ${spec.done}` : '';
  return new AppError('output-unwritable', `${spec.what} was not written: ${r.why}.${done}`, r.hint, { cause: err });
}

function isFolder(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Writes a command's `--out` file, never over an existing one. Written raw, an existing file, a missing folder or
 * a folder without write access ended as an "unexpected error" (EEXIST, ENOENT, EACCES). Returns the absolute path.
 */
export async function writeOutputFile(file: string, data: string | Uint8Array, spec: OutputFile): Promise<string> {
  const abs = path.resolve(file);
  try {
    await fs.promises.writeFile(abs, data, { flag: 'wx' });
  } catch (err) {
    throw outputError(abs, err, spec);
  }
  return abs;
}

/** Creates a command's `--out` folder (and its parents), with the same refusals as writeOutputFile. */
export async function makeOutputFolder(dir: string, spec: OutputFile): Promise<void> {
  const abs = path.resolve(dir);
  try {
    await fs.promises.mkdir(abs, { recursive: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ENOTDIR')
      throw new AppError(
        'output-unwritable',
        `${spec.what} was not written: ${abs} or a folder above it is a file, not a folder.${spec.done ? ` ${spec.done}` : ''}`,
        'Give a folder path with --out.',
        { cause: err },
      );
    throw outputError(path.join(abs, '.'), err, spec);
  }
}
