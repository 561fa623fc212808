import { AppError } from '../../core/errors';
import type { AwsClients } from '../../aws/clients';
import { defineExecutors, defineStepCalls } from '../executors';
import { runGuarded } from '../executors/guard';
import { send } from '../executors/context';
import { COLLECTORS, iamEvidenceExecutors } from '../executors/iam-evidence';
import type { StoredStep } from '../action-store';
import type { PlanEnv } from './registry';
import '../executors/guards-iam';

defineExecutors({
  ...iamEvidenceExecutors,
  /** An inline policy: IAM takes the document as a string; the plan shows (and the check compares) the JSON. */
  'put-policy': async (ctx) => {
    const params = { ...ctx.request, PolicyDocument: JSON.stringify(ctx.request.PolicyDocument) };
    const outcome = await runGuarded(ctx, params, () => send(ctx, params));
    return { ...outcome, result: { ...(outcome.result as Record<string, unknown>), PolicyDocument: ctx.request.PolicyDocument } };
  },
});
defineStepCalls('evidence-collect', (request) => COLLECTORS[String(request?.Collector)]?.calls ?? []);

/** Deny everything: what Lariat puts on a compromised user. */
export const DENY_ALL_POLICY = 'LariatDenyAll';
export const denyAllDocument = (): Record<string, unknown> => ({
  Version: '2012-10-17',
  Statement: [{ Sid: 'LariatDenyAllDuringIncident', Effect: 'Deny', Action: '*', Resource: '*' }],
});

/** The policy the IAM console's "Revoke active sessions" writes on a role. */
export const REVOKE_OLDER_SESSIONS = 'AWSRevokeOlderSessions';
export const revokeOlderDocument = (): Record<string, unknown> => ({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Deny',
      Action: ['*'],
      Resource: ['*'],
      Condition: { DateLessThan: { 'aws:TokenIssueTime': { $now: 'time the step runs' } } },
    },
  ],
});

/** The last segment of a user or role ARN (after any path). */
export const nameFromArn = (arn: string): string => arn.slice(arn.lastIndexOf('/') + 1);

/**
 * Whether a containment step may have changed something a release must undo:
 * it ran (or was interrupted, or failed after a call that may have been
 * applied), and it did not find its change already in place before calling.
 */
export function changed(s: StoredStep | undefined): boolean {
  if (!s || s.state === 'pending' || s.state === 'skipped') return false;
  const r = (s.result ?? {}) as { AlreadyInPlace?: boolean; AfterError?: string };
  return !(s.state === 'succeeded' && r.AlreadyInPlace && !r.AfterError);
}

/** A planning read: IAM's answer, or a clear error naming the principal. */
export async function iamRead<T>(
  env: PlanEnv | { clients: AwsClients },
  region: string,
  op: string,
  params: Record<string, unknown>,
): Promise<T> {
  return env.clients.call<T>('iam', region, op, params);
}

export function notFound(what: string, err: unknown): never {
  if (err instanceof AppError && err.code === 'aws-not-found')
    throw new AppError(
      'iam-principal-not-found',
      `${what} does not exist in this account.`,
      'Check the name (and that Lariat is connected to the right account), then plan again.',
      {
        cause: err,
      },
    );
  throw err;
}
