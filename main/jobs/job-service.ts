import { randomUUID } from 'node:crypto';
import type { Clock } from '../core/clock';
import type { EventBus } from '../core/events';
import { AppError, toErrorInfo } from '../core/errors';
import type { Logger } from '../core/logger';
import type { JobRecord } from '../../common/contract/jobs';

/** What a running job can do: report progress and notice cancellation. */
export interface JobContext {
  signal: AbortSignal;
  /** Report absolute progress; cheap to call often (events are throttled). */
  progress(done: number, total?: number | null, message?: string): void;
  /** Throws a `cancelled` AppError if the user cancelled; call between units of work. */
  throwIfCancelled(): void;
}

export interface StartOptions {
  kind: string;
  label: string;
  caseNumber?: string | null;
  unit?: JobRecord['unit'];
  total?: number | null;
}

const EMIT_EVERY_MS = 100;

/**
 * Runs long work (hashing, imports, snapshots, memory dumps) with progress,
 * rate and time left pushed as `jobProgress` events, and cancellation through
 * an AbortSignal. The work itself is responsible for cleaning up what it
 * half-did when cancelled; the job records how it ended.
 */
export class JobService {
  private readonly jobs = new Map<
    string,
    { record: JobRecord; controller: AbortController; lastEmit: number; samples: [number, number][]; result?: Promise<unknown> }
  >();

  constructor(
    private readonly deps: {
      clock: Clock;
      events: EventBus;
      /** Where a failed job is logged (with its code), and the file its hint names. */
      log?: Logger;
      /** Turns what a job threw into what the investigator is told (see main/core/faults.ts). */
      classify?: (err: unknown) => AppError;
    },
  ) {}

  /** Starts `work` and returns its job id at once, plus the promise of its result. */
  start<T>(options: StartOptions, work: (ctx: JobContext) => Promise<T>): { jobId: string; result: Promise<T> } {
    const id = randomUUID();
    const controller = new AbortController();
    const record: JobRecord = {
      id,
      kind: options.kind,
      label: options.label,
      caseNumber: options.caseNumber ?? null,
      state: 'running',
      done: 0,
      total: options.total ?? null,
      unit: options.unit ?? 'bytes',
      rate: 0,
      etaSeconds: null,
      startedAt: this.deps.clock.now().toISOString(),
      finishedAt: null,
      message: null,
      error: null,
    };
    const entry: {
      record: JobRecord;
      controller: AbortController;
      lastEmit: number;
      samples: [number, number][];
      result?: Promise<unknown>;
    } = {
      record,
      controller,
      lastEmit: 0,
      samples: [],
    };
    this.jobs.set(id, entry);
    this.deps.events.emit('jobProgress', { ...record });

    const ctx: JobContext = {
      signal: controller.signal,
      progress: (done, total, message) => this.progress(entry, done, total, message),
      throwIfCancelled: () => {
        if (controller.signal.aborted) throw cancelledError();
      },
    };
    const result = (async () => {
      try {
        const value = await work(ctx);
        this.finish(entry, controller.signal.aborted ? 'cancelled' : 'done', null);
        this.deps.log?.info('job', { kind: options.kind, ok: true, state: entry.record.state });
        return value;
      } catch (err) {
        const cancelled = controller.signal.aborted || (err instanceof AppError && err.code === 'cancelled');
        const fault = cancelled ? null : (this.deps.classify?.(err) ?? null);
        if (!cancelled) {
          const code = fault?.code ?? (err instanceof AppError ? err.code : 'internal');
          const serious = code === 'internal' || code === 'db-corrupt' || code === 'search-corrupt';
          this.deps.log?.write(serious ? 'error' : 'warn', 'job', {
            kind: options.kind,
            ok: false,
            code,
            ...(serious ? { error: err } : {}),
          });
        }
        this.finish(
          entry,
          cancelled ? 'cancelled' : 'failed',
          cancelled ? null : (fault?.toInfo() ?? toErrorInfo(err, this.deps.log?.file)),
        );
        throw err;
      }
    })();
    // The caller may not await; a failure is already recorded on the job.
    result.catch(() => undefined);
    entry.result = result;
    return { jobId: id, result };
  }

  /** Runs `work` as a job and waits for it (CLI and tests). */
  async run<T>(options: StartOptions, work: (ctx: JobContext) => Promise<T>): Promise<T> {
    return this.start(options, work).result;
  }

  /**
   * The result of a job an operation started: operations start jobs and return their ids (the app
   * follows them through events), and the CLI, calling the same operation, waits here.
   */
  wait<T>(jobId: string): Promise<T> {
    const entry = this.jobs.get(jobId);
    if (!entry?.result) throw new AppError('not-found', `Job ${jobId} is not known in this session.`, 'Start the operation again.');
    return entry.result as Promise<T>;
  }

  cancel(jobId: string): JobRecord {
    const entry = this.jobs.get(jobId);
    if (!entry)
      throw new AppError(
        'not-found',
        `Job ${jobId} is not known in this session.`,
        'It may have ended before Lariat restarted; look at the activity log.',
      );
    if (entry.record.state === 'running') entry.controller.abort();
    return { ...entry.record };
  }

  list(): JobRecord[] {
    return [...this.jobs.values()].map((e) => ({ ...e.record })).reverse();
  }

  private progress(
    entry: { record: JobRecord; lastEmit: number; samples: [number, number][] },
    done: number,
    total?: number | null,
    message?: string,
  ): void {
    const r = entry.record;
    if (r.state !== 'running') return;
    r.done = done;
    if (total !== undefined) r.total = total;
    if (message !== undefined) r.message = message;
    const now = Date.now();
    entry.samples.push([now, done]);
    while (entry.samples.length > 2 && now - entry.samples[0]![0] > 3000) entry.samples.shift();
    const [t0, d0] = entry.samples[0]!;
    const dt = (now - t0) / 1000;
    r.rate = dt > 0 ? Math.max(0, (done - d0) / dt) : 0;
    r.etaSeconds = r.total != null && r.rate > 0 ? Math.max(0, (r.total - done) / r.rate) : null;
    if (now - entry.lastEmit >= EMIT_EVERY_MS) {
      entry.lastEmit = now;
      this.deps.events.emit('jobProgress', { ...r });
    }
  }

  private finish(entry: { record: JobRecord }, state: JobRecord['state'], error: JobRecord['error']): void {
    const r = entry.record;
    r.state = state;
    r.error = error;
    r.etaSeconds = null;
    r.finishedAt = this.deps.clock.now().toISOString();
    this.deps.events.emit('jobProgress', { ...r });
  }
}

export function cancelledError(): AppError {
  return new AppError('cancelled', 'The job was cancelled.', 'Nothing half-done was kept. Start it again when ready.');
}
