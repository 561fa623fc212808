import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import {
  InlineHasher,
  PARALLEL_FROM_BYTES,
  ParallelHasher,
  algorithmGroups,
  hashBuffer,
  hashFileParallel,
  hasherFor,
} from '../../../main/custody/hash-pool';
import { copyIntoVault } from '../../../main/custody/vault-copy';
import { tempDir } from '../../helpers/services';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

test('algorithm groups cover the three hashes on any core count', () => {
  for (const cores of [1, 2, 3, 16]) expect(algorithmGroups(cores).flat().sort()).toEqual(['md5', 'sha1', 'sha256']);
  expect(algorithmGroups(2)).toHaveLength(2);
  expect(algorithmGroups(4)).toHaveLength(3);
});

test('a tiny ring of small slots still hashes every chunk in order', async () => {
  const dir = tempDir();
  dirs.push(dir);
  const bytes = crypto.randomBytes(3 * 65536 + 17);
  const file = path.join(dir, 'f.bin');
  fs.writeFileSync(file, bytes);
  const expected = hashBuffer(bytes);
  expect(expected.sha256).toBe(crypto.createHash('sha256').update(bytes).digest('hex'));
  expect(await hashFileParallel(file)).toEqual({ ...expected, size: bytes.length });
  for (const groups of [[['md5', 'sha1', 'sha256']], [['md5'], ['sha1'], ['sha256']]] as const) {
    const copy = await copyIntoVault(file, path.join(dir, 'vault'), {
      hasher: () => new ParallelHasher({ slots: 2, slotSize: 4096, groups: groups.map((g) => [...g]) }),
    });
    expect(copy.hashes).toEqual(expected);
    expect(fs.readFileSync(copy.tempPath).equals(bytes)).toBe(true);
  }
  const inline = await copyIntoVault(file, path.join(dir, 'vault'), { hasher: () => new InlineHasher({ slots: 2, slotSize: 4096 }) });
  expect(inline.hashes).toEqual(expected);
  expect(fs.readFileSync(inline.tempPath).equals(bytes)).toBe(true);
});

test('small files are hashed on the calling thread, large ones on workers, with the same digests', async () => {
  expect(hasherFor(1024)).toBeInstanceOf(InlineHasher);
  const big = hasherFor(PARALLEL_FROM_BYTES);
  expect(big).toBeInstanceOf(ParallelHasher);
  big.destroy();
  const dir = tempDir();
  dirs.push(dir);
  const bytes = crypto.randomBytes(PARALLEL_FROM_BYTES + 5);
  const file = path.join(dir, 'big.bin');
  fs.writeFileSync(file, bytes);
  const viaWorkers = await hashFileParallel(file);
  const inline = new InlineHasher();
  for (let off = 0; off < bytes.length; off += inline.slotSize) {
    const slot = await inline.acquire();
    const n = bytes.copy(inline.buffer(slot), 0, off, Math.min(bytes.length, off + inline.slotSize));
    inline.submit(slot, n);
  }
  expect({ ...(await inline.finish()), size: bytes.length }).toEqual(viaWorkers);
  expect(viaWorkers).toEqual({ ...hashBuffer(bytes), size: bytes.length });
});

test('an empty file has the well-known digests', async () => {
  const dir = tempDir();
  dirs.push(dir);
  fs.writeFileSync(path.join(dir, 'empty'), '');
  expect(await hashFileParallel(path.join(dir, 'empty'))).toEqual({
    md5: 'd41d8cd98f00b204e9800998ecf8427e',
    sha1: 'da39a3ee5e6b4b0d3255bfef95601890afd80709',
    sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    size: 0,
  });
});

test('an aborted hasher rejects waiting and later acquires', async () => {
  const h = new ParallelHasher({ slots: 1, slotSize: 16, groups: [['md5']] });
  const slot = await h.acquire();
  const waiting = h.acquire();
  h.abort(new Error('disk full'));
  await expect(waiting).rejects.toThrow('disk full');
  await expect(h.acquire()).rejects.toThrow('disk full');
  expect(slot).toBe(0);
  h.destroy();
});
