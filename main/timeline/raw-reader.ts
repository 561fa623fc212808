import fs from 'node:fs';
import path from 'node:path';
import buffer from 'node:buffer';
import { AppError } from '../core/errors';
import { gunzipTolerant, isGzip } from './importers/lines';

/** Decompressed copies of gzip files kept for reads (a search confirms many records of the same files). */
const GZ_CACHE_BYTES = 64 * 1024 * 1024;
/** Largest plain file a whole-file reader holds at once (bigger ones are read record by record). */
const WHOLE_FILE_BYTES = 32 * 1024 * 1024;

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

  /** The plain file a whole-file reader holds (the one it read last). */
  private whole: { rel: string; bytes: Buffer } | null = null;

  /**
   * `wholeFiles`: for readers that walk every record of a file in order (a rescan), a plain file is read
   * whole once and its records sliced from it, instead of one read per record.
   */
  constructor(
    private readonly vaultDir: string,
    private readonly options: { wholeFiles?: boolean } = {},
  ) {}

  /** The absolute path of a vault copy named relative to the vault folder. */
  fileOf(rel: string): string {
    return path.resolve(this.vaultDir, rel);
  }

  private open(rel: string): { fd: number; gzip: boolean } {
    let f = this.fds.get(rel);
    if (f) return f;
    const file = this.fileOf(rel);
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

  /** The record's bytes: read them, do not change them (they may be a view of a cached file). */
  read(rel: string, offset: number, length: number): Buffer {
    const f = this.open(rel);
    if (!f.gzip && this.options.wholeFiles) {
      const whole = this.wholeFile(rel, f.fd);
      if (whole) return whole.subarray(offset, Math.min(offset + length, whole.length));
    }
    if (!f.gzip) {
      const buf = Buffer.allocUnsafe(length);
      const n = fs.readSync(f.fd, buf, 0, length, offset);
      return buf.subarray(0, n);
    }
    let whole = this.gz.get(rel);
    if (!whole) {
      const compressed = fs.readFileSync(this.fileOf(rel));
      // As the import read it: member by member, to a cut or to data after the last member (lines.ts).
      whole = gunzipTolerant(compressed, buffer.constants.MAX_LENGTH).bytes;
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

  /** The whole plain file, read once and kept until another file is asked for; null when it is too big to hold. */
  private wholeFile(rel: string, fd: number): Buffer | null {
    if (this.whole?.rel === rel) return this.whole.bytes;
    const size = fs.fstatSync(fd).size;
    if (size > WHOLE_FILE_BYTES) return null;
    const bytes = Buffer.allocUnsafe(size);
    let n = 0;
    while (n < size) {
      const got = fs.readSync(fd, bytes, n, size - n, n);
      if (got === 0) break;
      n += got;
    }
    this.whole = { rel, bytes: bytes.subarray(0, n) };
    return this.whole.bytes;
  }

  private closeFds(): void {
    for (const f of this.fds.values()) fs.closeSync(f.fd);
    this.fds.clear();
  }

  close(): void {
    this.closeFds();
    this.whole = null;
    this.gz.clear();
    this.gzBytes = 0;
  }
}
