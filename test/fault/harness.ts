import fs from 'node:fs';
import { expect } from 'vitest';
import type { ActionKind, ActionRecord } from '../../common/contract/response';
import { OPERATIONS, type AwsService } from '../../main/aws/operations';
import type { EvidenceApi } from '../../main/custody/api';
import { fastTempDir, lariatWithModel, type Lariat, type LariatEnv } from '../aws-model/lariat-env';
import { createAwsModel, type CallRecord, type Fault, type ModelState } from '../aws-model';
import type { ScenarioOptions } from '../aws-model/scenario';

/** One plan to prove: how to set the world up, what to plan, and what "done" must look like in the model. */
export interface FaultCase {
  name: string;
  scenario?: ScenarioOptions;
  /** Runs before the action under test, without faults (e.g. the isolation a release undoes). */
  before?(env: LariatEnv): Promise<void>;
  kind: ActionKind;
  options?: Record<string, unknown>;
  /** The kind's target fields when it is not web-1 (`{ bucket }`, `{ region, functionName }`). */
  target?: Record<string, unknown>;
  /** How the action is planned when not by `env.plan` (a release of an earlier containment: planRelease). */
  planWith?(env: LariatEnv): Promise<ActionRecord>;
  /** The promised end state, asserted on the model (not on Lariat's records). */
  promise(env: LariatEnv, action: ActionRecord): void;
}

/** What the fault-free run did: its final (normalised) state, every call it made, and what Lariat recorded. */
export interface Golden {
  state: unknown;
  calls: CallRecord[];
  /** Index in `calls` of the first call of each step. */
  stepStarts: number[];
  evidence: number;
  custody: Record<string, number>;
}

/** Times Lariat writes into the model (the revocation's cut-off) differ run to run; poll counters too. */
export function normalise(state: ModelState): unknown {
  return JSON.parse(JSON.stringify(state), (key, value: unknown) => {
    if (key === 'counter' || key === 'polls') return undefined;
    if (typeof value === 'string') return value.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '<time>');
    return value;
  });
}

interface Template {
  dir: string;
  state: ModelState;
  caseNumber: string;
  actionId: number;
}
const templates = new Map<FaultCase, Template>();

/**
 * A fresh world with the action planned (and `before` done): built once per
 * case, then copied (data folder and model state) for each scenario, which
 * keeps hundreds of scenarios fast.
 */
export async function setUp(c: FaultCase): Promise<{ env: LariatEnv; action: ActionRecord }> {
  let t = templates.get(c);
  if (!t) {
    const env = lariatWithModel({ scenario: c.scenario });
    await c.before?.(env);
    const action = c.planWith ? await c.planWith(env) : await env.plan(c.kind, c.options, c.target);
    env.services.close();
    const dir = fastTempDir('lariat-template-');
    fs.cpSync(env.dataDir, dir, { recursive: true });
    t = { dir, state: env.model.snapshot(), caseNumber: env.caseNumber, actionId: action.id };
    templates.set(c, t);
    env.cleanup();
    process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  }
  const dataDir = fastTempDir();
  fs.cpSync(t.dir, dataDir, { recursive: true });
  const env = lariatWithModel({ model: createAwsModel({ state: t.state }), dataDir, caseNumber: t.caseNumber });
  return { env, action: env.feature.response.get(t.actionId) };
}

function records(l: Lariat): { evidence: number; custody: Record<string, number> } {
  const custody: Record<string, number> = {};
  for (const e of l.services.custody.ledger.list(l.caseNumber)) custody[e.action] = (custody[e.action] ?? 0) + 1;
  return { evidence: l.services.custody.vault.list(l.caseNumber).length, custody };
}

export async function golden(c: FaultCase): Promise<Golden> {
  const { env, action } = await setUp(c);
  try {
    const stepStarts: number[] = [];
    env.services.core.events.subscribe((name, payload) => {
      const p = payload as { stepState?: string | null };
      if (name === 'actionChanged' && p.stepState === 'running') stepStarts.push(env.model.calls.length);
    });
    const done = await env.run(action.id);
    expect(done.state).toBe('succeeded');
    expect(env.model.unhandled).toEqual([]);
    const state = normalise(env.model.snapshot());
    c.promise(env, done);
    return { state, calls: [...env.model.calls], stepStarts, ...records(env) };
  } finally {
    env.cleanup();
  }
}

