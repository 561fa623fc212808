import fs from 'node:fs';
import zlib from 'node:zlib';
import type { Readable } from 'node:stream';

/**
 * One line of a file (its bytes without the newline, and where it starts in the
 * decompressed stream), or the notice that a line was too long to hold (its bytes
 * were skipped, not buffered).
 */
export type LineItem = { lineNo: number; offset: number; bytes: Buffer } | { lineNo: number; offset: number; tooLong: number };

/** True when the bytes start with gzip's magic number. */
export const isGzip = (head: Uint8Array): boolean => head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;

/** Opens a file for reading, transparently gunzipping when it starts with the gzip magic bytes (whatever its name). */
export function openMaybeGzip(file: string, onRead?: (bytes: number) => void): Readable {
  const fd = fs.openSync(file, 'r');
  const head = Buffer.alloc(2);
  const n = fs.readSync(fd, head, 0, 2, 0);
  fs.closeSync(fd);
  const raw = fs.createReadStream(file, { highWaterMark: 1 << 20 });
  if (onRead) raw.on('data', (c) => onRead(c.length));
  if (isGzip(head.subarray(0, n))) {
    const gunzip = zlib.createGunzip({ chunkSize: 1 << 20 });
    raw.on('error', (e) => gunzip.destroy(e));
    return raw.pipe(gunzip);
  }
  return raw;
}

/**
 * Gunzips a whole buffer; a stream cut short gives what it holds up to the cut
 * (and `truncated`), as the streaming reader does.
 */
export function gunzipTolerant(buf: Buffer, maxBytes: number): { bytes: Buffer; truncated: boolean } {
  try {
    return { bytes: zlib.gunzipSync(buf, { maxOutputLength: maxBytes }), truncated: false };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw err;
    return { bytes: zlib.gunzipSync(buf, { maxOutputLength: maxBytes, finishFlush: zlib.constants.Z_SYNC_FLUSH }), truncated: true };
  }
}

/** Splits an in-memory buffer into lines (no copies: each line is a view of the buffer). */
export function* bufferLines(buf: Buffer): Generator<LineItem> {
  let pos = 0;
  let lineNo = 0;
  while (pos < buf.length) {
    const nl = buf.indexOf(10, pos);
    const end = nl === -1 ? buf.length : nl;
    yield { lineNo: ++lineNo, offset: pos, bytes: buf.subarray(pos, end) };
    pos = end + 1;
  }
}

/**
 * Splits a byte stream into lines without ever holding more than
 * `maxLine` bytes of one line: a longer line (a 2 GB single-line file) is
 * reported as `tooLong` and skipped, so memory stays flat whatever the input.
 */
export async function* readLines(stream: AsyncIterable<Buffer>, maxLine: number): AsyncGenerator<LineItem> {
  let parts: Buffer[] = [];
  let partLen = 0;
  let skipping = 0;
  let lineNo = 0;
  let consumed = 0;
  let lineStart = 0;
  try {
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
          yield { lineNo, offset: lineStart, tooLong: skipping };
          skipping = 0;
        } else {
          yield { lineNo, offset: lineStart, bytes: parts.length === 1 ? parts[0]! : Buffer.concat(parts, partLen) };
        }
        parts = [];
        partLen = 0;
        pos = nl + 1;
        lineStart = consumed + pos;
      }
      consumed += chunk.length;
    }
  } catch (err) {
    // The stream broke (a .gz cut short): the bytes read so far are still a line, whose complete records count.
    if (skipping === 0 && partLen > 0) yield { lineNo: lineNo + 1, offset: lineStart, bytes: Buffer.concat(parts, partLen) };
    throw err;
  }
  if (skipping > 0) yield { lineNo: lineNo + 1, offset: lineStart, tooLong: skipping };
  else if (partLen > 0) yield { lineNo: lineNo + 1, offset: lineStart, bytes: Buffer.concat(parts, partLen) };
}
