import { Worker } from 'node:worker_threads';
import { AppError } from '../core/errors';
import { cancelledError } from '../jobs/job-service';
import { threadCode } from '../timeline/threads/thread-code';
import type { CopyOptions, CopyResult } from './vault-copy';

type Answer = { id: number; result?: CopyResult; error?: { code: string; message: string; hint: string } };

/**
 * A thread that copies files into the vault (`copyIntoVault`, unchanged) for
 * importers that bring in hundreds of files: hashing and the read-back check
 * then run beside the main thread's database writes instead of between them.
 * `copy` has copyIntoVault's signature, so EvidenceService.stageFile takes it as its copier.
 */
export class VaultStager {
  private readonly worker: Worker;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (r: CopyResult) => void; reject: (e: Error) => void }>();
  private failure: Error | null = null;
  private readonly hooked = new WeakSet<AbortSignal>();

  constructor() {
    this.worker = new Worker(threadCode('vault'), { eval: true });
    this.worker.on('message', (m: Answer) => {
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (m.result) p?.resolve(m.result);
      else p?.reject(m.error?.code === 'cancelled' ? cancelledError() : new AppError(m.error!.code, m.error!.message, m.error!.hint));
    });
    const down = (err?: Error) => {
      this.failure =
        err ?? new AppError('vault-thread-stopped', 'The thread copying files into the vault stopped.', 'Import the files again.');
      for (const p of this.pending.values()) p.reject(this.failure);
      this.pending.clear();
    };
    this.worker.on('error', down);
    this.worker.on('exit', () => down());
  }

  readonly copy = (source: string, dir: string, options: CopyOptions = {}): Promise<CopyResult> => {
    if (this.failure) return Promise.reject(this.failure);
    if (options.signal?.aborted) return Promise.reject(cancelledError());
    const id = this.nextId++;
    const { signal } = options;
    // One listener per signal (an import queues hundreds of copies under one job): cancels every copy still pending.
    if (signal && !this.hooked.has(signal)) {
      this.hooked.add(signal);
      signal.addEventListener(
        'abort',
        () => {
          for (const pending of this.pending.keys()) this.worker.postMessage({ type: 'cancel', id: pending });
        },
        { once: true },
      );
    }
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ type: 'copy', id, source, dir });
    });
  };

  /** Ends the thread; wait for the copies first (a copy cut short leaves its temp file behind). */
  close(): void {
    void this.worker.terminate();
  }
}
