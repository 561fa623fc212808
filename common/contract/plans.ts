import * as z from 'zod';
import { channel } from './define';
import { AwsAccountId, AwsRegion, CaseNumber, LongText, NoInput, Severity, Tag, Tlp, text } from './common';
import type { CaseRecord, NoteRecord, TaskRecord } from './cases';
import { type Contact, type Plan, type StepBinding, PlanName, ResponsePlanArn } from './plan-schema';

export * from './plan-schema';

/** Where a plan comes from: shipped with Lariat, the organisation's playbook folder, or stored in this data folder. */
export type PlanOrigin = 'shipped' | 'organisation' | 'local' | 'incident-manager';

export interface PlanSummary {
  name: string;
  kind: 'plan' | 'playbook';
  title: string;
  description: string;
  origin: PlanOrigin;
  steps: number;
  phases: string[];
  tags: string[];
  /** File name for shipped and organisation playbooks. */
  file: string | null;
}

export interface PlanDetail extends PlanSummary {
  plan: Plan;
}

/** A playbook file that could not be read: listed so an organisation sees why its edit did not load. */
export interface PlanFileProblem {
  file: string;
  origin: PlanOrigin;
  message: string;
}

export interface ContactRecord {
  contact: Contact;
  origin: 'local' | 'ssm-contacts' | 'plan';
  /** Plans whose engagements name this contact. */
  usedBy: string[];
}

/** Whether a step's binding can be used in this build, and why not. */
export interface StepAvailability {
  available: boolean;
  reason: string | null;
}

/** One step of the playbook a case was started from, with its task. */
export interface PlaybookStep {
  id: string;
  title: string;
  phase: string;
  description: string;
  taskId: number | null;
  taskStatus: TaskRecord['status'] | null;
  assignee: string;
  dueDate: string | null;
  binding: StepBinding | null;
  /** Words for the binding ("Response action: isolate", "Timeline: highlight access-key-created"). */
  label: string | null;
  availability: StepAvailability;
  /** Where the step's button leads: a case tab and its route query. Null for manual steps and for notes. */
  target: { tab: string; query: Record<string, string> } | null;
  manual: string | null;
  noteId: number | null;
}

export interface CasePlaybook {
  caseNumber: string;
  /** Null when the case was not started from a plan. */
  plan: {
    name: string;
    title: string;
    kind: 'plan' | 'playbook';
    origin: string;
    appliedAt: string;
    appliedBy: string;
    sha256: string;
    impact: number;
    impactMeaning: string;
    references: { title: string; url: string }[];
  } | null;
  phases: { id: string; title: string; steps: PlaybookStep[] }[];
  engagements: Contact[];
  runbooks: { documentName: string; label: string | null; parameters: Record<string, string | number | boolean> }[];
  actions: { name: string; availability: StepAvailability }[];
}

const PlanRef = z.object({ name: PlanName }).strict();

export const CreateCaseFromPlanInput = z
  .object({
    plan: PlanName,
    title: text().trim().min(1, 'Give the case a short title').max(200),
    severity: Severity.optional(),
    tlp: Tlp.optional(),
    summary: LongText.optional(),
    lead: text().trim().max(200).optional(),
    accounts: z.array(AwsAccountId).max(100).optional(),
    regions: z.array(AwsRegion).max(40).optional(),
    tags: z.array(Tag).max(50).optional(),
  })
  .strict();
export type CreateCaseFromPlanInput = z.infer<typeof CreateCaseFromPlanInput>;

export const ImportPlanInput = z
  .object({
    /** The plan as JSON text (what `exportPlan` produced); parsed and validated in main. */
    json: text().min(2).max(2_000_000),
    /** Replace a stored plan of the same name. */
    replace: z.boolean().optional(),
  })
  .strict();

export const ImportResponsePlanInput = z
  .object({ region: AwsRegion, responsePlanArn: ResponsePlanArn, name: PlanName.optional(), replace: z.boolean().optional() })
  .strict();

export const plansContract = {
  listPlans: channel<{ plans: PlanSummary[]; problems: PlanFileProblem[] }>()(
    NoInput,
    'Response plans and playbooks: shipped, from the organisation folder, and stored here.',
  ),
  getPlan: channel<PlanDetail>()(PlanRef, 'One plan or playbook in full.'),
  importPlan: channel<PlanSummary>()(ImportPlanInput, 'Store a plan from its JSON (validated field by field).'),
  exportPlan: channel<{ name: string; json: string }>()(PlanRef, 'A plan as portable JSON.'),
  deletePlan: channel<{ name: string }>()(PlanRef, 'Remove a plan stored in this data folder (shipped playbooks are files).'),
  importResponsePlan: channel<PlanSummary>()(
    ImportResponsePlanInput,
    'Read an Incident Manager response plan (GetResponsePlan) and its contacts, and store it as a plan.',
  ),
  listContacts: channel<ContactRecord[]>()(NoInput, 'Contacts and escalation plans known here and named by plans.'),
  importContacts: channel<ContactRecord[]>()(
    z.object({ region: AwsRegion }).strict(),
    'Read contacts, their channels and escalation plans from ssm-contacts.',
  ),
  createCaseFromPlan: channel<CaseRecord>()(
    CreateCaseFromPlanInput,
    "Open a case from a plan: incident defaults, tasks and the plan's playbook steps.",
  ),
  applyPlanToCase: channel<CasePlaybook>()(
    z.object({ caseNumber: CaseNumber, plan: PlanName }).strict(),
    'Apply a plan to a case that has none yet (its tasks are added).',
  ),
  getCasePlaybook: channel<CasePlaybook>()(
    z.object({ caseNumber: CaseNumber }).strict(),
    "The case's playbook: steps by phase with their tasks and what each is bound to.",
  ),
  addPlaybookNote: channel<NoteRecord>()(
    z.object({ caseNumber: CaseNumber, stepId: text().regex(/^[a-z0-9][a-z0-9-]{0,62}$/) }).strict(),
    "Write a step's note template into the case notes (once).",
  ),
};
