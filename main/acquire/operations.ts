import { AppError } from '../core/errors';
import type { JobContext, StartOptions } from '../jobs/job-service';
import type {
  AccountInfo,
  AccountScope,
  AcquisitionRecord,
  AcquisitionSummary,
  AthenaQueryInput,
  AthenaQueryPlan,
  AthenaSetupInput,
  AthenaSetupPlan,
  BucketPlan,
  CloudTrailValidation,
  CoverageMap,
  InboxCaseResult,
  InboxItem,
  LookupEventsInput,
  PlanBucketInput,
  PlaybookQuery,
  PullFindingsInput,
  PullFindingsResult,
  TriageState,
} from '../../common/contract/acquire';
import type { AcquireDeps } from './deps';
import { AccountAccess } from './accounts';
import { acquireLookupEvents } from './cloudtrail/lookup-events';
import { planBucket } from './bucket/plan';
import { runBucket } from './bucket/run';
import { validateCase } from './validate/service';
import { pullFindings as pull } from './findings/pull';
import { attachInboxFinding as attach, openCaseFromInbox as openCase } from './findings/to-case';
import { loggingCoverage as coverage } from './coverage';
import { planAthenaSetup as planSetup, runAthenaSetup } from './athena/setup';
import { planAthenaQuery as planQuery, runAthenaQuery } from './athena/query';
import { PLAYBOOK } from './athena/playbooks';

/**
 * The acquisition feature's operations: one function per operation, called
 * with input already parsed by the contract's schema, by the IPC handlers and
 * the CLI alike. Long ones take a JobContext (progress, cancellation); the
 * `start*` forms run the same function as a background job for the app.
 */

/** Runs `work` as a job and returns its id at once (the app); the CLI awaits the same work through `jobs.run`. */
export function inBackground<T>(d: AcquireDeps, options: StartOptions, work: (job: JobContext) => Promise<T>): { jobId: string } {
  return { jobId: d.core.jobs.start(options, work).jobId };
}

export function lookupEvents(d: AcquireDeps, input: LookupEventsInput, job?: JobContext): Promise<AcquisitionRecord> {
  return acquireLookupEvents(d, input, job);
}

export function startLookupEvents(d: AcquireDeps, input: LookupEventsInput): { jobId: string } {
  return inBackground(
    d,
    {
      kind: 'acquire-lookup-events',
      label: `CloudTrail event history into ${input.caseNumber}`,
      caseNumber: input.caseNumber,
      unit: 'records',
    },
    (job) => lookupEvents(d, input, job),
  );
}

export function planBucketAcquisition(d: AcquireDeps, input: PlanBucketInput, job?: JobContext): Promise<BucketPlan> {
  return planBucket(d, input, job);
}

/** Runs a planned acquisition, or resumes an interrupted one: a bucket download, an Athena setup or an Athena query. */
export function runAcquisition(d: AcquireDeps, acquisitionId: number, job?: JobContext): Promise<AcquisitionRecord> {
  const row = d.store.row(acquisitionId);
  if (row.kind === 'bucket') return runBucket(d, acquisitionId, job);
  if (row.kind === 'athena-setup') return runAthenaSetup(d, acquisitionId, job);
  if (row.kind === 'athena-query') return runAthenaQuery(d, acquisitionId, job);
  throw new AppError(
    'acquisition-not-runnable',
    `Acquisition ${acquisitionId} (${row.kind}) ran when it was started and cannot be run again${row.state === 'running' ? '; it was interrupted and recorded nothing' : ''}.`,
    'Start a new one with the same options.',
  );
}

export function startAcquisition(d: AcquireDeps, acquisitionId: number): { jobId: string } {
  const row = d.store.row(acquisitionId);
  return inBackground(
    d,
    { kind: `acquire-${row.kind}`, label: row.label, caseNumber: row.case_number, unit: row.kind === 'bucket' ? 'bytes' : 'steps' },
    (job) => runAcquisition(d, acquisitionId, job),
  );
}

export function listAcquisitions(d: AcquireDeps, caseNumber: string): AcquisitionSummary[] {
  return d.store.list(d.core.cases.require(caseNumber).id);
}

export function getAcquisition(d: AcquireDeps, acquisitionId: number): AcquisitionRecord {
  return d.store.get(acquisitionId);
}

export function validateCloudTrail(d: AcquireDeps, caseNumber: string): Promise<CloudTrailValidation> {
  return validateCase(d, caseNumber);
}

export function pullFindings(d: AcquireDeps, input: PullFindingsInput, job?: JobContext): Promise<PullFindingsResult> {
  return pull(d, input, job);
}

export function startPullFindings(d: AcquireDeps, input: PullFindingsInput): { jobId: string } {
  return inBackground(
    d,
    { kind: 'acquire-findings', label: 'Pull GuardDuty and Security Hub findings', caseNumber: input.caseNumber ?? null, unit: 'steps' },
    (job) => pullFindings(d, input, job),
  );
}

export function listInbox(
  d: AcquireDeps,
  filter: { states?: TriageState[]; severity?: InboxItem['severityLabel']; source?: InboxItem['source']; search?: string; limit?: number },
): InboxItem[] {
  return d.inbox.list(filter);
}

export function triageFinding(
  d: AcquireDeps,
  input: { inboxId: number; state: 'new' | 'triaged' | 'dismissed'; note?: string },
): InboxItem {
  return d.inbox.triage(input.inboxId, input.state, d.core.actor().name, input.note);
}

export function openCaseFromInbox(d: AcquireDeps, input: { inboxId: number; title?: string }): Promise<InboxCaseResult> {
  return openCase(d, input.inboxId, input.title);
}

export function attachInboxFinding(d: AcquireDeps, input: { inboxId: number; caseNumber: string }): Promise<InboxCaseResult> {
  return attach(d, input.inboxId, input.caseNumber);
}

/** The accounts of a scope and how each is reached (assuming the role in each to prove it). */
export async function listAwsAccounts(d: AcquireDeps, scope: AccountScope): Promise<AccountInfo[]> {
  const access = new AccountAccess({ session: d.session, sleep: d.sleep });
  try {
    return (await access.resolve(scope)).map(({ clients: _c, ...a }) => a);
  } finally {
    access.destroy();
  }
}

export function loggingCoverage(
  d: AcquireDeps,
  input: { caseNumber?: string; regions?: string[]; scope?: AccountScope },
  job?: JobContext,
): Promise<CoverageMap> {
  return coverage(d, input, job);
}

export function planAthenaSetup(d: AcquireDeps, input: AthenaSetupInput, job?: JobContext): Promise<AthenaSetupPlan> {
  return planSetup(d, input, job);
}

export function listAthenaPlaybook(): PlaybookQuery[] {
  return PLAYBOOK;
}

export function planAthenaQuery(d: AcquireDeps, input: AthenaQueryInput, job?: JobContext): Promise<AthenaQueryPlan> {
  return planQuery(d, input, job);
}
