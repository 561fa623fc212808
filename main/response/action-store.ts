import type { Db } from '../db/database';
import type { ErrorInfo } from '../../common/contract/errors';
import type {
  ActionKind,
  ActionRecord,
  ActionState,
  ActionSummary,
  ActionTarget,
  StepRecord,
  StepState,
  TargetType,
} from '../../common/contract/response';
import { notFound } from '../core/errors';
import type { StepSpec } from './plans/types';
import { iamActionFor } from '../aws/operations';
import { stepChecks } from './executors';
import type { ActionLeases, LeaseInfo } from './lease';

interface ActionRow {
  id: number;
  case_number: string;
  kind: ActionKind;
  target_type: TargetType;
  instance_id: string;
  release_of: number | null;
  region: string;
  account: string | null;
  options: string;
  recorded: string;
  state: ActionState;
  error: string | null;
  actor: string;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  steps_done: number;
  steps_total: number;
  warnings: string;
}

interface StepRow {
  idx: number;
  key: string;
  title: string;
  kind: string;
  service: string;
  region: string;
  operation: string;
  iam_action: string;
  request: string;
  state: StepState;
  attempts: number;
  result: string | null;
  error: string | null;
  started_at: string | null;
  finished_at: string | null;
}

const parse = <T>(s: string | null): T | null => (s == null ? null : (JSON.parse(s) as T));

const SELECT = `SELECT a.*, c.number AS case_number,
  COALESCE(json_extract(a.recorded, '$.releaseOf'), json_extract(a.recorded, '$.isolationActionId')) AS release_of,
  (SELECT count(*) FROM response_steps s WHERE s.action_id = a.id AND s.state IN ('succeeded','skipped')) AS steps_done,
  (SELECT count(*) FROM response_steps s WHERE s.action_id = a.id) AS steps_total
  FROM response_actions a JOIN cases c ON c.id = a.case_id`;

/** A stored step: the spec plus its state. */
export type StoredStep = StepRecord;

/**
 * Persistence of actions and their steps. Every state change is its own
 * committed statement (synchronous=FULL), so after a crash the table says
 * exactly which calls succeeded; a trigger refuses to move a succeeded step
 * back to any other state.
 */
export class ActionStore {
  constructor(
    private readonly db: Db,
    private readonly leases: ActionLeases,
  ) {}

  /** Running here, running in another Lariat (live lease), or interrupted (neither). */
  private liveness(r: ActionRow, running: ReadonlySet<number>): { interrupted: boolean; elsewhere: LeaseInfo | null } {
    if (r.state !== 'running' || running.has(r.id)) return { interrupted: false, elsewhere: null };
    const elsewhere = this.leases.heldElsewhere(r.id);
    return { interrupted: !elsewhere, elsewhere };
  }

  insert(a: {
    caseId: number;
    kind: string;
    /** What the action acts on (`instanceId` and `region` alone: an EC2 instance, as stored before other targets). */
    target?: ActionTarget;
    instanceId?: string;
    region?: string;
    account: string | null;
    options: unknown;
    actor: string;
    now: string;
  }): number {
    const t = a.target ?? { type: 'ec2-instance' as const, id: a.instanceId ?? '', region: a.region ?? '' };
    const r = this.db
      .prepare(
        "INSERT INTO response_actions (case_id, kind, target_type, instance_id, region, account, options, state, actor, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'planned', ?, ?)",
      )
      .run(a.caseId, a.kind, t.type, t.id, t.region, a.account, JSON.stringify(a.options ?? {}), a.actor, a.now);
    return Number(r.lastInsertRowid);
  }

  savePlan(actionId: number, recorded: unknown, steps: StepSpec[], warnings: string[] = []): void {
    this.db
      .prepare('UPDATE response_actions SET recorded = ?, warnings = ? WHERE id = ?')
      .run(JSON.stringify(recorded), JSON.stringify(warnings), actionId);
    const ins = this.db.prepare(
      "INSERT INTO response_steps (action_id, idx, key, title, kind, service, region, operation, iam_action, request, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending')",
    );
    steps.forEach((s, i) =>
      ins.run(
        actionId,
        i,
        s.key,
        s.title,
        s.kind,
        s.service,
        s.region,
        s.operation,
        s.service === 'lariat' ? 'none (local)' : iamActionFor(s.service, s.operation),
        JSON.stringify(s.request),
      ),
    );
  }

  summary(id: number): ActionSummary {
    const row = this.db.prepare<[number], ActionRow>(`${SELECT} WHERE a.id = ?`).get(id);
    if (!row) throw notFound('Response action', id, 'List the case actions to find its number.');
    return toSummary(row, { interrupted: false, elsewhere: null });
  }

