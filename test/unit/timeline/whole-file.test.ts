import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { WholeFileReader } from '../../../main/timeline/importers/whole-file';
import { tempDir } from '../../helpers/services';

// The parse thread reads every file into one reused buffer. What would break it: a file shorter than the one
// before (the old file's tail read as its own), a file that grew after it was measured (cut short), an empty file,
// a file that grows past the limit (a buffer that grows without bound).

const MAX = 64 << 20;

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

test('files of every size, one after another, come back whole and nothing more, whatever size was measured', () => {
  const dir = tempDir();
  dirs.push(dir);
  const reader = new WholeFileReader();
  const sizes = [3 << 20, 10, 0, (1 << 20) + 5, 1 << 20, 7, (5 << 20) + 3, 1];
  sizes.forEach((size, i) => {
    const file = path.join(dir, `f${i}`);
    const bytes = crypto.randomBytes(size);
    fs.writeFileSync(file, bytes);
    expect(reader.read(file, size, MAX)!.equals(bytes)).toBe(true);
    // Measured smaller than it is (it grew after the stat): still read to its end, by a reader whose buffer must grow.
    expect(new WholeFileReader().read(file, Math.floor(size / 3), MAX)!.equals(bytes)).toBe(true);
    // Measured bigger than it is (it shrank): only what is there.
    expect(reader.read(file, size + 4096, MAX)!.equals(bytes)).toBe(true);
  });
});

test('a file that cannot be opened throws, as readFileSync does, and the next file still reads', () => {
  const dir = tempDir();
  dirs.push(dir);
  const reader = new WholeFileReader();
  expect(() => reader.read(path.join(dir, 'missing'), 10, MAX)).toThrow(/ENOENT/);
  const file = path.join(dir, 'ok');
  fs.writeFileSync(file, 'hello');
  expect(reader.read(file, 5, MAX)!.toString()).toBe('hello');
});

test('a file longer than the limit, whatever was measured, gives null and the reader reads the next file whole', () => {
  const dir = tempDir();
  dirs.push(dir);
  const reader = new WholeFileReader();
  const big = path.join(dir, 'big');
  fs.writeFileSync(big, crypto.randomBytes((3 << 20) + 1));
  // Measured small (it grew after the stat), and the limit below its size: refused, not read to its end.
  expect(reader.read(big, 100, 2 << 20)).toBeNull();
  expect(reader.read(big, 100, 3 << 20)).toBeNull();
  // Exactly at the limit: read whole.
  expect(reader.read(big, 100, (3 << 20) + 1)?.length).toBe((3 << 20) + 1);
  const small = path.join(dir, 'small');
  fs.writeFileSync(small, 'after');
  expect(reader.read(small, 5, 4)).toBeNull();
  expect(reader.read(small, 5, 5)?.toString()).toBe('after');
});
