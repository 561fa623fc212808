import { AppError } from '../../core/errors';
import type { AwsClients, Sleep } from '../../aws/clients';
import type { AwsService } from '../../aws/operations';
import { awsErrorCode } from '../../aws/errors';
import type { EvidenceApi } from '../../custody/api';
import { redact, toJson } from '../../aws/redact';
import type { ActionTarget } from '../../../common/contract/response';

/**
 * Look-ups into what Lariat already recorded, so a local step that was
 * interrupted after it wrote (evidence registered, custody entry appended)
 * and before its step was marked succeeded does not write twice on resume.
 */
export interface ResponseRecords {
  /** The evidence item of this case whose source resource is `resource` (a snapshot id, an s3:// URI), if any. */
  findEvidence(caseNumber: string, kind: string, resource: string): number | null;
  /** Whether the item already has a custody entry of this action whose details contain all of `details`. */
  hasCustody(caseNumber: string, evidenceId: number, action: string, details: Record<string, unknown>): boolean;
}

/** What a step executor gets: the resolved request and the means to act and report. */
export interface StepContext {
  clients: AwsClients;
  evidence: EvidenceApi;
  records: ResponseRecords;
  caseNumber: string;
  actionId: number;
  /** What the action acts on. */
  target: ActionTarget;
  /** The target's identifier (historic name: `target.id`). */
  instanceId: string;
  account: string | null;
  key: string;
  service: AwsService | 'lariat';
  region: string;
  operation: string;
  request: Record<string, unknown>;
  options: Record<string, unknown>;
  /** What the action recorded when planned (a release finds the isolation's ACL entries there). */
  recorded: Record<string, unknown>;
  /** Results of the steps that already succeeded, by key. */
  results: ReadonlyMap<string, unknown>;
  toolVersion: string;
  signal: AbortSignal;
  sleep: Sleep;
  pollMs: number;
  now(): Date;
  progress(message: string, fraction?: number): void;
  onRetry(attempt: number, code: string): void;
}

export interface StepOutcome {
  /** `skipped` when there was nothing to do or best-effort evidence could not be captured (the result says which). */
  state: 'succeeded' | 'skipped';
  /** Stored (redacted) and used to resolve later steps' references. */
  result: unknown;
}

export type Executor = (ctx: StepContext) => Promise<StepOutcome>;

/** A step failure that keeps what the step learnt (a command's output) in the step's result. */
export class StepFailure extends AppError {
  constructor(
    code: string,
    message: string,
    hint: string,
    readonly result: Record<string, unknown>,
    options?: { cause?: unknown },
  ) {
    super(code, message, hint, options);
  }
}

/** The step's own call (or `params` instead of its request). */
export const send = <T = Record<string, unknown>>(ctx: StepContext, params = ctx.request, region = ctx.region): Promise<T> =>
  ctx.clients.call<T>(ctx.service as AwsService, region, ctx.operation, params, {
    signal: ctx.signal,
    onRetry: ctx.onRetry,
    context: ctx.instanceId,
  });

/** A read-only call made to check the state of a resource. */
export const read = <T = Record<string, unknown>>(
  ctx: StepContext,
  service: AwsService,
  operation: string,
  params: Record<string, unknown>,
  region = ctx.region,
): Promise<T> =>
  ctx.clients.call<T>(service, region, operation, params, { signal: ctx.signal, onRetry: ctx.onRetry, context: ctx.instanceId });

export const ok = (result: unknown): StepOutcome => ({ state: 'succeeded', result: redact(toJson(result)) });

/** The AWS error code behind a failure (AppErrors keep the SDK error as their cause). */
export function causeCode(err: unknown): string {
  return err instanceof AppError && err.cause ? awsErrorCode(err.cause) : err instanceof AppError ? err.code : awsErrorCode(err);
}

/** Failures that must stop a step at once: cancellation, and another Lariat taking the action over. */
export function mustStop(ctx: StepContext, err: unknown): boolean {
  return ctx.signal.aborted || (err instanceof AppError && (err.code === 'lease-lost' || err.code === 'cancelled'));
}
