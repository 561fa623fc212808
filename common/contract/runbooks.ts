import * as z from 'zod';
import { channel, event } from './define';
import { AwsRegion, CaseNumber, Id, text } from './common';
import type { ErrorInfo } from './errors';
import { DocumentName } from './plan-schema';

/** An SSM Automation document (runbook) as the list shows it. */
export interface RunbookSummary {
  name: string;
  owner: string;
  /** `Amazon` for AWS-owned documents, `Self` for the account's. */
  ownedBy: 'Amazon' | 'Self' | 'Other';
  description: string | null;
  documentVersion: string | null;
  /** Runbooks that contain or change resources (AWSSupport-Contain*, *Isolate*...) are flagged so the UI asks twice. */
  changesResources: boolean;
}

export interface RunbookParameter {
  name: string;
  type: string;
  description: string;
  defaultValue: string | null;
  required: boolean;
}

export interface RunbookDetail extends RunbookSummary {
  parameters: RunbookParameter[];
}

export type RunbookState = 'planned' | 'starting' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'discarded';

export interface RunbookStepView {
  stepExecutionId: string;
  name: string;
  action: string | null;
  status: string;
  startedAt: string | null;
  endedAt: string | null;
  inputs: Record<string, string>;
  outputs: Record<string, string[]>;
  failure: string | null;
}

/** One run of a runbook from a case: the exact request, its live status and every step. */
export interface RunbookRun {
  id: number;
  caseNumber: string;
  documentName: string;
  documentVersion: string | null;
  region: string;
  parameters: Record<string, string[]>;
  /** The StartAutomationExecution request exactly as it is (or was) sent. */
  request: Record<string, unknown>;
  iamAction: string;
  state: RunbookState;
  awsStatus: string | null;
  executionId: string | null;
  outputs: Record<string, string[]> | null;
  failure: string | null;
  error: ErrorInfo | null;
  steps: RunbookStepView[];
  evidenceIds: number[];
  actor: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** Marked running but no job of this session follows it: `runbookStatus` (or Follow) picks it up again. */
  unfollowed: boolean;
}

const Values = z.array(text().max(4096)).max(50);

export const PlanRunbookInput = z
  .object({
    caseNumber: CaseNumber,
    region: AwsRegion,
    documentName: DocumentName,
    documentVersion: text()
      .regex(/^([$]DEFAULT|[$]LATEST|\d{1,6})$/)
      .optional(),
    parameters: z.record(text().regex(/^[\w.-]{1,128}$/), Values).default({}),
  })
  .strict();
export type PlanRunbookInput = z.output<typeof PlanRunbookInput>;

const RunRef = z.object({ runId: Id }).strict();

export const runbooksContract = {
  listRunbooks: channel<RunbookSummary[]>()(
    z
      .object({
        region: AwsRegion,
        owner: z.enum(['Amazon', 'Self', 'all']).default('all'),
        search: text().trim().max(100).optional(),
      })
      .strict(),
    "AWS-owned and the account's SSM Automation runbooks (ListDocuments, DocumentType=Automation).",
  ),
  describeRunbook: channel<RunbookDetail>()(
    z.object({ region: AwsRegion, documentName: DocumentName }).strict(),
    'A runbook with its parameters (DescribeDocument).',
  ),
  planRunbook: channel<RunbookRun>()(PlanRunbookInput, 'Check the parameters and store the exact start request; nothing runs in AWS.'),
  startRunbook: channel<{ jobId: string; runId: number }>()(
    z.object({ runId: Id, confirmDocumentName: text().max(128) }).strict(),
    'Start a planned runbook once its name was typed back; follows it live as a job.',
  ),
  getRunbookRun: channel<RunbookRun>()(RunRef, 'One run as recorded here (no AWS call): e.g. a plan to review before starting it.'),
  runbookStatus: channel<RunbookRun>()(RunRef, 'Refresh a run from AWS and record any new step (never twice).'),
  followRunbook: channel<{ jobId: string; runId: number }>()(RunRef, 'Follow a running runbook again as a job (after a restart).'),
  stopRunbook: channel<RunbookRun>()(RunRef, 'Stop a running runbook (StopAutomationExecution, Cancel).'),
  discardRunbook: channel<RunbookRun>()(RunRef, 'Discard a planned runbook that never started.'),
  listRunbookRuns: channel<RunbookRun[]>()(z.object({ caseNumber: CaseNumber }).strict(), 'Runbook runs of a case, newest first.'),
};

export const runbooksEvents = {
  runbookChanged: event<{ caseNumber: string; runId: number; state: RunbookState }>('A runbook run or one of its steps changed.'),
};
