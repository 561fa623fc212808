import path from 'node:path';
import zlib from 'node:zlib';
import { createRequire } from 'node:module';

interface Crc32Module {
  unsigned(buf: Buffer | string, previous?: number): number;
}

let done = false;

/**
 * yazl computes the zip CRC-32 of every byte with `buffer-crc32`, pure
 * JavaScript at ~110 MB/s, which made packing evidence 4x slower than `zip`.
 * Node (>= 20.15) has a native `zlib.crc32`; this swaps it in for yazl's copy
 * of the module, only after checking that both give the same value for a
 * continued checksum. Without it, bundles are identical, only slower.
 */
export function useNativeCrc32(): void {
  if (done) return;
  done = true;
  if (typeof zlib.crc32 !== 'function') return;
  try {
    const require = createRequire(import.meta.url);
    const yazlDir = path.dirname(require.resolve('yazl'));
    const mod = require(require.resolve('buffer-crc32', { paths: [yazlDir] })) as Crc32Module;
    const probe = Buffer.from('lariat case bundle');
    const seed = mod.unsigned(Buffer.from('seed'));
    if (mod.unsigned(probe, seed) !== zlib.crc32(probe, seed) || mod.unsigned(probe) !== zlib.crc32(probe)) return;
    mod.unsigned = (buf, previous) => zlib.crc32(buf, previous ?? 0);
  } catch {
    // Keep yazl's own implementation.
  }
}
