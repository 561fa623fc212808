import fs from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { PackedFile } from './packed-file';
import type { ThreadRules } from './api';
import { threadCode } from './threads/thread-code';

/**
 * Files up to this size (also after gunzip) are parsed whole on the parse thread; bigger ones stream
 * in-thread (flat memory). CloudTrail delivers files of a few MB; 16 MB keeps the thread's heap small.
 */
export const WORKER_MAX_BYTES = 16 * 1024 * 1024;
/** The parse thread's heap limit: it collects garbage early instead of growing (a thread that runs out falls back to streaming). */
const HEAP_MB = 96;
/**
 * Its young generation: records die young, so most of what the thread allocates (2.3 GB per 200,000 records, with the
 * rules' per-record reads) never leaves it. 48 MB rather than 16, so fewer short-lived objects are scavenged
 * repeatedly or promoted into the capped old generation. The CPU saving is within run-to-run noise at 1M records
 * (rules off: 61.6-76.4 s after, 69.6-72.6 s before); the cost is ~20-40 MB more peak RSS (448-470 MB against the
 * 512 MB goal, now that the main thread's heap is capped).
 */
const YOUNG_MB = 48;

/**
 * The parse thread (threads/parse-thread.ts): reads, parses and classifies
 * whole-document files ahead of the main thread, which only writes them. On
 * two cores, parsing no longer waits for SQLite. A thread failure never fails
 * an import: the file is parsed in-thread instead.
 */
export class ParseWorker {
  private worker: Worker | null = null;
  private broken = false;
  private nextId = 0;
  private readonly pending = new Map<number, (r: PackedFile | null) => void>();

  /** `rules`: the import's detection rules, built on the thread so each record is matched where it is parsed. */
  constructor(
    private readonly maxBytes = WORKER_MAX_BYTES,
    private readonly rules: ThreadRules | null = null,
  ) {}

  /**
   * Parses a file on the thread; `null` means "stream it in-thread". The file is opened here, now, and the thread
   * reads that descriptor: the import hands over a vault copy that a commit may rename (or remove, when it is a
   * duplicate) before the thread gets to it, and an open descriptor still reads the bytes that were hashed.
   */
  parse(file: string, flowFields?: string[]): Promise<PackedFile | null> {
    const w = this.start();
    if (!w) return Promise.resolve(null);
    let fd: number;
    try {
      fd = fs.openSync(file, 'r');
    } catch {
      return Promise.resolve(null);
    }
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, (result) => {
        fs.closeSync(fd);
        resolve(result);
      });
      w.postMessage({ id, fd, maxBytes: this.maxBytes, flowFields });
    });
  }

  /** Ends the thread; requests still waiting (and any later ones) answer `null`. */
  close(): void {
    const w = this.worker;
    this.broken = true;
    this.worker = null;
    this.fail();
    void w?.terminate();
  }

  private start(): Worker | null {
    if (this.worker || this.broken) return this.worker;
    try {
      const w = new Worker(threadCode('parse'), {
        eval: true,
        resourceLimits: { maxOldGenerationSizeMb: HEAP_MB, maxYoungGenerationSizeMb: YOUNG_MB },
      });
      w.on('message', (m: { id: number; result: PackedFile | null }) => {
        this.pending.get(m.id)?.(m.result);
        this.pending.delete(m.id);
      });
      const down = () => {
        this.broken = true;
        this.worker = null;
        this.fail();
      };
      w.on('error', down);
      w.on('exit', down);
      if (this.rules) w.postMessage({ init: { sources: this.rules.sources, disabled: this.rules.disabled } });
      this.worker = w;
      return w;
    } catch {
      this.broken = true;
      return null;
    }
  }

  /** Answers every waiting request with "parse in-thread". */
  private fail(): void {
    for (const resolve of this.pending.values()) resolve(null);
    this.pending.clear();
  }
}
