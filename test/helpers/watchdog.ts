import type { JobContext } from '../../main/jobs/job-service';

/**
 * A job context for work a test awaits in a hook, which remembers the work's last progress, and a timer that, if
 * the work is still running after `ms`, prints that progress and the process's live resources to stderr. A hook
 * timeout alone says only that the hook did not finish (CI once saw the sample import's hook time out at 120 s,
 * where it takes 2-3 s, and never again in 120 runs of that file and 570 imports in a loop); this says where the
 * work stood, and whether it was waiting on the disk, a thread or a timer. It asserts nothing and changes nothing.
 */
export function watchedJob(label: string, ms: number): { job: JobContext; stop(): void } {
  const started = Date.now();
  let last = { done: 0, total: null as number | null, at: started };
  const controller = new AbortController();
  const timer = setTimeout(() => {
    const resources = process.getActiveResourcesInfo().reduce<Record<string, number>>((n, r) => ({ ...n, [r]: (n[r] ?? 0) + 1 }), {});
    process.stderr.write(
      `watchdog: ${label} still running after ${Date.now() - started} ms; last progress ${last.done} of ${last.total ?? '?'} ` +
        `${Date.now() - last.at} ms ago; live resources ${JSON.stringify(resources)}\n`,
    );
  }, ms);
  timer.unref();
  return {
    job: {
      signal: controller.signal,
      progress(done, total) {
        last = { done, total: total === undefined ? last.total : total, at: Date.now() };
      },
      throwIfCancelled: () => undefined,
    },
    stop: () => clearTimeout(timer),
  };
}
