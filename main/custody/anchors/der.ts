/**
 * The little of ASN.1 DER that RFC 3161 needs: reading a TLV tree from bytes
 * (definite lengths only, as DER requires; every length is checked against
 * what remains, so hostile input can only be refused) and writing the few
 * types a TimeStampReq uses.
 */
export interface Der {
  /** The identifier octet (class, constructed bit, tag number < 31). */
  tag: number;
  /** The whole element: identifier, length and content. */
  raw: Buffer;
  /** The content octets. */
  value: Buffer;
  /** Children, for constructed elements. */
  children: Der[];
}

export class DerError extends Error {}

const MAX_DEPTH = 32;

export function readDer(buf: Buffer, depth = 0): Der {
  const { der, end } = readOne(buf, 0, depth);
  if (end !== buf.length) throw new DerError('trailing bytes after the DER element');
  return der;
}

function readOne(buf: Buffer, start: number, depth: number): { der: Der; end: number } {
  if (depth > MAX_DEPTH) throw new DerError('DER nested too deeply');
  if (start + 2 > buf.length) throw new DerError('truncated DER element');
  const tag = buf[start]!;
  if ((tag & 0x1f) === 0x1f) throw new DerError('high tag numbers are not used here');
  let len = buf[start + 1]!;
  let off = start + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4) throw new DerError('unsupported DER length');
    if (off + n > buf.length) throw new DerError('truncated DER length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[off + i]!;
    off += n;
  }
  const end = off + len;
  if (end > buf.length) throw new DerError('DER length runs past the end');
  const value = buf.subarray(off, end);
  const children: Der[] = [];
  if (tag & 0x20) {
    let p = 0;
    while (p < value.length) {
      const child = readOne(value, p, depth + 1);
      children.push(child.der);
      p = child.end;
    }
  }
  return { der: { tag, raw: buf.subarray(start, end), value, children }, end };
}

/** Dotted form of an OBJECT IDENTIFIER's content. */
export function oidOf(d: Der): string {
  if (d.tag !== 0x06 || d.value.length === 0) throw new DerError('expected an OBJECT IDENTIFIER');
  const v = d.value;
  const parts: number[] = [Math.floor(v[0]! / 40), v[0]! % 40];
  let n = 0;
  for (let i = 1; i < v.length; i++) {
    n = n * 128 + (v[i]! & 0x7f);
    if (!(v[i]! & 0x80)) {
      parts.push(n);
      n = 0;
    }
  }
  return parts.join('.');
}

/** Child `i`, refusing a missing one (hostile or truncated input). */
export function child(d: Der, i: number): Der {
  const c = d.children[i];
  if (!c) throw new DerError('a required DER field is missing');
  return c;
}

function encodeLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export function tlv(tag: number, value: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), encodeLength(value.length), value]);
}

export const seq = (...parts: Buffer[]): Buffer => tlv(0x30, Buffer.concat(parts));

export function oid(dotted: string): Buffer {
  const p = dotted.split('.').map(Number);
  const out: number[] = [p[0]! * 40 + p[1]!];
  for (const n of p.slice(2)) {
    const bytes: number[] = [n & 0x7f];
    for (let v = Math.floor(n / 128); v > 0; v = Math.floor(v / 128)) bytes.unshift((v & 0x7f) | 0x80);
    out.push(...bytes);
  }
  return tlv(0x06, Buffer.from(out));
}

/** A non-negative INTEGER from big-endian bytes (a leading 0x00 keeps it positive). */
export function uint(bytes: Buffer): Buffer {
  let b = bytes;
  while (b.length > 1 && b[0] === 0 && !(b[1]! & 0x80)) b = b.subarray(1);
  if (b[0]! & 0x80) b = Buffer.concat([Buffer.from([0]), b]);
  return tlv(0x02, b);
}

export const nullDer = (): Buffer => Buffer.from([0x05, 0x00]);
export const octets = (b: Buffer): Buffer => tlv(0x04, b);
export const bool = (v: boolean): Buffer => Buffer.from([0x01, 0x01, v ? 0xff : 0x00]);
