import * as z from 'zod';
import { AwsRegion, CaseNumber, text } from './common';

/** S3 bucket and Lambda function containments and their releases (issue 15). */
export const S3_LAMBDA_ACTION_KINDS = ['s3-contain', 's3-release', 'lambda-contain', 'lambda-release'] as const;

export const BucketName = text().regex(
  /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
  'an S3 bucket name is 3-63 lowercase letters, digits, dots and hyphens',
);
/** A function name, or its (partial) ARN. */
export const FunctionName = text().regex(
  /^(arn:aws[\w-]*:lambda:[a-z0-9-]+:\d{12}:function:)?[\w-]{1,64}$/,
  'a Lambda function is a name (letters, digits, - and _) or its ARN',
);
const Principal = text().regex(
  /^(\d{12}|arn:aws[\w-]*:(iam|sts)::\d{12}:(root|user\/[\w+=,.@/-]+|role\/[\w+=,.@/-]+|assumed-role\/[\w+=,.@/-]+))$/,
  'a principal is an account id or an IAM user/role ARN',
);
const RoleArn = text().regex(/^arn:aws[\w-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/, 'a role ARN looks like arn:aws:iam::123456789012:role/NAME');

export const S3ContainOptions = z
  .object({
    /** Deny these principals every S3 action on the bucket (a bucket-policy statement). */
    denyPrincipals: z.array(Principal).max(20).default([]),
    /** Deny everyone but these roles (and the identity Lariat acts as). */
    allowOnlyRoles: z.array(RoleArn).max(20).default([]),
  })
  .strict();
export type S3ContainOptions = z.output<typeof S3ContainOptions>;

export const S3_LAMBDA_PLAN_INPUTS = [
  z
    .object({
      kind: z.literal('s3-contain'),
      caseNumber: CaseNumber,
      bucket: BucketName,
      /** Where the bucket's calls go; found with HeadBucket when absent. */
      region: AwsRegion.optional(),
      options: S3ContainOptions.default(S3ContainOptions.parse({})),
    })
    .strict(),
  z
    .object({
      kind: z.literal('lambda-contain'),
      caseNumber: CaseNumber,
      region: AwsRegion,
      functionName: FunctionName,
      options: z.object({}).strict().default({}),
    })
    .strict(),
] as const;
