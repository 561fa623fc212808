import path from 'node:path';
import type { Core } from '../core/core';
import type { AwsSession } from '../aws/session';
import type { TaskService } from '../tasks/task-service';
import type { NoteService } from '../notes/note-service';
import { PlanService } from './plan-service';
import { CasePlaybookService } from './case-playbook-service';

/** Response plans and playbooks, and the playbook a case follows (issue 16). */
export interface PlansFeature {
  plans: PlanService;
  casePlaybooks: CasePlaybookService;
  /** For importing response plans and contacts from Incident Manager. */
  session: AwsSession;
}

/** The organisation's own playbook files live beside the case database, in `playbooks/`. */
export function organisationPlaybookDir(dataDir: string): string {
  return path.join(dataDir, 'playbooks');
}

export function createPlansFeature(core: Core, deps: { session: AwsSession; tasks: TaskService; notes: NoteService }): PlansFeature {
  const plans = new PlanService({ core, organisationDir: organisationPlaybookDir(core.paths.dataDir) });
  const casePlaybooks = new CasePlaybookService({ core, tasks: deps.tasks, notes: deps.notes, plans });
  return { plans, casePlaybooks, session: deps.session };
}
