import * as z from 'zod';
import { AwsAccountId, AwsRegion, CaseNumber, Id, text, wellFormedText } from './common';
import { BucketName, KeyPrefix, LogKind, RoleName, TimeWindow, TrailName } from './acquire-scope';
import type { AcquisitionRecord } from './acquire-bucket';

/** Athena over trail and flow-log buckets: the planned table setup, the playbook queries and a costed query. */

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
