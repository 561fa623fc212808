import type { AwsService } from '../../main/aws/operations';
import type { Input } from './types';

/**
 * What can go wrong with one call. `apply` says whether AWS applied the call
 * before the failure (the client cannot tell, which is the point).
 *
 * - `fail`: AWS answers with this error code `times` times (default 1), nothing applied; then calls pass.
 * - `throttle`: the service's throttling error `times` times, nothing applied.
 * - `server-error`: HTTP 500 `times` times (default 1); with `apply`, the change was made anyway.
 * - `drop-reply`: applied, then the connection drops before the reply (ECONNRESET).
 * - `drop-reply-retried`: applied, reply dropped, and the SDK's retry reaches AWS again: the
 *   client gets the second attempt's answer (often an "already exists"/"not found" error).
 * - `stall`: no answer before the client's deadline (optionally applied); Lariat's timeout fires.
 * - `hang`: never answers (optionally applied): the point where a test "kills" the runner.
 */
export type Fault =
  | { kind: 'fail'; code: string; status?: number; message?: string; times?: number }
  | { kind: 'throttle'; times?: number }
  | { kind: 'server-error'; times?: number; apply?: boolean }
  | { kind: 'drop-reply' }
  | { kind: 'drop-reply-retried' }
  | { kind: 'stall'; apply?: boolean }
  | { kind: 'hang'; apply?: boolean };

export interface FaultRule {
  service?: AwsService;
  op?: string;
  /** The nth call that matches (1-based) triggers the fault; default 1. */
  nth?: number;
  /** Narrows the match (e.g. one group id or one network interface). */
  when?(input: Input, region: string, account: string): boolean;
  fault: Fault;
}

export interface FaultHandle {
  /** How many calls the fault has hit so far. */
  readonly hits: number;
  /** Resolves when the fault first fires (tests wait on it before "killing" the runner). */
  readonly reached: Promise<void>;
  /** For `hang`: let the pending call answer after all (a runner that was paused, not killed, wakes up). */
  release(): void;
}

/** A fault that is armed, with its own match counter. */
export class ArmedFault implements FaultHandle {
  hits = 0;
  private seen = 0;
  readonly reached: Promise<void>;
  private fire!: () => void;
  /** Set by the model while a `hang` holds a call: answers it. */
  answer: (() => void) | null = null;

  release(): void {
    this.answer?.();
  }

  constructor(readonly rule: FaultRule) {
    this.reached = new Promise((resolve) => (this.fire = resolve));
  }

  private get times(): number {
    const f = this.rule.fault;
    return 'times' in f && f.times ? f.times : 1;
  }

  get spent(): boolean {
    return this.hits >= this.times;
  }

  /** Whether this call is hit by the fault (counting matches as it goes). */
  take(service: AwsService, op: string, input: Input, region: string, account = ''): boolean {
    const r = this.rule;
    if (this.spent) return false;
    if (r.service && r.service !== service) return false;
    if (r.op && r.op !== op) return false;
    if (r.when && !r.when(input, region, account)) return false;
    this.seen++;
    if (this.seen < (r.nth ?? 1)) return false;
    this.hits++;
    this.fire();
    return true;
  }
}
