import type { Db } from '../db/database';
import { Plan } from '../../common/contract/plan-schema';

export interface AppliedPlan {
  plan: Plan;
  origin: string;
  sha256: string;
  appliedAt: string;
  appliedBy: string;
}

interface Row {
  plan_name: string;
  origin: string;
  body: string;
  sha256: string;
  applied_at: string;
  applied_by: string;
}

/**
 * The plan each case was started from, kept as applied (a trigger refuses
 * changes), and which task each of its steps became.
 */
export class CasePlanStore {
  constructor(private readonly db: Db) {}

  get(caseId: number): AppliedPlan | null {
    const r = this.db
      .prepare<[number], Row>('SELECT plan_name, origin, body, sha256, applied_at, applied_by FROM case_plans WHERE case_id = ?')
      .get(caseId);
    if (!r) return null;
    // Stored by Lariat after validation; a row that no longer parses is shown as no plan rather than trusted.
    const parsed = Plan.safeParse(JSON.parse(r.body));
    return parsed.success
      ? { plan: parsed.data, origin: r.origin, sha256: r.sha256, appliedAt: r.applied_at, appliedBy: r.applied_by }
      : null;
  }

  insert(caseId: number, a: AppliedPlan): void {
    this.db
      .prepare('INSERT INTO case_plans (case_id, plan_name, origin, body, sha256, applied_at, applied_by) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(caseId, a.plan.name, a.origin, JSON.stringify(a.plan), a.sha256, a.appliedAt, a.appliedBy);
  }

  linkStep(caseId: number, stepId: string, taskId: number): void {
    this.db.prepare('INSERT INTO case_plan_steps (case_id, step_id, task_id) VALUES (?, ?, ?)').run(caseId, stepId, taskId);
  }

  setNote(caseId: number, stepId: string, noteId: number): void {
    this.db.prepare('UPDATE case_plan_steps SET note_id = ? WHERE case_id = ? AND step_id = ?').run(noteId, caseId, stepId);
  }

  steps(caseId: number): Map<string, { taskId: number; noteId: number | null }> {
    return new Map(
      this.db
        .prepare<[number], { step_id: string; task_id: number; note_id: number | null }>(
          'SELECT step_id, task_id, note_id FROM case_plan_steps WHERE case_id = ?',
        )
        .all(caseId)
        .map((r) => [r.step_id, { taskId: r.task_id, noteId: r.note_id }]),
    );
  }
}
