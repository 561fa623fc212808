import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { gunzipMembers } from '../../../main/timeline/importers/gzip-members';
import { gunzipTolerant } from '../../../main/timeline/importers/lines';

const text = (n: number) => Buffer.from(`{"Records":[${Array.from({ length: n }, (_, i) => `{"eventID":"e-${i}"}`).join(',')}]}\n`);
/** A member with the optional header fields set (FEXTRA, FNAME, FCOMMENT, FHCRC), as some tools write them. */
function withHeaderFields(plain: Buffer): Buffer {
  const gz = zlib.gzipSync(plain);
  const head = Buffer.from(gz.subarray(0, 10));
  head[3] = 0x04 | 0x08 | 0x10 | 0x02;
  const extra = Buffer.from([4, 0, 1, 2, 3, 4]);
  return Buffer.concat([head, extra, Buffer.from('name.json\0comment\0'), Buffer.from([0, 0]), gz.subarray(10)]);
}

describe('gzip read member by member', () => {
  it('reads every member (header fields included) and counts what follows the last one', () => {
    const a = text(3);
    const b = text(5);
    const r = gunzipMembers(Buffer.concat([zlib.gzipSync(a), withHeaderFields(b), Buffer.from('tail')]), 1 << 20);
    expect(r).toEqual({ bytes: Buffer.concat([a, b]), truncated: false, trailing: 4 });
  });

  it('a member whose CRC-32 does not match its bytes is damage, as gunzip says', () => {
    const gz = zlib.gzipSync(text(4));
    gz.writeUInt32LE(gz.readUInt32LE(gz.length - 8) ^ 1, gz.length - 8);
    expect(() => gunzipMembers(Buffer.concat([gz, Buffer.from('x')]), 1 << 20)).toThrow('incorrect data check');
    expect(() => gunzipTolerant(Buffer.concat([gz, Buffer.from('x')]), 1 << 20)).toThrow('incorrect data check');
  });

  it('a second member cut short keeps the first whole and what the second holds up to the cut', () => {
    const a = text(3);
    const b = text(400);
    const second = zlib.gzipSync(b);
    const r = gunzipMembers(Buffer.concat([zlib.gzipSync(a), second.subarray(0, Math.floor(second.length / 2))]), 1 << 20);
    expect(r.truncated).toBe(true);
    expect(r.trailing).toBe(0);
    expect(r.bytes.subarray(0, a.length)).toEqual(a);
    expect(b.subarray(0, r.bytes.length - a.length)).toEqual(r.bytes.subarray(a.length));
    expect(r.bytes.length).toBeGreaterThan(a.length);
  });

  it('more than the limit is refused as zlib refuses it (the file is then streamed)', () => {
    expect(() => gunzipMembers(Buffer.concat([zlib.gzipSync(text(2000)), Buffer.from('x')]), 1000)).toThrow(
      expect.objectContaining({ code: 'ERR_BUFFER_TOO_LARGE' }),
    );
  });
});
