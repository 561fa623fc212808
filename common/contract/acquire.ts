import { z } from 'zod';
import { channel, event } from './define';
import { AwsAccountId, AwsRegion, CaseNumber, Id, NoInput, text, wellFormedText } from './common';
import type { CaseRecord } from './cases';
import type { ErrorInfo } from './errors';

/**
 * Evidence acquisition from AWS (issue 18): CloudTrail event history, log
 * buckets, CloudTrail digest validation, the findings inbox, several
 * accounts and Athena. Everything that downloads or costs money is planned
 * first (an acquisition in state `planned`) and run by `runAcquisition`.
 */

/** An instant: ISO-8601 with a UTC offset, or a date (meaning its start, or for `to` its end). */
const Instant = z.union(
  [z.iso.datetime({ offset: true }).check(wellFormedText), z.iso.date().check(wellFormedText)],
  'a time looks like 2026-11-27T10:00:00Z or 2026-11-27',
);

/** A time window, normalised to ISO-8601 UTC; a `to` date means the end of that day. */
export const TimeWindow = z
  .object({ from: Instant, to: Instant })
  .transform((w) => ({ from: toUtc(w.from, false), to: toUtc(w.to, true) }))
  .refine((w) => w.from < w.to, 'the window must start before it ends (--from before --to)');
export type TimeWindow = z.output<typeof TimeWindow>;

function toUtc(v: string, end: boolean): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return new Date(Date.parse(`${v}T00:00:00Z`) + (end ? 86_400_000 : 0)).toISOString();
  return new Date(Date.parse(v)).toISOString();
}

const RoleName = text().regex(/^[\w+=,.@-]{1,64}$/, 'a role name is letters, digits and +=,.@-_');

/** Which accounts to work in: the current identity's, a list, or the whole AWS Organization (a role assumed in each). */
export const AccountScope = z
  .object({
    accounts: z.array(AwsAccountId).max(500).optional(),
    organization: z.boolean().optional(),
    /** Role assumed in each account other than the current one (default LariatResponder). */
    roleName: RoleName.optional(),
    externalId: text().min(2).max(1224).optional(),
  })
  .strict();
export type AccountScope = z.infer<typeof AccountScope>;

const BucketName = text().regex(
  /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
  'an S3 bucket name is 3-63 lowercase letters, digits, dots and hyphens',
);
const KeyPrefix = text()
  .regex(/^[\w!./*'()=-]{0,512}$/, "a prefix uses letters, digits and !./*'()=-_")
  .transform((p) => p.replace(/^\/+|\/+$/g, ''));
const TrailName = text().regex(/^([\w.-]{3,128}|arn:aws[\w-]*:cloudtrail:[\w-]+:\d{12}:trail\/[\w.-]{3,128})$/, 'a trail name or ARN');

export const LookupEventsInput = z
  .object({
    caseNumber: CaseNumber,
    window: TimeWindow,
    regions: z.array(AwsRegion).min(1).max(40).optional(),
    /** At most one: LookupEvents filters on a single attribute per request. */
    principal: text().trim().min(1).max(256).optional(),
    accessKeyId: text()
      .regex(/^(AKIA|ASIA|AROA|AIDA)[A-Z0-9]{12,124}$/, 'an access key id looks like AKIA...')
      .optional(),
    eventName: text()
      .regex(/^[A-Za-z0-9]{1,128}$/, 'an event name looks like StopLogging')
      .optional(),
    resourceName: text().trim().min(1).max(2048).optional(),
    eventSource: text()
      .regex(/^[a-z0-9.-]{3,128}$/, 'an event source looks like iam.amazonaws.com')
      .optional(),
    scope: AccountScope.optional(),
  })
  .strict()
  .refine(
    (v) => [v.principal, v.accessKeyId, v.eventName, v.resourceName, v.eventSource].filter((x) => x !== undefined).length <= 1,
    'LookupEvents filters on one attribute at a time: give at most one of principal, access key id, event name, resource name, event source',
  );
export type LookupEventsInput = z.output<typeof LookupEventsInput>;

export const LogKind = z.enum(['cloudtrail', 'vpcflowlogs']);
export type LogKind = z.infer<typeof LogKind>;

