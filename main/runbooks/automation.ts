import type { AwsClients } from '../aws/clients';
import { AppError } from '../core/errors';
import type { RunbookDetail, RunbookState, RunbookStepView, RunbookSummary } from '../../common/contract/runbooks';

/** Names of runbooks that only read or collect; anything else is treated as changing resources. */
const READ_ONLY = /(Troubleshoot|Collect|Gather|Describe|Get|List|Diagnos|Analy[sz]|Check|Validate|Export)/i;
const MAX_DOCUMENTS = 1000;

export const changesResources = (name: string): boolean => !READ_ONLY.test(name);

/** Terminal automation statuses, as Lariat's run states. */
export function stateOf(status: string | undefined): RunbookState | null {
  if (!status) return null;
  if (['Success', 'CompletedWithSuccess'].includes(status)) return 'succeeded';
  if (['Failed', 'TimedOut', 'Rejected', 'CompletedWithFailure', 'ChangeCalendarOverrideRejected', 'Exited'].includes(status))
    return 'failed';
  if (status === 'Cancelled') return 'cancelled';
  return null;
}

const TERMINAL_STEP = new Set([
  'Success',
  'Failed',
  'TimedOut',
  'Cancelled',
  'Skipped',
  'Exited',
  'CompletedWithSuccess',
  'CompletedWithFailure',
]);
export const stepEnded = (status: string): boolean => TERMINAL_STEP.has(status);

