import crypto from 'node:crypto';
import { open } from 'node:fs/promises';
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { cancelledError } from '../jobs/job-service';
import { returnReadBuffer, takeReadBuffer } from './read-buffers';

export interface FileHashes {
  md5: string;
  sha1: string;
  sha256: string;
}

type Algo = keyof FileHashes;

// Inline so it runs unchanged from source (tsx) and from the esbuild bundles in dist/.
const WORKER_CODE = `
const { parentPort, workerData } = require('node:worker_threads');
const crypto = require('node:crypto');
const { sab, slotSize, algorithms } = workerData;
const hashes = algorithms.map((a) => crypto.createHash(a));
parentPort.on('message', (m) => {
  if (m.type === 'chunk') {
    const b = Buffer.from(sab, m.slot * slotSize, m.len);
    for (const h of hashes) h.update(b);
    parentPort.postMessage({ type: 'done', slot: m.slot });
  } else if (m.type === 'end') {
    const digests = {};
    algorithms.forEach((a, i) => { digests[a] = hashes[i].digest('hex'); });
    parentPort.postMessage({ type: 'digests', digests });
  }
});
`;

/** How the three hashes are spread over worker threads for this machine's cores. */
export function algorithmGroups(cores = os.availableParallelism()): Algo[][] {
  return cores >= 3 ? [['md5'], ['sha1'], ['sha256']] : [['md5'], ['sha1', 'sha256']];
}

/**
 * The ring of read buffers both hashers share: the caller acquires a slot,
 * reads into it, submits it, and the slot returns to the ring once every user
 * (hash workers, a pending write) has called `done`. Memory stays at
 * `slots * slotSize` for any file size.
 */
abstract class SlotRing {
  abstract readonly slotSize: number;
  protected readonly pending: number[];
  private readonly free: number[] = [];
  private readonly waiters: ((slot: number) => void)[] = [];
  private failure: Error | null = null;
  private failWaiters: ((err: Error) => void)[] = [];

  constructor(slots: number) {
    this.pending = new Array<number>(slots).fill(0);
    for (let i = 0; i < slots; i++) this.free.push(i);
  }

  /** A view of a slot's memory to read into. */
  abstract buffer(slot: number): Buffer;
  /** Hands the first `len` bytes of a slot to the hashes; `holders` other users each call `done(slot)` later. */
  abstract submit(slot: number, len: number, holders?: number): void;
  /** Waits for every submitted chunk and returns the digests. */
  abstract finish(): Promise<FileHashes>;
  abstract destroy(): void;

  /** Waits for a free slot. */
  acquire(): Promise<number> {
    if (this.failure) return Promise.reject(this.failure);
    const slot = this.free.shift();
    if (slot !== undefined) return Promise.resolve(slot);
    return new Promise((resolve, reject) => {
      this.waiters.push(resolve);
      this.failWaiters.push(reject);
    });
  }

  /** One user of a submitted slot is finished with it; the last one frees it. */
  done(slot: number): void {
    if (--this.pending[slot]! === 0) this.release(slot);
  }

  /** Returns an unused slot. */
  release(slot: number): void {
    const waiter = this.waiters.shift();
    if (waiter) {
      this.failWaiters.shift();
      waiter(slot);
    } else this.free.push(slot);
  }

  /** Stops handing out slots: every waiting and later `acquire` rejects with `err`. */
  abort(err: Error): void {
    this.failure = err;
    for (const reject of this.failWaiters) reject(err);
    this.failWaiters = [];
  }
}

/**
 * Computes MD5, SHA-1 and SHA-256 of a byte stream in one pass, with the work
 * spread over worker threads reading a shared buffer (no copies). Worth it for
 * large files; starting the workers costs tens of milliseconds of CPU.
 */
export class ParallelHasher extends SlotRing {
  readonly slotSize: number;
  private readonly sab: SharedArrayBuffer;
  private readonly workers: Worker[];

  constructor(options: { slots?: number; slotSize?: number; groups?: Algo[][] } = {}) {
    const slots = options.slots ?? 8;
    super(slots);
    this.slotSize = options.slotSize ?? 4 << 20;
    this.sab = new SharedArrayBuffer(slots * this.slotSize);
    this.workers = (options.groups ?? algorithmGroups()).map((algorithms) => {
      const w = new Worker(WORKER_CODE, { eval: true, workerData: { sab: this.sab, slotSize: this.slotSize, algorithms } });
      w.on('message', (m: { type: string; slot?: number }) => {
        if (m.type === 'done' && m.slot !== undefined) this.done(m.slot);
      });
      w.on('error', (err) => this.abort(err));
      return w;
    });
  }

