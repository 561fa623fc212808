import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../core/errors';
import { deniedError, requireReadable } from '../core/readable';
import { cancelledError } from '../jobs/job-service';
import { fsyncDir } from './atomic-dir';
import { hasherFor, type ChunkHasher, type FileHashes } from './hash-pool';
import { returnReadBuffer, takeReadBuffer } from './read-buffers';

export interface CopyResult {
  tempPath: string;
  size: number;
  hashes: FileHashes;
}

export interface CopyOptions {
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  hasher?: () => ChunkHasher;
}

/**
 * Streams `source` once into a temp file in `dir` while MD5, SHA-1 and
 * SHA-256 are computed (on worker threads for large files), fsyncs the copy, then re-reads the
 * copy to confirm its SHA-256. Refuses a source that changed while it was
 * read (size or modification time moved, or fewer/more bytes than stat said).
 * On any failure or cancellation the temp file is removed.
 */
export async function copyIntoVault(source: string, dir: string, options: CopyOptions = {}): Promise<CopyResult> {
  const before = statRegular(source);
  requireReadable('The file', source);
  makeVaultFolder(dir);
  const tempPath = path.join(dir, `.import-${process.pid}-${crypto.randomUUID()}.part`);
  const hasher = options.hasher ? options.hasher() : hasherFor(before.size);
  let src: fs.promises.FileHandle | undefined;
  let dst: fs.promises.FileHandle | undefined;
  try {
    src = await fs.promises.open(source, 'r');
    dst = await fs.promises.open(tempPath, 'wx', 0o600);
    let done = 0;
    // Pipeline: while chunk N is hashed on the workers and written to the copy,
    // chunk N+1 is read. Writes stay in order by chaining on the previous one.
    let writing: Promise<void> = Promise.resolve();
    for (;;) {
      if (options.signal?.aborted) throw cancelledError();
      const slot = await hasher.acquire();
      const buf = hasher.buffer(slot);
      const { bytesRead } = await src.read(buf, 0, hasher.slotSize, null);
      if (bytesRead === 0) {
        hasher.release(slot);
        break;
      }
      hasher.submit(slot, bytesRead, 1);
      const out = dst;
      writing = writing.then(() => writeAll(out, buf, bytesRead)).then(() => hasher.done(slot));
      // A failed write stops the reading loop at its next acquire; the error is rethrown by `await writing`.
      writing.catch((err: Error) => hasher.abort(err));
      done += bytesRead;
      options.onProgress?.(done, before.size);
    }
    await writing;
    const after = await src.stat();
    const now = statRegular(source);
    if (
      done !== before.size ||
      after.size !== before.size ||
      after.mtimeMs !== before.mtimeMs ||
      now.size !== before.size ||
      now.mtimeMs !== before.mtimeMs
    ) {
      throw new AppError(
        'file-changed-during-import',
        `${source} changed while it was being imported (size ${before.size} → ${now.size} bytes, ${done} bytes read; modified ${new Date(before.mtimeMs).toISOString()} → ${new Date(now.mtimeMs).toISOString()}).`,
        'Stop whatever is writing to the file (or take a copy that is no longer changing) and import it again. Nothing was recorded.',
      );
    }
    await dst.sync();
    await dst.close();
    dst = undefined;
    const hashes = await hasher.finish();
    const copySha = await sha256File(tempPath, options.signal);
    if (copySha !== hashes.sha256) {
      throw new AppError(
        'copy-mismatch',
        `The vault copy of ${source} reads back with SHA-256 ${copySha}, not ${hashes.sha256} as streamed.`,
        'The disk holding the data folder may be failing. Check it, then import again. Nothing was recorded.',
      );
    }
    return { tempPath, size: done, hashes };
  } catch (err) {
    hasher.destroy();
    await dst?.close().catch(() => undefined);
    fs.rmSync(tempPath, { force: true });
    throw err;
  } finally {
    await src?.close().catch(() => undefined);
  }
}

