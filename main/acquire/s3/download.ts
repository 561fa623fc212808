import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../core/errors';
import { cancelledError } from '../../jobs/job-service';
import type { AwsClients } from '../../aws/clients';
import { sha256File } from '../../custody/vault-copy';

export interface DownloadTarget {
  clients: AwsClients;
  region: string;
  bucket: string;
  key: string;
  /** ETag and size from the listing: the download must be exactly that object. */
  etag: string;
  size: number;
  /** Where the bytes go; a file already there is the start of an interrupted download and is continued. */
  partPath: string;
  signal?: AbortSignal;
  /** Bytes of this object written so far (including the resumed part). */
  onBytes?: (done: number) => void;
}

export interface Downloaded {
  tempPath: string;
  size: number;
  hashes: { md5: string; sha1: string; sha256: string };
  versionId: string | null;
  etag: string;
  /** User metadata (x-amz-meta-*): a digest's signature lives there. */
  metadata: Record<string, string>;
  /** True when the MD5 could be compared with a single-part ETag and matched. */
  etagChecked: boolean;
  /** Bytes taken from an earlier, interrupted download. */
  resumedFrom: number;
}

interface GetOutput {
  Body?: AsyncIterable<Uint8Array> & { destroy?: () => void };
  ETag?: string;
  VersionId?: string;
  Metadata?: Record<string, string>;
  ContentLength?: number;
}