  buffer(slot: number): Buffer {
    return Buffer.from(this.sab, slot * this.slotSize, this.slotSize);
  }

  submit(slot: number, len: number, holders = 0): void {
    this.pending[slot] = this.workers.length + holders;
    for (const w of this.workers) w.postMessage({ type: 'chunk', slot, len });
  }

  /** Waits for every submitted chunk and returns the digests; the workers are stopped. */
  async finish(): Promise<FileHashes> {
    try {
      const parts = await Promise.all(
        this.workers.map(
          (w) =>
            new Promise<Partial<FileHashes>>((resolve, reject) => {
              w.on('message', (m: { type: string; digests?: Partial<FileHashes> }) => {
                if (m.type === 'digests') resolve(m.digests ?? {});
              });
              w.once('error', reject);
              w.postMessage({ type: 'end' });
            }),
        ),
      );
      return Object.assign({}, ...parts) as FileHashes;
    } finally {
      this.destroy();
    }
  }

  destroy(): void {
    for (const w of this.workers) void w.terminate();
  }
}

/**
 * The same three hashes on the calling thread: for small files (log exports,
 * findings), where starting worker threads would cost more than hashing.
 */
export class InlineHasher extends SlotRing {
  readonly slotSize: number;
  private readonly buffers: Buffer[];
  private readonly hashes = (['md5', 'sha1', 'sha256'] as const).map((a) => [a, crypto.createHash(a)] as const);

  constructor(options: { slots?: number; slotSize?: number } = {}) {
    const slots = options.slots ?? 2;
    super(slots);
    this.slotSize = options.slotSize ?? 1 << 20;
    this.buffers = Array.from({ length: slots }, () => takeReadBuffer(this.slotSize));
  }

  buffer(slot: number): Buffer {
    return this.buffers[slot]!;
  }

  submit(slot: number, len: number, holders = 0): void {
    const chunk = this.buffers[slot]!.subarray(0, len);
    for (const [, h] of this.hashes) h.update(chunk);
    this.pending[slot] = holders;
    if (holders === 0) this.release(slot);
  }

  /** The digests. Every chunk was submitted and no write of a slot is pending: the slots go back for the next file. */
  async finish(): Promise<FileHashes> {
    for (const b of this.buffers) returnReadBuffer(b);
    return Object.fromEntries(this.hashes.map(([a, h]) => [a, h.digest('hex')])) as unknown as FileHashes;
  }

  /** After a failure a write of a slot may still be pending: its buffers are dropped, not reused. */
  destroy(): void {}
}

export type ChunkHasher = ParallelHasher | InlineHasher;

/** Below this size a file is hashed on the calling thread; above it, on worker threads. */
export const PARALLEL_FROM_BYTES = 16 << 20;

/** The right hasher for a file of `size` bytes. */
export function hasherFor(size: number): ChunkHasher {
  return size < PARALLEL_FROM_BYTES ? new InlineHasher() : new ParallelHasher();
}

/** The three digests of an in-memory buffer (small files, bytes Lariat produced itself). */
export function hashBuffer(bytes: Uint8Array): FileHashes {
  const h = (a: Algo) => crypto.createHash(a).update(bytes).digest('hex');
  return { md5: h('md5'), sha1: h('sha1'), sha256: h('sha256') };
}

/** MD5, SHA-1 and SHA-256 of a file in one read pass, spread over worker threads, in constant memory. */
export async function hashFileParallel(file: string, signal?: AbortSignal): Promise<FileHashes & { size: number }> {
  const fh = await open(file, 'r');
  let hasher: ChunkHasher;
  try {
    hasher = hasherFor((await fh.stat()).size);
  } catch (err) {
    await fh.close();
    throw err;
  }
  let size = 0;
  try {
    for (;;) {
      if (signal?.aborted) throw cancelledError();
      const slot = await hasher.acquire();
      const { bytesRead } = await fh.read(hasher.buffer(slot), 0, hasher.slotSize, null);
      if (bytesRead === 0) {
        hasher.release(slot);
        break;
      }
      hasher.submit(slot, bytesRead);
      size += bytesRead;
    }
    return { ...(await hasher.finish()), size };
  } catch (err) {
    hasher.destroy();
    throw err;
  } finally {
    await fh.close();
  }
}
