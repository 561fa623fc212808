import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { WholeFileReader } from '../../../main/timeline/importers/whole-file';
import { tempDir } from '../../helpers/services';

// The parse thread reads every file into one reused buffer. What would break it: a file shorter than the one
// before (the old file's tail read as its own), a file that grew after it was measured (cut short), an empty file.

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
    expect(reader.read(file, size).equals(bytes)).toBe(true);
    // Measured smaller than it is (it grew after the stat): still read to its end, by a reader whose buffer must grow.
    expect(new WholeFileReader().read(file, Math.floor(size / 3)).equals(bytes)).toBe(true);
    // Measured bigger than it is (it shrank): only what is there.
    expect(reader.read(file, size + 4096).equals(bytes)).toBe(true);
  });
});

test('a file that cannot be opened throws, as readFileSync does, and the next file still reads', () => {
  const dir = tempDir();
  dirs.push(dir);
  const reader = new WholeFileReader();
  expect(() => reader.read(path.join(dir, 'missing'), 10)).toThrow(/ENOENT/);
  const file = path.join(dir, 'ok');
  fs.writeFileSync(file, 'hello');
  expect(reader.read(file, 5).toString()).toBe('hello');
});
