import fs from 'node:fs';
import zlib from 'node:zlib';
import { Readable } from 'node:stream';
import { gunzipMembers, type Gunzipped } from './gzip-members';

/**
 * One line of a file (its bytes without the newline, and where it starts in the
 * decompressed stream), or the notice that a line was too long to hold (its bytes
 * were skipped, not buffered).
 */
export type LineItem = { lineNo: number; offset: number; bytes: Buffer } | { lineNo: number; offset: number; tooLong: number };

/** True when the bytes start with gzip's magic number. */
export const isGzip = (head: Uint8Array): boolean => head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;

/** Files whose decompressed size (gzip's own record of it) is at most this are gunzipped whole, member by member. */
export const WHOLE_GUNZIP_BYTES = 16 * 1024 * 1024;

/** Deflate expands its input at most about 1032 times. */
const MAX_DEFLATE_RATIO = 1032;

/** The error a stream of a whole-gunzipped file ends with when bytes after its last member are not gzip. */
export class TrailingGzipData extends Error {
  readonly code = 'LARIAT_GZIP_TRAILING';
  constructor(readonly trailingBytes: number) {
    super(`${trailingBytes} bytes after the compressed data`);
  }
}

/**
 * Opens a file for reading, transparently gunzipping when it starts with the gzip magic bytes (whatever its name).
 * A .gz that gzip says holds up to 16 MiB is gunzipped whole and member by member (gunzipTolerant), exactly as the
 * parse thread does, so the same file gives the same records whichever path reads it: bytes after its last member
 * that are not gzip end the stream with TrailingGzipData, a cut with "unexpected end of file", after every byte
 * before them. Bigger files stream through zlib (flat memory).
 */
export function openMaybeGzip(file: string, onRead?: (bytes: number) => void): Readable {
  const fd = fs.openSync(file, 'r');
  const head = Buffer.alloc(2);
  let size = 0;
  let isize = Infinity;
  try {
    const n = fs.readSync(fd, head, 0, 2, 0);
    size = fs.fstatSync(fd).size;
    if (isGzip(head.subarray(0, n)) && size >= 18) {
      const tail = Buffer.alloc(4);
      fs.readSync(fd, tail, 0, 4, size - 4);
      isize = tail.readUInt32LE(0);
    }
    // The last 4 bytes are gzip's record of the size; larger than deflate can expand the file (1032:1), they are not
    // (data after the last member): read whole, to find out.
    const small = isize <= WHOLE_GUNZIP_BYTES || isize > MAX_DEFLATE_RATIO * size;
    if (isGzip(head.subarray(0, n)) && small && size <= WHOLE_GUNZIP_BYTES) {
      const whole = wholeGunzip(fs.readFileSync(fd));
      if (whole) {
        onRead?.(size);
        return whole;
      }
    }
  } finally {
    fs.closeSync(fd);
  }
  const raw = fs.createReadStream(file, { highWaterMark: 1 << 20 });
  if (onRead) raw.on('data', (c) => onRead(c.length));
  if (isGzip(head)) {
    const gunzip = zlib.createGunzip({ chunkSize: 1 << 20 });
    raw.on('error', (e) => gunzip.destroy(e));
    return raw.pipe(gunzip);
  }
  return raw;
}

/** A whole .gz as a stream of its bytes that ends as the streaming gunzip would; null when it is bigger than gzip said. */
function wholeGunzip(compressed: Buffer): Readable | null {
  let g: Gunzipped;
  try {
    g = gunzipTolerant(compressed, WHOLE_GUNZIP_BYTES);
  } catch {
    // Bigger than gzip said (ERR_BUFFER_TOO_LARGE), or damage inside a member: zlib's stream reads it, flat in
    // memory, and keeps what comes before the damage.
    return null;
  }
  const end = g.truncated
    ? Object.assign(new Error('unexpected end of file'), { code: 'Z_BUF_ERROR' })
    : g.trailing
      ? new TrailingGzipData(g.trailing)
      : null;
  let sent = false;
  return new Readable({
    highWaterMark: 1,
    read() {
      if (!sent) {
        sent = true;
        if (g.bytes.length) return void this.push(g.bytes);
      }
      if (end) this.destroy(end);
      else this.push(null);
    },
  });
}

/**
 * Gunzips a whole buffer; a stream cut short gives what it holds up to the cut
 * (and `truncated`), as the streaming reader does; data after the last complete
 * member that is not gzip is counted in `trailing` and not read (gzip-members.ts).
 */
export function gunzipTolerant(buf: Buffer, maxBytes: number): Gunzipped {
  try {
    return { bytes: zlib.gunzipSync(buf, { maxOutputLength: maxBytes }), truncated: false, trailing: 0 };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') throw err;
    if (code === 'Z_DATA_ERROR') return gunzipMembers(buf, maxBytes);
    return {
      bytes: zlib.gunzipSync(buf, { maxOutputLength: maxBytes, finishFlush: zlib.constants.Z_SYNC_FLUSH }),
      truncated: true,
      trailing: 0,
    };
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
