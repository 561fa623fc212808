import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../core/errors';
import { cancelledError } from '../../jobs/job-service';
import { sha256File } from '../../custody/vault-copy';

/** The subset of `fetch` the download needs; injected so tests serve the model's package. */
export type FetchCode = (
  url: string,
  init?: { signal?: AbortSignal },
) => Promise<{ ok: boolean; status: number; body: ReadableStream<Uint8Array> | null }>;

export interface CodeTarget {
  url: string;
  /** Lambda's CodeSha256: base64 of the package's SHA-256. */
  sha256Base64: string;
  partPath: string;
  fetch: FetchCode;
  signal?: AbortSignal;
}

/**
 * Streams a function's deployment package from its presigned Code.Location
 * into the vault folder, computing MD5, SHA-1 and SHA-256 as it is written
 * (never the whole package in memory), then checks the SHA-256 against what
 * Lambda reports and re-reads the copy. A package that does not match is
 * removed and nothing is recorded.
 */
export async function downloadCode(
  t: CodeTarget,
): Promise<{ tempPath: string; size: number; hashes: { md5: string; sha1: string; sha256: string } }> {
  const hashes = ['md5', 'sha1', 'sha256'].map((a) => crypto.createHash(a));
  fs.mkdirSync(path.dirname(t.partPath), { recursive: true, mode: 0o700 });
  const res = await t.fetch(t.url, { signal: t.signal }).catch((err: unknown) => {
    if (t.signal?.aborted) throw cancelledError();
    throw new AppError(
      'code-download-failed',
      `The function's code package could not be fetched: ${String(err)}.`,
      'Check the network, then resume the action (the link is fetched anew).',
    );
  });
  if (!res.ok || !res.body)
    throw new AppError(
      'code-download-failed',
      `The function's code package could not be fetched (HTTP ${res.status}).`,
      'The presigned link lasts 10 minutes; resume the action to fetch a new one.',
    );
  const fh = await fs.promises.open(t.partPath, 'w', 0o600);
  let size = 0;
  try {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      if (t.signal?.aborted) throw cancelledError();
      for (const h of hashes) h.update(chunk);
      let off = 0;
      while (off < chunk.byteLength) off += (await fh.write(chunk, off, chunk.byteLength - off)).bytesWritten;
      size += chunk.byteLength;
    }
    await fh.sync();
  } catch (err) {
    await fh.close().catch(() => undefined);
    fs.rmSync(t.partPath, { force: true });
    throw t.signal?.aborted ? cancelledError() : err;
  }
  await fh.close();
  const [md5, sha1, sha256] = hashes.map((h) => h.digest('hex')) as [string, string, string];
  const reported = Buffer.from(t.sha256Base64, 'base64').toString('hex');
  if (sha256 !== reported) {
    fs.rmSync(t.partPath, { force: true });
    throw new AppError(
      'code-hash-mismatch',
      `The code package arrived with SHA-256 ${sha256}, but Lambda reports ${reported} (CodeSha256 ${t.sha256Base64}).`,
      'The code may have been replaced between the two calls, or the bytes were damaged. Resume the action to fetch it again; note the change, it may itself be evidence.',
    );
  }
  const back = await sha256File(t.partPath, t.signal);
  if (back !== sha256) {
    fs.rmSync(t.partPath, { force: true });
    throw new AppError(
      'copy-mismatch',
      `The vault copy of the code package reads back with SHA-256 ${back}, not ${sha256}.`,
      'Check the disk holding the data folder, then resume.',
    );
  }
  return { tempPath: t.partPath, size, hashes: { md5, sha1, sha256 } };
}
