import fs from 'node:fs';
import zlib from 'node:zlib';
import type { Readable } from 'node:stream';

/** One line of a file, or the notice that a line was too long to hold (its bytes were skipped, not buffered). */
export type LineItem = { lineNo: number; text: string } | { lineNo: number; tooLong: number };

/** Opens a file for reading, transparently gunzipping when it starts with the gzip magic bytes (whatever its name). */
export function openMaybeGzip(file: string, onRead?: (bytes: number) => void): Readable {
  const fd = fs.openSync(file, 'r');
  const head = Buffer.alloc(2);
  const n = fs.readSync(fd, head, 0, 2, 0);
  fs.closeSync(fd);
  const raw = fs.createReadStream(file, { highWaterMark: 1 << 20 });
  if (onRead) raw.on('data', (c) => onRead(c.length));
  if (n === 2 && head[0] === 0x1f && head[1] === 0x8b) {
    const gunzip = zlib.createGunzip({ chunkSize: 1 << 20 });
    raw.on('error', (e) => gunzip.destroy(e));
    return raw.pipe(gunzip);
  }
  return raw;
}

/**
 * Splits a byte stream into UTF-8 lines without ever holding more than
 * `maxLine` bytes of one line: a longer line (a 2 GB single-line file) is
 * reported as `tooLong` and skipped, so memory stays flat whatever the input.
 */
export async function* readLines(stream: AsyncIterable<Buffer>, maxLine: number): AsyncGenerator<LineItem> {
  let parts: Buffer[] = [];
  let partLen = 0;
  let skipping = 0;
  let lineNo = 0;
  for await (const chunk of stream) {
    let pos = 0;
    while (pos < chunk.length) {
      const nl = chunk.indexOf(10, pos);
      const end = nl === -1 ? chunk.length : nl;
      const segLen = end - pos;
      if (skipping > 0 || partLen + segLen > maxLine) {
        skipping += partLen + segLen;
        parts = [];
        partLen = 0;
      } else if (segLen > 0) {
        parts.push(chunk.subarray(pos, end));
        partLen += segLen;
      }
      if (nl === -1) break;
      lineNo++;
      if (skipping > 0) {
        yield { lineNo, tooLong: skipping };
        skipping = 0;
      } else {
        yield { lineNo, text: (parts.length === 1 ? parts[0]! : Buffer.concat(parts, partLen)).toString('utf8') };
      }
      parts = [];
      partLen = 0;
      pos = nl + 1;
    }
  }
  if (skipping > 0) yield { lineNo: lineNo + 1, tooLong: skipping };
  else if (partLen > 0) yield { lineNo: lineNo + 1, text: Buffer.concat(parts, partLen).toString('utf8') };
}
