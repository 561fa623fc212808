import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { READ_BUFFER_BYTES, returnReadBuffer, takeReadBuffer } from '../../../main/custody/read-buffers';
import { copyIntoVault, sha256File } from '../../../main/custody/vault-copy';
import { tempDir } from '../../helpers/services';

// Read buffers are reused between files. The fault that would break custody: one buffer in two readers at
// once (two copies running together, or a buffer given back twice), so one file's bytes are hashed or written
// as another's. The tests below fail if that can happen.

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  // Leaves the shared list empty for the next test (it keeps eight at most).
  for (let i = 0; i < 8; i++) takeReadBuffer();
});

test('a buffer given back is handed out again, once, however often it was given back', () => {
  const a = takeReadBuffer();
  expect(a.length).toBe(READ_BUFFER_BYTES);
  returnReadBuffer(a);
  returnReadBuffer(a);
  const first = takeReadBuffer();
  const second = takeReadBuffer();
  // Identity compared as booleans: a failed toBe between buffers diffs a mebibyte, element by element.
  expect(first === a).toBe(true);
  expect(second === a).toBe(false);
});

test('only whole buffers of the read size are kept, and at most eight', () => {
  const whole = takeReadBuffer();
  returnReadBuffer(whole.subarray(0, 1024));
  returnReadBuffer(Buffer.allocUnsafe(4096));
  expect(takeReadBuffer() === whole).toBe(false);
  const many = Array.from({ length: 10 }, () => Buffer.allocUnsafe(READ_BUFFER_BYTES));
  for (const b of many) returnReadBuffer(b);
  const back = new Set(Array.from({ length: 10 }, () => takeReadBuffer()));
  expect(many.filter((b) => back.has(b))).toHaveLength(8);
});

test('copies and read-backs running together each hash their own file (buffers reused across them)', async () => {
  const dir = tempDir();
  dirs.push(dir);
  const files = Array.from({ length: 12 }, (_, i) => {
    const file = path.join(dir, `f${i}.bin`);
    // Sizes around the buffer size: one chunk, several chunks, a partial last chunk.
    fs.writeFileSync(file, crypto.randomBytes(READ_BUFFER_BYTES * (i % 4) + 1000 * i + 1));
    return file;
  });
  for (let round = 0; round < 2; round++) {
    const copies = await Promise.all(files.map((f) => copyIntoVault(f, path.join(dir, `vault${round}`))));
    const backs = await Promise.all(copies.map((c) => sha256File(c.tempPath)));
    files.forEach((f, i) => {
      const bytes = fs.readFileSync(f);
      const h = (a: string) => crypto.createHash(a).update(bytes).digest('hex');
      expect(copies[i]!.hashes).toEqual({ md5: h('md5'), sha1: h('sha1'), sha256: h('sha256') });
      expect(fs.readFileSync(copies[i]!.tempPath).equals(bytes)).toBe(true);
      expect(backs[i]).toBe(h('sha256'));
    });
  }
});
