import fs from 'node:fs';

/**
 * Reads whole files, one after another, into one buffer it reuses: what it returns is valid until the next
 * read. A fresh buffer per file, as `readFileSync` gives, is new memory whose every page the kernel faults in
 * and zeroes as the read fills it (~256 faults per MiB read, on the parse thread, for every file).
 */
export class WholeFileReader {
  private buf = Buffer.allocUnsafe(0);

  /**
   * The file's bytes to its end, or null when it holds more than `max` bytes. `size` is what it measured: a file
   * that grew since is still read whole, up to `max` (a file still being written, or one that grows while it is
   * read, can never make the buffer grow without bound; the caller streams it instead). `file` is a path, or a
   * descriptor the caller opened (and closes): the parse thread reads the vault copy through one, since the copy
   * may be renamed into the vault while it waits.
   */
  read(file: string | number, size: number, max: number): Buffer | null {
    const fd = typeof file === 'number' ? file : fs.openSync(file, 'r');
    try {
      // One byte more than expected, so the read that finds the end needs no second buffer.
      if (this.buf.length < size + 1) this.buf = Buffer.allocUnsafe(Math.max(size + 1, 1 << 20));
      let n = 0;
      for (;;) {
        if (n > max) return null;
        if (n === this.buf.length) this.buf = Buffer.concat([this.buf, Buffer.allocUnsafe(Math.min(this.buf.length, max + 1))]);
        const r = fs.readSync(fd, this.buf, n, Math.min(this.buf.length, max + 1) - n, n);
        if (r === 0) return this.buf.subarray(0, n);
        n += r;
      }
    } finally {
      if (typeof file !== 'number') fs.closeSync(fd);
    }
  }
}