async function writeAll(fh: fs.promises.FileHandle, buf: Buffer, len: number): Promise<void> {
  let off = 0;
  while (off < len) off += (await fh.write(buf, off, len - off)).bytesWritten;
}

function statRegular(file: string): fs.Stats {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch (err) {
    throw (
      deniedError('The file', file, err) ??
      new AppError(
        'file-unreadable',
        `${file} cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}.`,
        'Check the path and that Lariat may read it.',
        { cause: err },
      )
    );
  }
  if (!st.isFile())
    throw new AppError(
      'not-a-file',
      `${file} is not a regular file.`,
      'Import files one by one (folders, devices and pipes are not imported).',
    );
  return st;
}

/** Streaming SHA-256 of a file in constant memory. */
export async function sha256File(file: string, signal?: AbortSignal, onProgress?: (bytes: number) => void): Promise<string> {
  const hash = crypto.createHash('sha256');
  const fh = await fs.promises.open(file, 'r');
  const buf = takeReadBuffer();
  try {
    let done = 0;
    for (;;) {
      if (signal?.aborted) throw cancelledError();
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      hash.update(buf.subarray(0, bytesRead));
      done += bytesRead;
      onProgress?.(done);
    }
  } finally {
    await fh.close();
    // Every read was awaited: nothing reads into it any more.
    returnReadBuffer(buf);
  }
  return hash.digest('hex');
}

/** Makes a finished temp copy permanent: read-only, renamed into place, directory entry flushed. */
export function finalizeCopy(tempPath: string, finalPath: string): void {
  fs.chmodSync(tempPath, 0o444);
  fs.renameSync(tempPath, finalPath);
  fsyncDir(path.dirname(finalPath));
}

/**
 * `finalizeCopy` for a group (one commit of several copies): each copy is made read-only and renamed to its
 * `vaultPaths` entry, then each folder flushed once. A copy whose bytes are `held` already, or were placed by
 * an earlier copy of the group (it would be that one's duplicate a commit later), is removed instead, so no
 * file is left in the vault that no item names. Returns the paths placed; on a failure none stays.
 */
export function finalizeGroup(
  vaultDir: string,
  copies: readonly { tempPath: string; sha256: string; vaultPath: string }[],
  held: (sha256: string) => boolean,
): string[] {
  const placed: string[] = [];
  const inGroup = new Set<string>();
  try {
    for (const c of copies) {
      if (held(c.sha256) || inGroup.has(c.sha256)) fs.rmSync(c.tempPath, { force: true });
      else {
        inGroup.add(c.sha256);
        const finalPath = path.join(vaultDir, c.vaultPath);
        fs.chmodSync(c.tempPath, 0o444);
        fs.renameSync(c.tempPath, finalPath);
        placed.push(finalPath);
      }
    }
    for (const dir of new Set(placed.map((f) => path.dirname(f)))) fsyncDir(dir);
  } catch (err) {
    for (const f of placed) fs.rmSync(f, { force: true });
    throw err;
  }
  return placed;
}

/** A file name safe on every OS, keeping the original name recognisable. */
export function safeFileName(name: string): string {
  const cleaned = path
    .basename(name)
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[.]+/, '')
    .slice(-120);
  return cleaned || 'evidence';
}

/**
 * Makes a case's vault folder; one that is a file (damaged or replaced) is refused by name. Before, `evidence add`
 * and imports ended as "unexpected error: EEXIST, mkdir".
 */
function makeVaultFolder(dir: string): void {
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EEXIST' && code !== 'ENOTDIR') throw err;
    throw new AppError(
      'vault-damaged',
      `The vault folder ${dir} is a file, not a folder (damaged or replaced); nothing was added to the case.`,
      `Run \`lariat custody verify ${path.basename(dir)}\` to see what the case is missing, and restore the vault folder from a backup.`,
      { cause: err },
    );
  }
}
