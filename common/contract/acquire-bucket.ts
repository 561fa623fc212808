import * as z from 'zod';
import { AwsAccountId, AwsRegion, CaseNumber, Id, text } from './common';
import type { ErrorInfo } from './errors';
import { AccountScope, BucketName, KeyPrefix, LogKind, RoleName, TimeWindow, TrailName } from './acquire-scope';

/**
 * CloudTrail event history and log-bucket acquisition inputs, and the acquisition record every
 * acquisition kind (bucket, findings, coverage, Athena) is stored and shown as.
 */

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
