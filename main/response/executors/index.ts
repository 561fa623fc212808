import { createHash } from 'node:crypto';
import { AppError } from '../../core/errors';
import { type Executor, type StepContext, type StepOutcome, causeCode, send } from './context';
import { checkActions, runGuarded } from './guard';
import { iamActionFor, type AwsService } from '../../aws/operations';
import './guards-ec2';
import './guards-services';
import { securityGroupExecutors } from './security-groups';
import { evidenceExecutors } from './evidence';
import { snapshotExecutors } from './snapshots';
import { memoryExecutors } from './memory';

export type { ResponseRecords, StepContext, StepOutcome } from './context';
export { StepFailure } from './context';
export { parseResult } from './memory';

/** AWS answers that meant "already the way we want it" for plans stored before every step had a check. */
const ALREADY = new Set(['InvalidPermission.NotFound', 'InvalidPermission.Duplicate']);

const executors: Record<string, Executor> = {
  /** One call, made safe to repeat by its operation's check (see guards-*.ts). */
  call: (ctx) => runGuarded(ctx, ctx.request, () => send(ctx)),

  'call-optional': async (ctx) => {
    try {
      return await runGuarded(ctx, ctx.request, () => send(ctx));
    } catch (err) {
      const code = causeCode(err);
      if (ALREADY.has(code)) return { state: 'skipped', result: { Skipped: code } };
      throw err;
    }
  },

  /** PutRolePolicy takes the document as a string; the cut-off time is the moment the step runs. */
  'revoke-sessions': async (ctx) => {
    const params = { ...ctx.request, PolicyDocument: JSON.stringify(ctx.request.PolicyDocument) };
    const outcome = await runGuarded(ctx, params, () => send(ctx, params));
    return { ...outcome, result: { ...(outcome.result as Record<string, unknown>), PolicyDocument: ctx.request.PolicyDocument } };
  },

  ...securityGroupExecutors,
  ...evidenceExecutors,
  ...snapshotExecutors,
  ...memoryExecutors,
};

/**
 * Registers step executors (a module per family calls it at import time).
 * A step kind names behaviour; a stored plan can only name kinds this build
 * registered, or it fails with plan-step-unknown.
 */
export function defineExecutors(more: Record<string, Executor>): void {
  for (const [kind, exec] of Object.entries(more)) {
    if (executors[kind]) throw new Error(`Step kind ${kind} is defined twice.`);
    executors[kind] = exec;
  }
}

/** IAM actions a step kind may call besides its own operation (an evidence collector's reads), by step kind. */
const extraCalls = new Map<string, (request: Record<string, unknown> | null) => string[]>();

/** Declares the other calls a step kind makes, shown with the plan and checked against the least-privilege policy. */
export function defineStepCalls(kind: string, calls: (request: Record<string, unknown> | null) => string[]): void {
  extraCalls.set(kind, calls);
}

export async function executeStep(kind: string, ctx: StepContext): Promise<StepOutcome> {
  const exec = executors[kind];
  if (!exec) throw new AppError('plan-step-unknown', `Step kind ${kind} is not known to this version.`, 'Plan the action again.');
  return exec(ctx);
}

const RULE_CALLS = [
  'ec2:DescribeSecurityGroups',
  'ec2:AuthorizeSecurityGroupIngress',
  'ec2:AuthorizeSecurityGroupEgress',
  'ec2:RevokeSecurityGroupIngress',
  'ec2:RevokeSecurityGroupEgress',
];

/** IAM actions a step may need besides its own call's: its checks, and for rule convergence the other rule calls. */
export function stepChecks(kind: string, service: string, operation: string, request: Record<string, unknown> | null = null): string[] {
  const extra = extraCalls.get(kind)?.(request) ?? [];
  if (service === 'lariat') return extra;
  if (kind === 'ensure-sg-rules') return RULE_CALLS.filter((a) => a !== `ec2:${operation}`);
  return [...new Set([...checkActions(service, operation), ...extra])].filter((a) => a !== iamActionFor(service as AwsService, operation));
}

/** A short fingerprint of a plan, for the activity log. */
export function planDigest(steps: unknown): string {
  return createHash('sha256').update(JSON.stringify(steps)).digest('hex').slice(0, 16);
}
