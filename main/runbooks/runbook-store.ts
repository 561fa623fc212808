import type { Db } from '../db/database';
import type { ErrorInfo } from '../../common/contract/errors';
import type { RunbookRun, RunbookState, RunbookStepView } from '../../common/contract/runbooks';

export interface RunRow {
  id: number;
  case_id: number;
  case_number: string;
  document_name: string;
  document_version: string | null;
  region: string;
  parameters: string;
  request: string;
  client_token: string;
  execution_id: string | null;
  state: RunbookState;
  aws_status: string | null;
  outputs: string | null;
  failure: string | null;
  error: string | null;
  actor: string;
  caller_arn: string | null;
  evidence_ids: string;
  created_at: string;
  attempted_at: string | null;
  started_at: string | null;
  finished_at: string | null;
}

export type RunPatch = Partial<
  Pick<
    RunRow,
    | 'execution_id'
    | 'state'
    | 'aws_status'
    | 'outputs'
    | 'failure'
    | 'error'
    | 'caller_arn'
    | 'evidence_ids'
    | 'attempted_at'
    | 'started_at'
    | 'finished_at'
  >
>;
const PATCHABLE: (keyof RunPatch)[] = [
  'execution_id',
  'state',
  'aws_status',
  'outputs',
  'failure',
  'error',
  'caller_arn',
  'evidence_ids',
  'attempted_at',
  'started_at',
  'finished_at',
];

const SELECT = 'SELECT r.*, c.number AS case_number FROM runbook_runs r JOIN cases c ON c.id = r.case_id';

/** Runbook runs and the step states recorded for them (each once: primary key run, step, status). */
export class RunbookStore {
  constructor(private readonly db: Db) {}

  insert(r: {
    caseId: number;
    documentName: string;
    documentVersion: string | null;
    region: string;
    parameters: Record<string, string[]>;
    request: Record<string, unknown>;
    clientToken: string;
    actor: string;
    now: string;
  }): number {
    const { lastInsertRowid } = this.db
      .prepare(
        `INSERT INTO runbook_runs (case_id, document_name, document_version, region, parameters, request, client_token, state, actor, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'planned', ?, ?)`,
      )
      .run(
        r.caseId,
        r.documentName,
        r.documentVersion,
        r.region,
        JSON.stringify(r.parameters),
        JSON.stringify(r.request),
        r.clientToken,
        r.actor,
        r.now,
      );
    return Number(lastInsertRowid);
  }

  row(id: number): RunRow | null {
    return this.db.prepare<[number], RunRow>(`${SELECT} WHERE r.id = ?`).get(id) ?? null;
  }

  rows(caseNumber: string): RunRow[] {
    return this.db.prepare<[string], RunRow>(`${SELECT} WHERE c.number = ? ORDER BY r.id DESC`).all(caseNumber);
  }

  patch(id: number, patch: RunPatch): void {
    const keys = PATCHABLE.filter((k) => patch[k] !== undefined);
    if (!keys.length) return;
    // eslint-disable-next-line no-restricted-syntax -- column names come from the fixed PATCHABLE whitelist; values are named parameters
    this.db.prepare(`UPDATE runbook_runs SET ${keys.map((k) => `${k} = @${k}`).join(', ')} WHERE id = @id`).run({
      ...Object.fromEntries(keys.map((k) => [k, patch[k]])),
      id,
    });
  }

  /** Records a step state; false when it was already recorded (repeated polls). */
  addStep(runId: number, step: RunbookStepView, at: string): boolean {
    return (
      this.db
        .prepare(
          'INSERT INTO runbook_steps (run_id, step_execution_id, status, body, recorded_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
        )
        .run(runId, step.stepExecutionId, step.status, JSON.stringify(step), at).changes > 0
    );
  }

  /** The latest recorded state of each step, in the order steps were first seen. */
  steps(runId: number): RunbookStepView[] {
    const latest = new Map<string, RunbookStepView>();
    for (const r of this.db
      .prepare<[number], { step_execution_id: string; body: string }>(
        'SELECT step_execution_id, body FROM runbook_steps WHERE run_id = ? ORDER BY rowid',
      )
      .all(runId))
      latest.set(r.step_execution_id, JSON.parse(r.body) as RunbookStepView);
    return [...latest.values()];
  }

  toRun(r: RunRow, following: boolean, iamAction: string): RunbookRun {
    return {
      id: r.id,
      caseNumber: r.case_number,
      documentName: r.document_name,
      documentVersion: r.document_version,
      region: r.region,
      parameters: JSON.parse(r.parameters) as Record<string, string[]>,
      request: JSON.parse(r.request) as Record<string, unknown>,
      iamAction,
      state: r.state,
      awsStatus: r.aws_status,
      executionId: r.execution_id,
      outputs: r.outputs ? (JSON.parse(r.outputs) as Record<string, string[]>) : null,
      failure: r.failure,
      error: r.error ? (JSON.parse(r.error) as ErrorInfo) : null,
      steps: this.steps(r.id),
      evidenceIds: JSON.parse(r.evidence_ids) as number[],
      actor: r.actor,
      createdAt: r.created_at,
      startedAt: r.started_at,
      finishedAt: r.finished_at,
      unfollowed: (r.state === 'running' || r.state === 'starting') && !following,
    };
  }
}
