import * as z from 'zod';
import { channel, event } from './define';
import { CaseNumber, NoInput } from './common';
import { AcquisitionRef, LookupEventsInput, PlanBucketInput } from './acquire-bucket';
import type { AcquisitionRecord, AcquisitionState, AcquisitionSummary, BucketPlan } from './acquire-bucket';
import type { CloudTrailValidation } from './acquire-validation';
import { AttachInboxInput, ListInboxInput, OpenCaseFromInboxInput, PullFindingsInput, TriageInput } from './acquire-findings';
import type { InboxCaseResult, InboxItem } from './acquire-findings';
import { CoverageInput, ListAccountsInput } from './acquire-coverage';
import type { AccountInfo, CoverageMap } from './acquire-coverage';
import { AthenaQueryInput, AthenaSetupInput } from './acquire-athena';
import type { AthenaQueryPlan, AthenaSetupPlan, PlaybookQuery } from './acquire-athena';

/**
 * Evidence acquisition from AWS (issue 18): CloudTrail event history, log
 * buckets, CloudTrail digest validation, the findings inbox, several
 * accounts and Athena. Everything that downloads or costs money is planned
 * first (an acquisition in state `planned`) and run by `runAcquisition`.
 */
/*
 * This file holds the channels and events; the schemas and types live by area in acquire-*.ts and are
 * re-exported here so every importer keeps one entry for the feature.
 */
export * from './acquire-scope';
export * from './acquire-bucket';
export * from './acquire-validation';
export * from './acquire-findings';
export * from './acquire-coverage';
export * from './acquire-athena';

export const acquireContract = {
  acquireLookupEvents: channel<{ jobId: string }>()(
    LookupEventsInput,
    "Acquire CloudTrail event history (LookupEvents) for a window across the case's regions into one evidence item, then the timeline.",
  ),
  planBucketAcquisition: channel<BucketPlan>()(
    PlanBucketInput,
    'List the log objects (and digests) of a window in a trail or bucket: count and size, stored as a planned acquisition. Nothing is downloaded.',
  ),
  runAcquisition: channel<{ jobId: string }>()(
    AcquisitionRef,
    'Run a planned acquisition (bucket download, Athena setup or query), or resume one that was interrupted.',
  ),
  listAcquisitions: channel<AcquisitionSummary[]>()(z.object({ caseNumber: CaseNumber }).strict(), 'Acquisitions of a case, newest first.'),
  getAcquisition: channel<AcquisitionRecord>()(AcquisitionRef, 'One acquisition with its request, result and objects.'),
  validateCloudTrail: channel<CloudTrailValidation>()(
    z.object({ caseNumber: CaseNumber }).strict(),
    "Offline validation of the case's CloudTrail logs with AWS's digest chain and public keys.",
  ),
  pullFindings: channel<{ jobId: string }>()(
    PullFindingsInput,
    'Pull GuardDuty and Security Hub findings into the inbox (triage state kept across pulls).',
  ),
  listInbox: channel<InboxItem[]>()(ListInboxInput, 'The findings inbox, most severe first.'),
  triageFinding: channel<InboxItem>()(TriageInput, 'Set the local triage state of an inbox finding (new, triaged, dismissed).'),
  openCaseFromInbox: channel<InboxCaseResult>()(
    OpenCaseFromInboxInput,
    'Open a case from an inbox finding: its JSON is acquired as evidence and imported.',
  ),
  attachInboxFinding: channel<InboxCaseResult>()(
    AttachInboxInput,
    'Attach an inbox finding to a case: its JSON is acquired as evidence and imported.',
  ),
  listAwsAccounts: channel<AccountInfo[]>()(
    ListAccountsInput,
    'The accounts Lariat would work in (a list, or the Organization), and how it reaches each.',
  ),
  loggingCoverage: channel<CoverageMap>()(
    CoverageInput,
    'Per account and region: trails, validation, data events, flow logs, GuardDuty and Security Hub, and the blind spots.',
  ),
  planAthenaSetup: channel<AthenaSetupPlan>()(
    AthenaSetupInput,
    'Plan an Athena database and partition-projected table over a trail or flow-log bucket; nothing is created.',
  ),
  listAthenaPlaybook: channel<PlaybookQuery[]>()(NoInput, 'The incident response queries Lariat can run in Athena.'),
  planAthenaQuery: channel<AthenaQueryPlan>()(
    AthenaQueryInput,
    'Plan an Athena query: the exact SQL and the bytes it may scan, with a cost estimate.',
  ),
};

export const acquireEvents = {
  acquisitionChanged: event<{ caseNumber: string; acquisitionId: number; state: AcquisitionState }>('An acquisition changed state.'),
};
