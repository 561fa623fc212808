import { beforeAll, describe, expect, it } from 'vitest';
import type { EvidenceApi } from '../../main/custody/api';
import type { Fault } from '../aws-model';
import { type FaultCase, type Golden, golden, killAndResume, killPoints, occurrences, runWithFault, sdkRetries } from './harness';

interface FaultKind {
  name: string;
  fault: Fault;
  /** The run must end in the promised state without any step failing and without a resume. */
  absorbed: boolean;
  applies?(service: string, op: string): boolean;
}

/** The faults of the issue, each injected at every mutating call of the plan. */
export const FAULTS: FaultKind[] = [
  { name: 'reply lost after AWS applied the call', fault: { kind: 'drop-reply' }, absorbed: true },
  {
    name: "reply lost, then the SDK's own retry reaches AWS again",
    fault: { kind: 'drop-reply-retried' },
    absorbed: true,
    // Creates without a client token are sent once (sdkRetries false): the SDK never resends them.
    applies: (s, o) => sdkRetries(s as never, o),
  },
  { name: 'no answer before the timeout, applied', fault: { kind: 'stall', apply: true }, absorbed: true },
  { name: 'no answer before the timeout, not applied', fault: { kind: 'stall', apply: false }, absorbed: false },
  { name: 'throttled three times, then answered', fault: { kind: 'throttle', times: 3 }, absorbed: true },
  { name: 'HTTP 500 after AWS applied it', fault: { kind: 'server-error', apply: true }, absorbed: true },
  { name: 'HTTP 500, not applied (plain failure), then resumed', fault: { kind: 'server-error' }, absorbed: false },
];

const noStepFailed = (steps: { key: string; state: string }[]) =>
  steps.filter((s) => s.state === 'failed' || s.state === 'pending' || s.state === 'running');

/**
 * The fault-injection suite of one plan: a fault-free run fixes the promised
 * end state (and checks it); then each fault at each mutating call, and a
 * kill at each step boundary (every call, before and after AWS applied it,
 * and after each local write), must end in exactly that modelled state.
 */
export function faultSuite(c: FaultCase, locals: { method: keyof EvidenceApi; count: number }[] = []): void {
  describe(c.name, () => {
    let g: Golden;
    beforeAll(async () => {
      g = await golden(c);
    });

    for (const f of FAULTS)
      it(`fault at each mutating call: ${f.name}`, async () => {
        const mutating = occurrences(g.calls, (x) => x.applied);
        expect(mutating.length).toBeGreaterThan(0);
        // (A memory plan has one mutating call, SendCommand, which the SDK never resends: that fault has no target there.)
        const targets = mutating.filter((t) => f.applies?.(t.service, t.op) ?? true);
        for (const t of targets) {
          const where = `${t.service}:${t.op} #${t.nth}`;
          const r = await runWithFault(c, t, f.fault);
          expect(r.hit, `${where}: the fault fired`).toBeGreaterThan(0);
          expect(r.done?.state, `${where}: ${String((r.firstError as Error | null)?.message)}`).toBe('succeeded');
          expect(noStepFailed(r.record.steps), where).toEqual([]);
          if (f.absorbed) expect((r.firstError as Error | null)?.message ?? null, `${where}: absorbed without a failure`).toBeNull();
          else if (r.firstError) expect((r.firstError as { hint?: string }).hint, where).toMatch(/resume|try again/i);
          expect(r.state, `${where}: final modelled state`).toEqual(g.state);
          expect(r.evidence, `${where}: evidence items`).toBe(g.evidence);
        }
      });

    it('kill at each step boundary (as each step starts, and after each call AWS applied), then resume in a second Lariat', async () => {
      const points = killPoints(g);
      expect(points.length).toBeGreaterThan(g.stepStarts.length - 1);
      for (const { at: t, apply } of points) {
        const where = `${t.service}:${t.op} #${t.nth} ${apply ? 'after' : 'before'} apply`;
        const r = await killAndResume(c, { at: t, apply });
        expect(r.listed.interrupted, `${where}: shown as interrupted once the lease expired`).toBe(true);
        expect(r.done.state, where).toBe('succeeded');
        expect(noStepFailed(r.done.steps), where).toEqual([]);
        expect(r.state, `${where}: final modelled state`).toEqual(g.state);
        expect(r.evidence, `${where}: evidence items`).toBe(g.evidence);
        expect(r.custody.exported ?? 0, `${where}: exported entries`).toBe(g.custody.exported ?? 0);
      }
    });

    if (locals.length)
      it('kill right after each local write (evidence, custody), then resume: nothing recorded twice', async () => {
        for (const { method, count } of locals)
          for (let nth = 1; nth <= count; nth++) {
            const where = `${method} #${nth}`;
            const r = await killAndResume(c, { local: method, nth });
            expect(r.done.state, where).toBe('succeeded');
            expect(r.state, `${where}: final modelled state`).toEqual(g.state);
            expect(r.evidence, `${where}: evidence items`).toBe(g.evidence);
            expect(r.custody.exported ?? 0, `${where}: exported entries`).toBe(g.custody.exported ?? 0);
          }
      });
  });
}
