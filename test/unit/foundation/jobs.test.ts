import { describe, expect, it } from 'vitest';
import { JobService } from '../../../main/jobs/job-service';
import { EventBus } from '../../../main/core/events';
import { systemClock } from '../../../main/core/clock';
import type { JobRecord } from '../../../common/contract/jobs';

function setup() {
  const events = new EventBus();
  const seen: JobRecord[] = [];
  events.subscribe((name, payload) => name === 'jobProgress' && seen.push(payload as JobRecord));
  return { jobs: new JobService({ clock: systemClock, events }), seen };
}

describe('JobService', () => {
  it('reports progress with rate and time left, then done', async () => {
    const { jobs, seen } = setup();
    const value = await jobs.run({ kind: 'hash', label: 'Hashing', total: 1000 }, async (ctx) => {
      for (let i = 1; i <= 10; i++) {
        ctx.progress(i * 100);
        await new Promise((r) => setTimeout(r, 25));
      }
      return 'digest';
    });
    expect(value).toBe('digest');
    const last = seen.at(-1)!;
    expect(last).toMatchObject({ state: 'done', done: 1000, total: 1000 });
    expect(seen.some((j) => j.state === 'running' && j.rate > 0 && j.etaSeconds !== null)).toBe(true);
  });

  it('cancels through the signal and records the job as cancelled', async () => {
    const { jobs, seen } = setup();
    const { jobId, result } = jobs.start({ kind: 'import', label: 'Import' }, async (ctx) => {
      for (;;) {
        ctx.throwIfCancelled();
        await new Promise((r) => setTimeout(r, 5));
      }
    });
    setTimeout(() => jobs.cancel(jobId), 20);
    await expect(result).rejects.toMatchObject({ code: 'cancelled' });
    expect(seen.at(-1)).toMatchObject({ id: jobId, state: 'cancelled', error: null });
  });

  it('records a failure with a user-facing error', async () => {
    const { jobs } = setup();
    await expect(jobs.run({ kind: 'x', label: 'X' }, async () => Promise.reject(new Error('disk full')))).rejects.toThrow('disk full');
    expect(jobs.list()[0]).toMatchObject({ state: 'failed', error: { code: 'internal', message: expect.stringContaining('disk full') } });
    expect(() => jobs.cancel('00000000-0000-4000-8000-000000000000')).toThrow(/not known/);
  });
});
