import * as z from 'zod';
import { AwsAccountId, AwsRegion, CaseNumber, text } from './common';
import { InstanceId } from './response-target';

/** EC2 instance actions: isolation and its release, volume snapshots, memory acquisition. */
export const EC2_ACTION_KINDS = ['isolate', 'release', 'snapshot', 'memory'] as const;

export const IsolateOptions = z
  .object({
    asgMode: z.enum(['detach', 'standby']).default('detach'),
    disassociateEips: z.boolean().default(false),
    profileMode: z.enum(['disassociate', 'replace', 'keep']).default('disassociate'),
    isolationProfileArn: text()
      .regex(/^arn:aws[\w-]*:iam::\d{12}:instance-profile\/[\w+=,.@/-]+$/)
      .optional(),
    revokeSessions: z.boolean().default(false),
    /** Also deny the instance's addresses in every network ACL of the VPC (stateless: cuts flows that stay tracked). */
    nacl: z.boolean().default(false),
    /** Do not capture console output and screenshot (best-effort evidence) before isolating. */
    skipEvidence: z.boolean().default(false),
  })
  .strict();
export const SnapshotOptions = z
  .object({
    shareWithAccount: AwsAccountId.optional(),
    copyToRegion: AwsRegion.optional(),
    kmsKeyId: text()
      .regex(
        /^(arn:aws[\w-]*:kms:[\w-]+:\d{12}:(key|alias)\/[\w/-]+|alias\/[\w/-]+|[0-9a-f-]{36})$/,
        'a KMS key is an ARN, key id or alias/name',
      )
      .optional(),
    waitMinutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(240),
  })
  .strict();
export const MemoryOptions = z
  .object({
    bucket: text().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'an S3 bucket name is 3-63 lowercase letters, digits, dots and hyphens'),
    prefix: text()
      .regex(/^[\w./=-]{0,512}$/, 'a prefix uses letters, digits and ./=-_')
      .default(''),
    tool: z.enum(['avml', 'lime', 'winpmem']).optional(),
    /** s3:// location of the tool binary when it is not installed on the instance. */
    toolSource: text()
      .regex(/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\/[\w./=-]+$/)
      .optional(),
    timeoutMinutes: z
      .number()
      .int()
      .min(5)
      .max(24 * 60)
      .default(120),
  })
  .strict();

export const EC2_PLAN_INPUTS = [
  z
    .object({
      kind: z.literal('isolate'),
      caseNumber: CaseNumber,
      region: AwsRegion,
      instanceId: InstanceId,
      options: IsolateOptions.default(IsolateOptions.parse({})),
    })
    .strict(),
  z
    .object({
      kind: z.literal('release'),
      caseNumber: CaseNumber,
      region: AwsRegion,
      instanceId: InstanceId,
      options: z.object({}).strict().default({}),
    })
    .strict(),
  z
    .object({
      kind: z.literal('snapshot'),
      caseNumber: CaseNumber,
      region: AwsRegion,
      instanceId: InstanceId,
      options: SnapshotOptions.default(SnapshotOptions.parse({})),
    })
    .strict(),
  z
    .object({ kind: z.literal('memory'), caseNumber: CaseNumber, region: AwsRegion, instanceId: InstanceId, options: MemoryOptions })
    .strict(),
] as const;
export type IsolateOptions = z.output<typeof IsolateOptions>;
export type SnapshotOptions = z.output<typeof SnapshotOptions>;
export type MemoryOptions = z.output<typeof MemoryOptions>;
