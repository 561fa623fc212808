import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { nativeBindingOf, type Db } from '../../db/database';
import { AppError } from '../../core/errors';
import { threadCode } from '../threads/thread-code';
import { attachSearch, reconcileSearch, setDirty } from './fts-index';

/**
 * Full-text terms pending before FTS5 writes a segment (its default is 1 MiB). A batch's terms
 * exceed the default, so each batch made several segments that merges then rewrote.
 */
const HASH_BYTES = 16 * 1024 * 1024;
const HASH_DEFAULT = 1024 * 1024;
/**
 * Segments of one level FTS5 lets pile up before merging them, while the thread runs (its default is 4,
 * restored at the end). At a million events the default merges rewrote the same terms often enough to
 * cost a quarter of the thread's time (9-10 s against 5.5-7 s of CPU, bench/.work experiments); the
 * searches timed on the result were as fast (0.1-0.5 ms a page).
 */
const BULK_AUTOMERGE = 16;
const AUTOMERGE_DEFAULT = 4;

/**
 * Feeds the full-text index from a second thread during an import, so
 * tokenising runs beside the main thread's event inserts instead of after
 * them. Batches are indexed in the order they are sent; `finish` waits for
 * all of them. The index is marked dirty while the thread runs: if Lariat
 * stops half-way, the next start indexes whatever is missing. If the thread
 * fails, `finish` indexes the rest on the main thread instead.
 */
export class SearchWriter {
  private worker: Worker | null = null;
  private failure: string | null = null;
  private seq = 0;
  private readonly waiting = new Set<number>();
  private readonly idle: (() => void)[] = [];

  constructor(
    private readonly db: Db,
    private readonly textOf?: (id: number) => string | null,
  ) {}

  /** Starts the thread; false (and indexing stays on the main thread) where it cannot run. */
  start(): boolean {
    const file = attachSearch(this.db);
    if (file === ':memory:') return false;
    setDirty(this.db, true);
    const sqlite = createRequire(import.meta.url).resolve('better-sqlite3');
    const w = new Worker(threadCode('search'), {
      eval: true,
      // A batch's texts are the heap's biggest tenant; a cap makes the thread collect them early.
      resourceLimits: { maxOldGenerationSizeMb: 96, maxYoungGenerationSizeMb: 16 },
      workerData: { sqlite, nativeBinding: nativeBindingOf(this.db), file, hashBytes: HASH_BYTES, automerge: BULK_AUTOMERGE },
    });
    w.on('message', (m: { seq: number; error?: string }) => {
      if (m.error && !this.failure) this.failure = m.error;
      this.settle(m.seq);
    });
    const down = (err?: unknown) => {
      if (!this.failure) this.failure = err instanceof Error ? err.message : 'the search thread stopped';
      this.worker = null;
      for (const seq of [...this.waiting]) this.settle(seq);
    };
    w.on('error', down);
    w.on('exit', () => down());
    this.worker = w;
    return true;
  }

  /**
   * Queues events by their packed raw JSON, several files as one batch (one transaction, one
   * segment). The buffers are handed over without a copy: the caller must not use them after.
   */
  addPacked(parts: { ids: Float64Array; raw: Uint8Array }[]): void {
    if (parts.length)
      this.post(
        { type: 'add', parts },
        parts.flatMap((p) => [p.ids.buffer as ArrayBuffer, p.raw.buffer as ArrayBuffer]),
      );
  }

  /** Queues the full-text form of events as strings. */
  addTexts(ids: number[], texts: string[]): void {
    if (ids.length) this.post({ type: 'add', parts: [{ ids: Float64Array.from(ids), texts }] }, []);
  }

  /** Resolves once at most `max` batches are waiting: keeps memory flat when tokenising is slower than inserting. */
  async backlog(max: number): Promise<void> {
    while (this.waiting.size > max) await new Promise<void>((resolve) => this.idle.push(resolve));
  }

  /** Waits for every batch; ends the thread; repairs on the main thread if it failed. */
  async finish(): Promise<void> {
    if (this.worker) this.post({ type: 'finish', hashBytes: HASH_DEFAULT, automerge: AUTOMERGE_DEFAULT }, []);
    await this.backlog(0);
    void this.worker?.terminate();
    this.worker = null;
    if (!this.failure) return setDirty(this.db, false);
    try {
      reconcileSearch(this.db, undefined, this.textOf);
    } catch (err) {
      throw new AppError(
        'search-index-failed',
        `The events were imported, but the full-text index could not be updated: ${this.failure ?? (err as Error).message}.`,
        'Free disk space if it is full, then restart Lariat: it indexes the missing events at start.',
        { cause: err },
      );
    }
  }

  private post(message: Record<string, unknown>, transfer: ArrayBuffer[]): void {
    if (!this.worker) return; // failed: finish() indexes the rest
    const seq = this.seq++;
    this.waiting.add(seq);
    this.worker.postMessage({ ...message, seq }, transfer);
  }

  private settle(seq: number): void {
    this.waiting.delete(seq);
    for (const resolve of this.idle.splice(0)) resolve();
  }
}
