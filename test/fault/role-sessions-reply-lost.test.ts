import { describe, expect, it } from 'vitest';
import type { Fault } from '../aws-model';
import { runWithFault } from './harness';
import { roleSessions } from './credential-cases';
import type { IamState } from '../aws-model/modules/iam';

/**
 * The revocation's one mutating call, iam:PutRolePolicy, applied by AWS and
 * its answer lost. The step's check (iam:GetRolePolicy) then finds the exact
 * document it sent, so the step reports "already done" (AlreadyInPlace, with
 * the error it got) and succeeds at once: no second write, no resume, and
 * the cut-off Lariat records is the one AWS holds.
 */
describe('role session revocation: the answer to PutRolePolicy is lost after AWS applied it', () => {
  const faults: [string, Fault, string][] = [
    ['reply dropped (connection reset)', { kind: 'drop-reply' }, 'ECONNRESET'],
    ['no answer before the timeout', { kind: 'stall', apply: true }, ''],
  ];
  it.each(faults)('%s: the step reports already done and the policy is written once', async (_name, fault, code) => {
    const r = await runWithFault(roleSessions, { service: 'iam', op: 'PutRolePolicy', nth: 1 }, fault);
    expect(r.hit).toBe(1);
    expect(r.firstError).toBeNull();
    expect(r.done?.state).toBe('succeeded');
    const step = r.record.steps.find((s) => s.key === 'revoke-sessions')!;
    expect(step.state).toBe('succeeded');
    const result = step.result as Record<string, unknown>;
    expect(result).toMatchObject({
      AlreadyInPlace: true,
      CheckedWith: ['iam:GetRolePolicy'],
      Saw: { PolicyName: 'AWSRevokeOlderSessions' },
    });
    if (code) expect(result.AfterError).toBe(code);
    else expect(result.AfterError).toEqual(expect.any(String));
    // AWS applied it once; the check after the failure read it back, nothing was sent again.
    const puts = r.env.model.calls.filter((c) => c.op === 'PutRolePolicy');
    expect(puts.filter((c) => c.applied)).toHaveLength(1);
    const last = r.env.model.calls.at(-1)!;
    expect([last.op, last.outcome]).toEqual(['GetRolePolicy', 'ok']);
    // The document Lariat recorded (its cut-off) is the one the role holds.
    const inline = r.env.model.slice<IamState>('iam').roles['web-role']!.inline;
    expect(Object.keys(inline)).toEqual(['AWSRevokeOlderSessions']);
    expect(JSON.parse(decodeURIComponent(inline.AWSRevokeOlderSessions!))).toEqual(result.PolicyDocument);
  });
});
