import fs from 'node:fs';

/**
 * Reads whole files, one after another, into one buffer it reuses: what it returns is valid until the next
 * read. A fresh buffer per file, as `readFileSync` gives, is new memory whose every page the kernel faults in
 * and zeroes as the read fills it (~256 faults per MiB read, on the parse thread, for every file).
 */
export class WholeFileReader {
  private buf = Buffer.allocUnsafe(0);

  /** The file's bytes to its end; `size` is what it measured (a file that grew since is still read whole, as readFileSync reads it). */
  read(file: string, size: number): Buffer {
    const fd = fs.openSync(file, 'r');
    try {
      // One byte more than expected, so the read that finds the end needs no second buffer.
      if (this.buf.length < size + 1) this.buf = Buffer.allocUnsafe(Math.max(size + 1, 1 << 20));
      let n = 0;
      for (;;) {
        if (n === this.buf.length) this.buf = Buffer.concat([this.buf, Buffer.allocUnsafe(this.buf.length)]);
        const r = fs.readSync(fd, this.buf, n, this.buf.length - n, n);
        if (r === 0) return this.buf.subarray(0, n);
        n += r;
      }
    } finally {
      fs.closeSync(fd);
    }
  }
}