export async function listDocuments(
  clients: AwsClients,
  region: string,
  owner: 'Amazon' | 'Self' | 'all',
  search?: string,
): Promise<RunbookSummary[]> {
  const out: RunbookSummary[] = [];
  const owners = owner === 'all' ? ['Amazon', 'Self'] : [owner];
  for (const o of owners) {
    let token: string | undefined;
    do {
      const page = await clients.call<{
        NextToken?: string;
        DocumentIdentifiers?: { Name?: string; Owner?: string; DocumentVersion?: string; DisplayName?: string }[];
      }>('ssm', region, 'ListDocuments', {
        Filters: [
          { Key: 'DocumentType', Values: ['Automation'] },
          { Key: 'Owner', Values: [o] },
          ...(search ? [{ Key: 'SearchKeyword', Values: [search] }] : []),
        ],
        MaxResults: 50,
        ...(token ? { NextToken: token } : {}),
      });
      for (const d of page.DocumentIdentifiers ?? []) {
        if (!d.Name) continue;
        out.push({
          name: d.Name,
          owner: d.Owner ?? o,
          ownedBy: o === 'Amazon' ? 'Amazon' : 'Self',
          description: d.DisplayName ?? null,
          documentVersion: d.DocumentVersion ?? null,
          changesResources: changesResources(d.Name),
        });
      }
      token = out.length < MAX_DOCUMENTS ? page.NextToken : undefined;
    } while (token);
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

export async function describeDocument(clients: AwsClients, region: string, name: string): Promise<RunbookDetail> {
  const out = await clients.call<{
    Document?: {
      Name?: string;
      Owner?: string;
      DocumentType?: string;
      Description?: string;
      DocumentVersion?: string;
      Parameters?: { Name?: string; Type?: string; Description?: string; DefaultValue?: string }[];
    };
  }>('ssm', region, 'DescribeDocument', { Name: name });
  const d = out.Document;
  if (!d?.Name)
    throw new AppError(
      'runbook-not-found',
      `The runbook ${name} was not found in ${region}.`,
      'Check the name and the region (`lariat runbook list`).',
    );
  if (d.DocumentType && d.DocumentType !== 'Automation')
    throw new AppError(
      'not-a-runbook',
      `${name} is an SSM ${d.DocumentType} document, not an Automation runbook.`,
      'Pick an Automation document.',
    );
  const owner = d.Owner ?? '';
  return {
    name: d.Name,
    owner,
    ownedBy: owner === 'Amazon' ? 'Amazon' : /^\d{12}$/.test(owner) ? 'Self' : 'Other',
    description: d.Description ?? null,
    documentVersion: d.DocumentVersion ?? null,
    changesResources: changesResources(d.Name),
    parameters: (d.Parameters ?? [])
      .filter((p) => p.Name)
      .map((p) => ({
        name: p.Name!,
        type: p.Type ?? 'String',
        description: p.Description ?? '',
        defaultValue: p.DefaultValue ?? null,
        // Automation treats a parameter with no default as required; the role to assume is the usual optional exception.
        required: p.DefaultValue === undefined && p.Name !== 'AutomationAssumeRole',
      })),
  };
}

const iso = (d: Date | string | undefined): string | null => (d ? new Date(d).toISOString() : null);
const strings = (r: Record<string, string[] | string> | undefined): Record<string, string[]> =>
  Object.fromEntries(Object.entries(r ?? {}).map(([k, v]) => [k, Array.isArray(v) ? v.map(String) : [String(v)]]));

export interface ExecutionSnapshot {
  status: string | null;
  /** When AWS says the execution ended (ExecutionEndTime). */
  endedAt: string | null;
  outputs: Record<string, string[]>;
  failure: string | null;
  steps: RunbookStepView[];
}

/** The execution and every step (GetAutomationExecution, DescribeAutomationStepExecutions, all pages). */
export async function readExecution(clients: AwsClients, region: string, executionId: string): Promise<ExecutionSnapshot> {
  const ex = await clients.call<{
    AutomationExecution?: {
      AutomationExecutionStatus?: string;
      Outputs?: Record<string, string[]>;
      FailureMessage?: string;
      ExecutionEndTime?: Date;
    };
  }>('ssm', region, 'GetAutomationExecution', { AutomationExecutionId: executionId });
  const steps: RunbookStepView[] = [];
  let token: string | undefined;
  do {
    const page = await clients.call<{
      NextToken?: string;
      StepExecutions?: {
        StepName?: string;
        Action?: string;
        StepExecutionId?: string;
        StepStatus?: string;
        ExecutionStartTime?: Date;
        ExecutionEndTime?: Date;
        Inputs?: Record<string, string>;
        Outputs?: Record<string, string[]>;
        FailureMessage?: string;
      }[];
    }>('ssm', region, 'DescribeAutomationStepExecutions', {
      AutomationExecutionId: executionId,
      MaxResults: 50,
      ...(token ? { NextToken: token } : {}),
    });
    for (const s of page.StepExecutions ?? []) {
      if (!s.StepExecutionId) continue;
      steps.push({
        stepExecutionId: s.StepExecutionId,
        name: s.StepName ?? s.StepExecutionId,
        action: s.Action ?? null,
        status: s.StepStatus ?? 'Pending',
        startedAt: iso(s.ExecutionStartTime),
        endedAt: iso(s.ExecutionEndTime),
        inputs: Object.fromEntries(Object.entries(s.Inputs ?? {}).map(([k, v]) => [k, String(v)])),
        outputs: strings(s.Outputs),
        failure: s.FailureMessage ?? null,
      });
    }
    token = steps.length < 1000 ? page.NextToken : undefined;
  } while (token);
  const a = ex.AutomationExecution ?? {};
  return {
    status: a.AutomationExecutionStatus ?? null,
    endedAt: iso(a.ExecutionEndTime),
    outputs: strings(a.Outputs),
    failure: a.FailureMessage ?? null,
    steps,
  };
}

/**
 * After a start whose reply was lost: the execution this identity started
 * from this runbook since the attempt, if there is exactly one.
 */
export async function findStarted(
  clients: AwsClients,
  region: string,
  input: { documentName: string; since: string; callerArn: string | null },
): Promise<string | null> {
  const since = new Date(new Date(input.since).getTime() - 5 * 60_000).toISOString();
  const out = await clients.call<{
    AutomationExecutionMetadataList?: { AutomationExecutionId?: string; DocumentName?: string; ExecutedBy?: string }[];
  }>('ssm', region, 'DescribeAutomationExecutions', {
    Filters: [
      { Key: 'DocumentNamePrefix', Values: [input.documentName] },
      { Key: 'StartTimeAfter', Values: [since] },
    ],
    MaxResults: 50,
  });
  const mine = (out.AutomationExecutionMetadataList ?? []).filter(
    (m) => m.DocumentName === input.documentName && m.AutomationExecutionId && (!input.callerArn || m.ExecutedBy === input.callerArn),
  );
  if (mine.length > 1)
    throw new AppError(
      'runbook-start-ambiguous',
      `Lariat cannot tell which of ${mine.length} executions of ${input.documentName} started since ${input.since} is this run (the reply to the start was lost).`,
      `Look them up in the Systems Manager console (${mine.map((m) => m.AutomationExecutionId).join(', ')}) and stop any duplicate; this run is left as it is.`,
    );
  return mine[0]?.AutomationExecutionId ?? null;
}

/** Evidence an automation produced, named in its outputs: snapshots, images, S3 objects. */
export function artefactsIn(outputs: Record<string, string[]>[]): { kind: 'ebs-snapshot' | 's3-object'; resource: string; what: string }[] {
  const text = outputs.flatMap((o) => Object.values(o).flat()).join('\n');
  const found = new Map<string, { kind: 'ebs-snapshot' | 's3-object'; resource: string; what: string }>();
  for (const m of text.matchAll(/\bsnap-[0-9a-f]{8,17}\b/g))
    found.set(m[0], { kind: 'ebs-snapshot', resource: m[0], what: 'EBS snapshot' });
  for (const m of text.matchAll(/\bami-[0-9a-f]{8,17}\b/g))
    found.set(m[0], { kind: 'ebs-snapshot', resource: m[0], what: 'machine image (backed by EBS snapshots)' });
  for (const m of text.matchAll(/s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\/[^\s"',\]]+/g))
    found.set(m[0], { kind: 's3-object', resource: m[0], what: 'S3 object' });
  return [...found.values()];
}