export const PlanBucketInput = z
  .object({
    caseNumber: CaseNumber,
    window: TimeWindow,
    /** Either a trail (its bucket and prefix come from DescribeTrails) or a bucket. */
    trail: TrailName.optional(),
    bucket: BucketName.optional(),
    prefix: KeyPrefix.optional(),
    logKind: LogKind.default('cloudtrail'),
    /** AWSLogs/<account> folders to take; default: every account found in the bucket. */
    accounts: z.array(AwsAccountId).max(500).optional(),
    /** Organization id of an organization trail (AWSLogs/o-.../<account>/); found in the bucket when accounts are not given. */
    organizationId: text()
      .regex(/^o-[a-z0-9]{10,32}$/)
      .optional(),
    /** Regions to take; default: the case's regions, or every region found. */
    regions: z.array(AwsRegion).max(40).optional(),
    /** Digest files and CloudTrail's public keys for offline validation (CloudTrail only; default on). */
    digests: z.boolean().default(true),
    /** Act in another account (the log archive) through a role there. */
    via: z
      .object({ account: AwsAccountId, roleName: RoleName.optional(), externalId: text().min(2).max(1224).optional() })
      .strict()
      .optional(),
    /** Region of the trail lookup and of the S3 client (S3 follows bucket redirects). */
    region: AwsRegion.optional(),
  })
  .strict()
  .refine((v) => Boolean(v.trail) !== Boolean(v.bucket), 'give either a trail (--trail) or a bucket (--bucket)')
  .refine((v) => !v.trail || v.logKind === 'cloudtrail', 'a trail holds CloudTrail logs; use --bucket for flow logs');
export type PlanBucketInput = z.output<typeof PlanBucketInput>;

export const AcquisitionKind = z.enum(['lookup-events', 'bucket', 'findings', 'coverage', 'athena-setup', 'athena-query']);
export type AcquisitionKind = z.infer<typeof AcquisitionKind>;
export type AcquisitionState = 'planned' | 'running' | 'done' | 'failed' | 'cancelled';

export interface AcquisitionSummary {
  id: number;
  caseNumber: string;
  kind: AcquisitionKind;
  state: AcquisitionState;
  /** Marked running but no process runs it (killed): run it again to resume. */
  interrupted: boolean;
  label: string;
  objectsTotal: number;
  objectsDone: number;
  bytesTotal: number;
  bytesDone: number;
  evidenceIds: number[];
  error: ErrorInfo | null;
  createdAt: string;
  updatedAt: string;
}

export interface AcquisitionRecord extends AcquisitionSummary {
  request: Record<string, unknown>;
  /** Kind-specific facts: counts, listed prefixes, Athena statistics and cost, timeline import report. */
  result: Record<string, unknown>;
  /** Objects by state and kind (log, digest...), with the first ones of each. */
  objects: { kind: string; state: string; count: number; bytes: number }[];
}

/** What a bucket plan shows before anything is downloaded. */
export interface BucketPlan {
  acquisition: AcquisitionRecord;
  bucket: string;
  prefix: string;
  logKind: LogKind;
  accounts: string[];
  regions: string[];
  /** Prefixes listed (one per account, region and day). */
  prefixes: number;
  logs: { count: number; bytes: number };
  digests: { count: number; bytes: number };
  /** Regions whose CloudTrail public keys will be acquired (ListPublicKeys). */
  keyRegions: string[];
  /** Objects listed under the window's days but outside the window (not downloaded; kept for validation). */
  outsideWindow: number;
}

export const AcquisitionRef = z.object({ acquisitionId: Id }).strict();

/** One file in a CloudTrail validation result. */
export type ValidationStatus = 'authentic' | 'changed' | 'deleted' | 'missing' | 'unverified' | 'not-acquired';
export const TAMPER_KINDS = [
  'log-changed',
  'log-deleted',
  'digest-changed',
  'digest-moved',
  'digest-missing',
  'chain-broken',
  'wrong-key',
  'keys-changed',
  'log-not-in-digest',
] as const;
export type TamperKind = (typeof TAMPER_KINDS)[number];

export interface ValidationFile {
  kind: 'digest' | 'log';
  bucket: string;
  key: string;
  account: string | null;
  region: string | null;
  evidenceId: number | null;
  status: ValidationStatus;
  /** Why, in words, when not authentic. */
  reason: string | null;
}

export interface ValidationProblem {
  kind: TamperKind;
  /** `tampering`: a change, deletion or forgery is proven; `gap`: a stretch of time nothing proves (logging or validation was off). */
  severity: 'tampering' | 'gap';
  bucket: string;
  key: string;
  message: string;
}

/** The offline CloudTrail validation of a case: what a report section renders. */
export interface CloudTrailValidation {
  caseNumber: string;
  validatedAt: string;
  /** intact: every digest valid and every referenced log authentic; tampered: a problem proves a change or deletion. */
  verdict: 'intact' | 'tampered' | 'incomplete' | 'nothing-to-validate';
  digests: { total: number; valid: number; invalid: number };
  logs: { authentic: number; changed: number; deleted: number; unverified: number; notAcquired: number };
  keys: { region: string; fingerprint: string; validFrom: string | null; validTo: string | null; evidenceId: number }[];
  files: ValidationFile[];
  problems: ValidationProblem[];
}