const RESUMES = 3;
const WRITE_BLOCK = 1 << 20;
const unquote = (e: string): string => e.replace(/^W\//, '').replace(/"/g, '');

/**
 * Streams one S3 object into `partPath` while MD5, SHA-1 and SHA-256 are
 * computed from the same bytes (never the whole object in memory), resuming
 * with a Range request after a lost connection or from a part file a killed
 * run left behind (its bytes are hashed first). Every request carries
 * If-Match with the listed ETag, and the ETag of every answer is checked, so
 * a download never stitches two versions of an object together. Then: fsync,
 * size check, MD5 against a single-part ETag, and the copy re-read for its
 * SHA-256, as the vault does for local files. Cancelling removes the part
 * file; any other failure keeps it for the next run.
 */
export async function downloadObject(t: DownloadTarget): Promise<Downloaded> {
  const hashes = ['md5', 'sha1', 'sha256'].map((a) => crypto.createHash(a));
  let done = 0;
  fs.mkdirSync(path.dirname(t.partPath), { recursive: true, mode: 0o700 });
  if (fs.existsSync(t.partPath)) {
    const size = fs.statSync(t.partPath).size;
    if (size > t.size) fs.rmSync(t.partPath, { force: true });
    else
      done = await hashExisting(t.partPath, hashes, t.signal).catch((err: unknown) => {
        if (t.signal?.aborted) fs.rmSync(t.partPath, { force: true });
        throw err;
      });
  }
  const resumedFrom = done;
  const fh = await fs.promises.open(t.partPath, 'a', 0o600);
  const buffer = Buffer.allocUnsafe(WRITE_BLOCK);
  let meta: { versionId: string | null; metadata: Record<string, string> } | null = null;
  try {
    for (let attempt = 0; ; attempt++) {
      if (t.signal?.aborted) throw cancelledError();
      const complete = done === t.size && t.size > 0;
      const params: Record<string, unknown> = { Bucket: t.bucket, Key: t.key, IfMatch: t.etag };
      if (done > 0 && !complete) params.Range = `bytes=${done}-`;
      const out = await t.clients.call<GetOutput>('s3', t.region, complete ? 'HeadObject' : 'GetObject', params, {
        signal: t.signal,
        context: `s3://${t.bucket}/${t.key}`,
      });
      if (out.ETag && unquote(out.ETag) !== unquote(t.etag)) {
        out.Body?.destroy?.();
        throw objectChanged(t, `its ETag is now ${out.ETag}`);
      }
      meta = { versionId: out.VersionId ?? null, metadata: { ...(out.Metadata ?? {}) } };
      if (complete || !out.Body) break;
      try {
        // HTTP hands over small chunks; they are hashed as they come and written in 1 MiB blocks.
        let held = 0;
        const writeHeld = async () => {
          if (held) await writeAll(fh, buffer.subarray(0, held));
          done += held;
          held = 0;
          t.onBytes?.(done);
        };
        try {
          for await (const chunk of out.Body) {
            if (t.signal?.aborted) throw cancelledError();
            for (const h of hashes) h.update(chunk);
            if (held + chunk.byteLength > buffer.length) await writeHeld();
            if (chunk.byteLength > buffer.length) {
              await writeAll(fh, chunk);
              done += chunk.byteLength;
            } else {
              buffer.set(chunk, held);
              held += chunk.byteLength;
            }
          }
        } finally {
          // What arrived before a dropped connection is kept: the next attempt continues after it.
          await writeHeld();
        }
        break;
      } catch (err) {
        if (err instanceof AppError || t.signal?.aborted || attempt >= RESUMES) throw err;
        // The connection dropped mid-object: continue from what was written.
      }
    }
    await fh.sync();
  } catch (err) {
    await fh.close().catch(() => undefined);
    if ((err instanceof AppError && err.code === 'cancelled') || t.signal?.aborted) {
      fs.rmSync(t.partPath, { force: true });
      throw cancelledError();
    }
    if (err instanceof AppError && err.code === 'object-changed') fs.rmSync(t.partPath, { force: true });
    throw err;
  }
  await fh.close();
  const [md5, sha1, sha256] = hashes.map((h) => h.digest('hex')) as [string, string, string];
  if (done !== t.size) throw objectChanged(t, `${done} bytes arrived, the listing said ${t.size}`, done < t.size);
  const simple = /^[0-9a-f]{32}$/.test(unquote(t.etag));
  if (simple && md5 !== unquote(t.etag)) {
    fs.rmSync(t.partPath, { force: true });
    throw new AppError(
      'download-corrupt',
      `s3://${t.bucket}/${t.key} arrived with MD5 ${md5}, but S3 says its ETag (MD5) is ${unquote(t.etag)}.`,
      'The bytes were damaged on the way or on disk (a part file from an earlier run was changed?). Run the acquisition again; the object is fetched anew.',
    );
  }
  let back: string;
  try {
    back = await sha256File(t.partPath, t.signal);
  } catch (err) {
    // Cancelled while the copy was re-read: nothing half-done is kept.
    if (t.signal?.aborted) fs.rmSync(t.partPath, { force: true });
    throw err;
  }
  if (back !== sha256)
    throw new AppError(
      'copy-mismatch',
      `The vault copy of s3://${t.bucket}/${t.key} reads back with SHA-256 ${back}, not ${sha256} as streamed.`,
      'The disk holding the data folder may be failing. Check it, then run the acquisition again. Nothing was recorded for this object.',
    );
  return { tempPath: t.partPath, size: done, hashes: { md5, sha1, sha256 }, ...meta!, etag: t.etag, etagChecked: simple, resumedFrom };
}

function objectChanged(t: DownloadTarget, what: string, keepPart = false): AppError {
  if (!keepPart) fs.rmSync(t.partPath, { force: true });
  return new AppError(
    'object-changed',
    `s3://${t.bucket}/${t.key} is not the object that was listed (ETag ${t.etag}, ${t.size} bytes): ${what}.`,
    'Someone changed or replaced it after the plan. Plan the acquisition again to take the current version, and note the change: it may itself be evidence.',
  );
}

async function hashExisting(file: string, hashes: crypto.Hash[], signal?: AbortSignal): Promise<number> {
  const fh = await fs.promises.open(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    let n = 0;
    for (;;) {
      if (signal?.aborted) throw cancelledError();
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      if (bytesRead === 0) return n;
      for (const h of hashes) h.update(buf.subarray(0, bytesRead));
      n += bytesRead;
    }
  } finally {
    await fh.close();
  }
}

async function writeAll(fh: fs.promises.FileHandle, chunk: Uint8Array): Promise<void> {
  let off = 0;
  while (off < chunk.byteLength) off += (await fh.write(chunk, off, chunk.byteLength - off)).bytesWritten;
}
