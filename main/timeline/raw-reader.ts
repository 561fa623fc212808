import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { AppError } from '../core/errors';
import { isGzip } from './importers/lines';

/** Decompressed copies of gzip files kept for reads (a search confirms many records of the same files). */
const GZ_CACHE_BYTES = 64 * 1024 * 1024;

/**
 * Reads a record's exact bytes from the verified vault copy of its file, by
 * offset and length in the decompressed content: the database never holds a
 * second copy of the logs. Plain files are read in place (one pread); a gzip
 * copy is decompressed once and kept in a small cache, since a record's offset
 * cannot be reached without inflating what comes before it.
 */
export class RawReader {
  private readonly gz = new Map<string, Buffer>();
  private gzBytes = 0;
  private readonly fds = new Map<string, { fd: number; gzip: boolean }>();

  constructor(private readonly vaultDir: string) {}

  private open(rel: string): { fd: number; gzip: boolean } {
    let f = this.fds.get(rel);
    if (f) return f;
    const file = path.resolve(this.vaultDir, rel);
    let fd: number;
    try {
      fd = fs.openSync(file, 'r');
    } catch (err) {
      throw new AppError(
        'raw-unavailable',
        `The vault copy ${rel} that holds this record cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}).`,
        'Run `lariat custody verify <case>`: the evidence file is missing or was moved.',
        { cause: err },
      );
    }
    const head = Buffer.alloc(2);
    fs.readSync(fd, head, 0, 2, 0);
    f = { fd, gzip: isGzip(head) };
    if (this.fds.size > 64) this.closeFds();
    this.fds.set(rel, f);
    return f;
  }

  /** The record's bytes (a copy). */
  read(rel: string, offset: number, length: number): Buffer {
    const f = this.open(rel);
    if (!f.gzip) {
      const buf = Buffer.allocUnsafe(length);
      const n = fs.readSync(f.fd, buf, 0, length, offset);
      return buf.subarray(0, n);
    }
    let whole = this.gz.get(rel);
    if (!whole) {
      const compressed = fs.readFileSync(path.resolve(this.vaultDir, rel));
      whole = zlib.gunzipSync(compressed, { finishFlush: zlib.constants.Z_SYNC_FLUSH });
      while (this.gzBytes + whole.length > GZ_CACHE_BYTES && this.gz.size) {
        const [k, v] = this.gz.entries().next().value as [string, Buffer];
        this.gz.delete(k);
        this.gzBytes -= v.length;
      }
      this.gz.set(rel, whole);
      this.gzBytes += whole.length;
    }
    return whole.subarray(offset, offset + length);
  }

  private closeFds(): void {
    for (const f of this.fds.values()) fs.closeSync(f.fd);
    this.fds.clear();
  }

  close(): void {
    this.closeFds();
    this.gz.clear();
    this.gzBytes = 0;
  }
}
