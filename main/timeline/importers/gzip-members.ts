import zlib from 'node:zlib';

/** What a whole .gz gave: its bytes, whether it stopped inside a member, and bytes after its last member that are not gzip. */
export interface Gunzipped {
  bytes: Buffer;
  truncated: boolean;
  /** Bytes after the end of the last complete member that are neither another member nor zero padding (not read). */
  trailing: number;
}

const FTEXT_FHCRC = 0x02;
const FEXTRA = 0x04;
const FNAME = 0x08;
const FCOMMENT = 0x10;

/** Where the deflate data of the gzip member at `at` starts (RFC 1952 header), or -1 when the header is cut short. */
function headerEnd(buf: Buffer, at: number): number {
  if (at + 10 > buf.length) return -1;
  const flags = buf[at + 3]!;
  let p = at + 10;
  if (flags & FEXTRA) {
    if (p + 2 > buf.length) return -1;
    p += 2 + buf.readUInt16LE(p);
  }
  for (const flag of [FNAME, FCOMMENT]) {
    if (flags & flag) {
      const zero = buf.indexOf(0, p);
      if (zero < 0) return -1;
      p = zero + 1;
    }
  }
  if (flags & FTEXT_FHCRC) p += 2;
  return p <= buf.length ? p : -1;
}

const allZero = (buf: Buffer, from: number): boolean => {
  for (let i = from; i < buf.length; i++) if (buf[i] !== 0) return false;
  return true;
};

/**
 * Gunzips a whole buffer member by member, for the one case zlib's own multi-member reading gives up on: data after a
 * complete member that is not another member (two files joined, a download tool's trailer). zlib throws then, and
 * every record of the file was lost, the message counting "0 complete records before the cut". Here each complete
 * member is kept (its CRC-32 and length checked, as gunzip does) and the bytes after it are counted, not read.
 * Throws, as zlib does, for damage inside a member (the streaming reader then keeps what comes before it).
 */
export function gunzipMembers(buf: Buffer, maxBytes: number): Gunzipped {
  const parts: Buffer[] = [];
  let total = 0;
  let at = 0;
  while (at < buf.length) {
    if (allZero(buf, at)) break; // padding: zlib accepts it too
    if (buf[at] !== 0x1f || buf[at + 1] !== 0x8b || buf[at + 2] !== 8)
      return { bytes: Buffer.concat(parts, total), truncated: false, trailing: buf.length - at };
    const start = headerEnd(buf, at);
    if (start < 0) return { bytes: Buffer.concat(parts, total), truncated: true, trailing: 0 };
    let out: { buffer: Buffer; engine: zlib.InflateRaw };
    try {
      out = zlib.inflateRawSync(buf.subarray(start), { info: true, maxOutputLength: Math.max(1, maxBytes - total) }) as unknown as {
        buffer: Buffer;
        engine: zlib.InflateRaw;
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'Z_BUF_ERROR') throw err;
      // This member is cut short: what it holds up to the cut, as the streaming reader gives.
      const cut = zlib.inflateRawSync(buf.subarray(start), {
        maxOutputLength: Math.max(1, maxBytes - total),
        finishFlush: zlib.constants.Z_SYNC_FLUSH,
      });
      parts.push(cut);
      return { bytes: Buffer.concat(parts, total + cut.length), truncated: true, trailing: 0 };
    }
    const end = start + out.engine.bytesWritten;
    if (end + 8 > buf.length) {
      parts.push(out.buffer);
      return { bytes: Buffer.concat(parts, total + out.buffer.length), truncated: true, trailing: 0 };
    }
    if (buf.readUInt32LE(end) !== zlib.crc32(out.buffer) || buf.readUInt32LE(end + 4) !== out.buffer.length % 2 ** 32)
      throw Object.assign(new Error('incorrect data check'), { code: 'Z_DATA_ERROR' });
    parts.push(out.buffer);
    total += out.buffer.length;
    at = end + 8;
  }
  return { bytes: Buffer.concat(parts, total), truncated: false, trailing: 0 };
}