export const FindingSource = z.enum(['guardduty', 'securityhub']);
export type FindingSource = z.infer<typeof FindingSource>;
export const FindingSeverity = z.enum(['informational', 'low', 'medium', 'high', 'critical']);
export type FindingSeverity = z.infer<typeof FindingSeverity>;
export const TriageState = z.enum(['new', 'triaged', 'in-case', 'dismissed']);
export type TriageState = z.infer<typeof TriageState>;

export const PullFindingsInput = z
  .object({
    /** The case whose regions (and accounts) are pulled from; optional when regions are given. */
    caseNumber: CaseNumber.optional(),
    regions: z.array(AwsRegion).min(1).max(40).optional(),
    sources: z.array(FindingSource).min(1).max(2).optional(),
    /** Minimum severity. */
    severity: FindingSeverity.optional(),
    types: z.array(text().trim().min(1).max(256)).max(20).optional(),
    /** Resource id or ARN the finding must name (instance id, bucket, access key id, ARN). */
    resource: text().trim().min(1).max(2048).optional(),
    /** Only findings updated in this window. */
    window: TimeWindow.optional(),
    scope: AccountScope.optional(),
  })
  .strict()
  .refine((v) => v.caseNumber || v.regions?.length, 'give a case (its regions are pulled) or regions');
export type PullFindingsInput = z.output<typeof PullFindingsInput>;

export interface PullFindingsResult {
  pulled: number;
  new: number;
  updated: number;
  /** Per account and region: how many, or why nothing could be pulled there. */
  places: { account: string; region: string; source: FindingSource; found: number; error: string | null }[];
}

export interface InboxItem {
  id: number;
  source: FindingSource;
  findingId: string;
  account: string;
  region: string;
  type: string;
  title: string;
  severityLabel: FindingSeverity;
  severityScore: number;
  resource: string | null;
  firstSeen: string | null;
  lastSeen: string | null;
  /** Changed in AWS since the investigator last triaged it. */
  updatedSinceTriage: boolean;
  state: TriageState;
  cases: string[];
  note: string | null;
  pulledAt: string;
  triagedBy: string | null;
  triagedAt: string | null;
}

export const ListInboxInput = z
  .object({
    states: z.array(TriageState).max(4).optional(),
    severity: FindingSeverity.optional(),
    source: FindingSource.optional(),
    search: text().trim().min(1).max(200).optional(),
    limit: z.number().int().min(1).max(5000).optional(),
  })
  .strict();

export const TriageInput = z
  .object({
    inboxId: Id,
    state: z.enum(['new', 'triaged', 'dismissed']),
    note: text().max(2000).optional(),
  })
  .strict();

export const OpenCaseFromInboxInput = z.object({ inboxId: Id, title: text().trim().min(1).max(200).optional() }).strict();
export const AttachInboxInput = z.object({ inboxId: Id, caseNumber: CaseNumber }).strict();

export interface InboxCaseResult {
  item: InboxItem;
  case: CaseRecord;
  evidenceId: number;
}

export const ListAccountsInput = AccountScope;

export interface AccountInfo {
  account: string;
  name: string | null;
  email: string | null;
  status: string | null;
  /** How Lariat reaches it: the current identity, or the role ARN it assumes. */
  via: string;
  /** Why it cannot be reached, if it cannot. */
  error: string | null;
}

export const CoverageInput = z
  .object({
    /** When given, the map is also saved to the case as evidence. */
    caseNumber: CaseNumber.optional(),
    regions: z.array(AwsRegion).min(1).max(40).optional(),
    scope: AccountScope.optional(),
  })
  .strict()
  .refine((v) => v.caseNumber || v.regions?.length, 'give a case (its regions) or regions');

export interface TrailCoverage {
  name: string;
  arn: string;
  homeRegion: string | null;
  multiRegion: boolean;
  organization: boolean;
  logging: boolean | null;
  validation: boolean;
  dataEvents: boolean | null;
  bucket: string | null;
  prefix: string | null;
}

export interface RegionCoverage {
  account: string;
  region: string;
  trails: TrailCoverage[];
  flowLogs: { vpcs: number; resources: string[] } | null;
  guardDuty: { enabled: boolean; detectorId: string | null; status: string | null } | null;
  securityHub: { enabled: boolean } | null;
  /** Blind spots in words: no trail, trail not validated, no data events, no flow logs, GuardDuty off... */
  gaps: string[];
  /** Calls that failed (permission, region disabled), with the IAM action named. */
  errors: string[];
}