/** Each call of the golden run as "the nth call of service:op", which is how a fault finds it again. */
export function occurrences(
  calls: CallRecord[],
  filter: (c: CallRecord) => boolean,
): { service: AwsService; op: string; nth: number; applied: boolean }[] {
  const seen = new Map<string, number>();
  const out = [];
  for (const c of calls) {
    const k = `${c.service}:${c.op}`;
    const nth = (seen.get(k) ?? 0) + 1;
    seen.set(k, nth);
    if (filter(c)) out.push({ service: c.service, op: c.op, nth, applied: c.applied });
  }
  return out;
}

/**
 * Where a kill leaves a distinct state: at the first call of each step (the
 * step is marked running, nothing applied yet) and after each call that AWS
 * applied (applied, not yet recorded). A kill before a later call of the same
 * step leaves the same state as one of those.
 */
export function killPoints(g: Golden): { at: { service: AwsService; op: string; nth: number }; apply: boolean }[] {
  const all = occurrences(g.calls, () => true);
  const out: { at: { service: AwsService; op: string; nth: number }; apply: boolean }[] = [];
  all.forEach((t, i) => {
    const at = { service: t.service, op: t.op, nth: t.nth };
    if (g.stepStarts.includes(i)) out.push({ at, apply: false });
    if (t.applied) out.push({ at, apply: true });
  });
  return out;
}

/** Whether the SDK itself would resend this operation after a dropped connection (see OperationDef.sdkRetries). */
export function sdkRetries(service: AwsService, op: string): boolean {
  return (OPERATIONS[service] as Record<string, { sdkRetries: boolean }>)[op]?.sdkRetries ?? true;
}

/**
 * Runs the action with one fault armed; resumes (faults cleared) until it
 * succeeds, at most twice. Returns what happened so the caller can assert.
 */
export async function runWithFault(c: FaultCase, at: { service: AwsService; op: string; nth: number }, fault: Fault) {
  const { env, action } = await setUp(c);
  try {
    const hit = env.model.inject({ service: at.service, op: at.op, nth: at.nth, fault });
    let firstError: unknown = null;
    let done = await env.run(action.id).catch((err: unknown) => {
      firstError = err;
      return null;
    });
    env.model.clearFaults();
    for (let k = 0; !done && k < 2; k++) done = await env.run(action.id).catch(() => null);
    return {
      env,
      hit: hit.hits,
      firstError,
      done,
      state: normalise(env.model.snapshot()),
      ...records(env),
      record: env.feature.response.get(action.id),
    };
  } finally {
    env.cleanup();
  }
}

/**
 * Simulates the runner process being killed mid-action, in this process: the
 * fault `hang` makes one call never answer (after AWS applied it, or before),
 * the runner is abandoned there (its lease stops being renewed, as a killed
 * process's would), the clock moves past the lease, and a second Lariat on the
 * same data folder resumes the action.
 */
export async function killAndResume(
  c: FaultCase,
  kill: { at: { service: AwsService; op: string; nth: number }; apply: boolean } | { local: keyof EvidenceApi; nth: number },
) {
  const { env, action } = await setUp(c);
  try {
    let reached: Promise<void>;
    if ('at' in kill) {
      reached = env.model.inject({ ...kill.at, fault: { kind: 'hang', apply: kill.apply } }).reached;
    } else reached = crashAfterLocal(env, kill.local, kill.nth);
    const first = env.run(action.id);
    first.catch(() => undefined);
    await Promise.race([reached, first.then(() => Promise.reject(new Error('the action ended before the kill point was reached')))]);
    env.model.clearFaults();
    env.clock.advance(env.feature.response.leases.ttlMs + 60_000);
    const second = env.open();
    const listed = second.feature.response.list(env.caseNumber).find((a) => a.id === action.id)!;
    const done = await second.run(action.id);
    return { env, listed, done, state: normalise(env.model.snapshot()), ...records(second) };
  } finally {
    env.cleanup();
  }
}

/**
 * A kill right after a local write (evidence registered, custody entry
 * appended, bytes imported) and before the step is marked succeeded: the
 * first Lariat's lease is made to fail at that moment, so it stops exactly
 * there and writes nothing more, as a killed process would.
 */
function crashAfterLocal(env: LariatEnv, method: keyof EvidenceApi, nth: number): Promise<void> {
  const evidence = env.services.custody.vault as unknown as Record<string, (...a: unknown[]) => unknown>;
  const original = evidence[method]!.bind(evidence);
  let calls = 0;
  let fire!: () => void;
  const reached = new Promise<void>((resolve) => (fire = resolve));
  evidence[method] = (...args: unknown[]) => {
    const out = original(...args);
    if (++calls === nth) {
      env.feature.response.leases.renew = () => false;
      fire();
    }
    return out;
  };
  return reached;
}
