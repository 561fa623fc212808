// The vault thread (bundled by main/timeline/threads/thread-code.ts): runs
// copyIntoVault (copy, three hashes, fsync, read-back check) off the main
// thread, for importers that bring in many files. The same function as on the
// main thread, so a copy made here is checked exactly as any other.
import { parentPort } from 'node:worker_threads';
import { AppError } from '../core/errors';
import { copyIntoVault } from './vault-copy';

type Copy = { type: 'copy'; id: number; source: string; dir: string };
/** Copies at once: enough to overlap one file's fsync with the next one's hashing. */
const PARALLEL = 2;
const running = new Map<number, AbortController>();
const queue: Copy[] = [];

parentPort!.on('message', (m: Copy | { type: 'cancel'; id: number }) => {
  if (m.type === 'copy') queue.push(m);
  else {
    running.get(m.id)?.abort();
    const queued = queue.findIndex((c) => c.id === m.id);
    if (queued !== -1) {
      queue.splice(queued, 1);
      parentPort!.postMessage({ id: m.id, error: { code: 'cancelled', message: '', hint: '' } });
    }
  }
  next();
});

function next(): void {
  if (running.size >= PARALLEL) return;
  const m = queue.shift();
  if (!m) return;
  const abort = new AbortController();
  running.set(m.id, abort);
  copyIntoVault(m.source, m.dir, { signal: abort.signal })
    .then(
      (result) => parentPort!.postMessage({ id: m.id, result }),
      (err: unknown) =>
        parentPort!.postMessage({
          id: m.id,
          error:
            err instanceof AppError
              ? err.toInfo()
              : {
                  code: 'copy-failed',
                  message: err instanceof Error ? err.message : String(err),
                  hint: 'Check the file and the data folder, then import again.',
                },
        }),
    )
    .finally(() => {
      running.delete(m.id);
      next();
    });
  next();
}