export interface CoverageMap {
  generatedAt: string;
  accounts: AccountInfo[];
  regions: RegionCoverage[];
  evidenceId: number | null;
}

export const AthenaSetupInput = z
  .object({
    caseNumber: CaseNumber,
    logKind: LogKind.default('cloudtrail'),
    trail: TrailName.optional(),
    bucket: BucketName.optional(),
    prefix: KeyPrefix.optional(),
    accounts: z.array(AwsAccountId).min(1).max(500).optional(),
    regions: z.array(AwsRegion).min(1).max(40).optional(),
    /** Organization id when the trail is an organization trail (AWSLogs/o-.../<account>/...). */
    organizationId: text()
      .regex(/^o-[a-z0-9]{10,32}$/)
      .optional(),
    database: text()
      .regex(/^[a-z0-9_]{1,64}$/, 'an Athena database name is lowercase letters, digits and _')
      .default('lariat_ir'),
    table: text()
      .regex(/^[a-z0-9_]{1,64}$/, 'an Athena table name is lowercase letters, digits and _')
      .optional(),
    workgroup: text()
      .regex(/^[\w.-]{1,128}$/)
      .default('primary'),
    /** s3://bucket/prefix/ for results when the workgroup does not set one. */
    outputLocation: text()
      .regex(/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/[\w!./*'()=-]*)?$/, 'an output location looks like s3://bucket/athena-results/')
      .optional(),
    /** First day of the partition projection range (YYYY/MM/DD); default 2 years ago. */
    since: z.iso.date().check(wellFormedText).optional(),
    region: AwsRegion.optional(),
    via: z
      .object({ account: AwsAccountId, roleName: RoleName.optional(), externalId: text().min(2).max(1224).optional() })
      .strict()
      .optional(),
  })
  .strict()
  .refine((v) => Boolean(v.trail) !== Boolean(v.bucket), 'give either a trail (--trail) or a bucket (--bucket)');
export type AthenaSetupInput = z.output<typeof AthenaSetupInput>;

export interface AthenaSetupPlan {
  acquisition: AcquisitionRecord;
  region: string;
  workgroup: string;
  outputLocation: string | null;
  database: string;
  table: string;
  location: string;
  /** The exact statements StartQueryExecution will run, in order. */
  statements: string[];
  /** Already there with the same location: running the plan changes nothing. */
  exists: boolean;
}

export interface PlaybookQuery {
  id: string;
  title: string;
  logKind: LogKind;
  /** Where it comes from (AWS incident response playbook or Athena documentation). */
  source: string;
  /** Named parameters the query needs (e.g. accessKeyId). */
  params: string[];
  /** True when the rows are events that can enter the case timeline. */
  events: boolean;
  sql: string;
}

export const AthenaQueryInput = z
  .object({
    caseNumber: CaseNumber,
    /** The Athena setup (acquisition id) whose database and table to query. */
    setupId: Id,
    playbook: text()
      .regex(/^[a-z0-9-]{2,64}$/)
      .optional(),
    /** The investigator's own SELECT; {{table}} and {{partitions}} are filled in by Lariat. */
    sql: text().trim().min(8).max(100_000).optional(),
    params: z.record(text().regex(/^[a-zA-Z]\w{0,63}$/), text().max(2048)).optional(),
    window: TimeWindow,
    accounts: z.array(AwsAccountId).max(500).optional(),
    regions: z.array(AwsRegion).max(40).optional(),
    /** Accept a query that does not restrict the partitions (scans everything in the table). */
    fullScan: z.boolean().optional(),
    /** Import the results into the timeline when they are events (default true). */
    importEvents: z.boolean().default(true),
  })
  .strict()
  .refine((v) => Boolean(v.playbook) !== Boolean(v.sql), 'give either a playbook query (--playbook) or your own SQL (--sql)');
export type AthenaQueryInput = z.output<typeof AthenaQueryInput>;

export interface AthenaQueryPlan {
  acquisition: AcquisitionRecord;
  sql: string;
  workgroup: string;
  /** Bytes under the partitions the query reads (compressed objects), listed in S3: what Athena would scan at most. */
  estimatedBytes: number;
  estimatedCostUsd: number;
  pricePerTbUsd: number;
}

export interface AthenaQueryResult {
  queryExecutionId: string;
  state: string;
  bytesScanned: number;
  costUsd: number;
  estimatedBytes: number;
  estimatedCostUsd: number;
  outputLocation: string;
  rows: number | null;
  evidenceIds: number[];
  imported: number | null;
}

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
