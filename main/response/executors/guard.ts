import { AppError } from '../../core/errors';
import { iamActionFor, operation, type AwsService } from '../../aws/operations';
import { type StepContext, type StepOutcome, causeCode, mustStop, ok } from './context';

/** What a check saw when the change was already in place, and the result a later step may need (a group id). */
export interface InPlace {
  saw: unknown;
  result?: Record<string, unknown>;
}

/**
 * How to tell that one operation's effect is already in place. Checked
 * before the call (a resumed or repeated step then calls nothing) and after
 * any failure of the call (a reply lost after AWS applied it, or AWS's own
 * "already exists"/"not found" answer to a repeat): in place means the step
 * succeeded, with what the check saw as its evidence. A check may also throw
 * an AppError to refuse: the resource is in a state Lariat must not override.
 */
export interface Guard {
  /** The read-only operations the check calls, `service:Operation` (shown with the plan; in the IAM policy). */
  checks: readonly string[];
  inPlace(ctx: StepContext, params: Record<string, unknown>): Promise<InPlace | null>;
  /** Runs just before the call when the effect is not in place (e.g. an Auto Scaling group's capacity). */
  before?(ctx: StepContext, params: Record<string, unknown>): Promise<void>;
}

const registry = new Map<string, Guard>();

/** Declares the guard of `service:Operation` (each guard module registers its own). */
export function defineGuards(service: AwsService, guards: Record<string, Guard>): void {
  for (const [op, g] of Object.entries(guards)) registry.set(`${service}:${op}`, g);
}

export function guardFor(service: string, operation: string): Guard | undefined {
  return registry.get(`${service}:${operation}`);
}

/** IAM actions of the checks a step may make, for the plan and the policy test. */
export function checkActions(service: string, operation: string): string[] {
  const g = guardFor(service, operation);
  return (g?.checks ?? []).map((c) => {
    const [s, o] = c.split(':') as [AwsService, string];
    return iamActionFor(s, o);
  });
}

/** A check that failed for an AWS reason (denied, throttled, unreachable) is not a verdict; a refusal is. */
const isRefusal = (err: unknown): boolean => err instanceof AppError && !err.code.startsWith('aws-');

/** Evidence that the change was already in place: a success, never a failure. */
function already(guard: Guard, found: InPlace, afterError?: string): StepOutcome {
  return ok({
    ...found.result,
    AlreadyInPlace: true,
    CheckedWith: guard.checks,
    Saw: found.saw,
    ...(afterError ? { AfterError: afterError } : {}),
  });
}

/**
 * Makes the step's call safe to repeat: check, call, and after a failure
 * check again. Without a guard for the operation, it just calls.
 */
export async function runGuarded(
  ctx: StepContext,
  params: Record<string, unknown>,
  apply: () => Promise<Record<string, unknown>>,
): Promise<StepOutcome> {
  const guard = guardFor(ctx.service, ctx.operation);
  if (!guard) return ok(await apply());
  let checkFailed: string | undefined;
  try {
    const before = await guard.inPlace(ctx, params);
    if (before) return already(guard, before);
  } catch (err) {
    if (isRefusal(err) || mustStop(ctx, err)) throw err;
    // A create without an idempotency token is never sent blind: an earlier attempt may have made it.
    if (!operation(ctx.service as AwsService, ctx.operation).sdkRetries) throw err;
    // Otherwise the check could not be made (say, a missing Describe permission): the call, safe to repeat, still decides.
    checkFailed = err instanceof Error ? err.message : String(err);
  }
  await guard.before?.(ctx, params);
  try {
    const out = await apply();
    return ok(checkFailed ? { ...out, CheckFailed: checkFailed } : out);
  } catch (err) {
    if (mustStop(ctx, err)) throw err;
    let after: InPlace | null;
    try {
      after = await guard.inPlace(ctx, params);
    } catch (checkErr) {
      if (isRefusal(checkErr)) throw checkErr;
      throw err;
    }
    if (after) return already(guard, after, causeCode(err));
    throw err;
  }
}