  get(id: number, running: ReadonlySet<number>): ActionRecord & { steps: StoredStep[] } {
    const row = this.db.prepare<[number], ActionRow>(`${SELECT} WHERE a.id = ?`).get(id);
    if (!row) throw notFound('Response action', id, 'List the case actions to find its number.');
    const steps = this.db.prepare<[number], StepRow>('SELECT * FROM response_steps WHERE action_id = ? ORDER BY idx').all(id).map(toStep);
    return {
      ...toSummary(row, this.liveness(row, running)),
      warnings: JSON.parse(row.warnings) as string[],
      options: JSON.parse(row.options) as Record<string, unknown>,
      recorded: JSON.parse(row.recorded) as Record<string, unknown>,
      steps,
    };
  }

  list(caseNumber: string, running: ReadonlySet<number>): ActionSummary[] {
    return this.db
      .prepare<[string], ActionRow>(`${SELECT} WHERE c.number = ? ORDER BY a.id DESC`)
      .all(caseNumber)
      .map((r) => toSummary(r, this.liveness(r, running)));
  }

  /** Release actions planned for an action (an isolation, a credential containment...), to refuse a second release. */
  releasesOf(actionId: number): { id: number; state: string; finishedAt: string | null }[] {
    return this.db
      .prepare<[number, number], { id: number; state: string; finished_at: string | null }>(
        "SELECT id, state, finished_at FROM response_actions WHERE (kind = 'release' AND json_extract(recorded, '$.isolationActionId') = ?) OR json_extract(recorded, '$.releaseOf') = ? ORDER BY id",
      )
      .all(actionId, actionId)
      .map((r) => ({ id: r.id, state: r.state, finishedAt: r.finished_at }));
  }

  /** The latest isolation of an instance in a case that changed something (for release). */
  latestIsolation(caseNumber: string, instanceId: string): number | null {
    const row = this.db
      .prepare<[string, string], { id: number }>(
        `SELECT a.id FROM response_actions a JOIN cases c ON c.id = a.case_id
         WHERE c.number = ? AND a.instance_id = ? AND a.kind = 'isolate' AND a.state IN ('succeeded','failed','running') ORDER BY a.id DESC LIMIT 1`,
      )
      .get(caseNumber, instanceId);
    return row?.id ?? null;
  }

  setState(
    id: number,
    state: ActionState,
    fields: { error?: ErrorInfo | null; startedAt?: string; finishedAt?: string | null } = {},
  ): void {
    this.db
      .prepare('UPDATE response_actions SET state = ?, error = ?, started_at = COALESCE(?, started_at), finished_at = ? WHERE id = ?')
      .run(state, fields.error ? JSON.stringify(fields.error) : null, fields.startedAt ?? null, fields.finishedAt ?? null, id);
  }

  stepRunning(id: number, idx: number, now: string): void {
    this.db
      .prepare(
        "UPDATE response_steps SET state = 'running', attempts = attempts + 1, error = NULL, started_at = ?, finished_at = NULL WHERE action_id = ? AND idx = ?",
      )
      .run(now, id, idx);
  }

  stepRetry(id: number, idx: number): void {
    this.db.prepare('UPDATE response_steps SET attempts = attempts + 1 WHERE action_id = ? AND idx = ?').run(id, idx);
  }

  stepEnded(
    id: number,
    idx: number,
    state: 'succeeded' | 'skipped' | 'failed',
    result: unknown,
    error: ErrorInfo | null,
    now: string,
  ): void {
    this.db
      .prepare('UPDATE response_steps SET state = ?, result = ?, error = ?, finished_at = ? WHERE action_id = ? AND idx = ?')
      .run(state, result === undefined ? null : JSON.stringify(result), error ? JSON.stringify(error) : null, now, id, idx);
  }
}

function toSummary(r: ActionRow, live: { interrupted: boolean; elsewhere: LeaseInfo | null }): ActionSummary {
  const { interrupted, elsewhere } = live;
  return {
    id: r.id,
    caseNumber: r.case_number,
    kind: r.kind,
    target: { type: r.target_type, id: r.instance_id, region: r.region },
    instanceId: r.instance_id,
    releaseOf: r.release_of,
    region: r.region,
    account: r.account,
    state: r.state,
    interrupted,
    runningElsewhere: elsewhere
      ? {
          pid: elsewhere.pid,
          host: elsewhere.host,
          since: elsewhere.since,
          heartbeatAt: elsewhere.heartbeatAt,
          expiresAt: elsewhere.expiresAt,
        }
      : null,
    actor: r.actor,
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    error: parse<ErrorInfo>(r.error),
    stepsDone: r.steps_done,
    stepsTotal: r.steps_total,
  };
}

function toStep(s: StepRow): StoredStep {
  const request = JSON.parse(s.request) as Record<string, unknown>;
  return {
    index: s.idx,
    key: s.key,
    title: s.title,
    kind: s.kind,
    service: s.service,
    region: s.region,
    operation: s.operation,
    iamAction: s.iam_action,
    checks: stepChecks(s.kind, s.service, s.operation, request),
    request,
    state: s.state,
    attempts: s.attempts,
    result: parse(s.result),
    error: parse<ErrorInfo>(s.error),
    startedAt: s.started_at,
    finishedAt: s.finished_at,
  };
}
