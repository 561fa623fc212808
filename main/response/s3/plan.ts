import { AppError } from '../../core/errors';
import type { Plan, StepSpec } from '../plans/types';
import { BLOCK_ALL, type BucketConfiguration, type PublicAccessBlock, restorable } from './evidence';
import { samePolicy } from '../read-config';

export interface S3ContainOptions {
  /** Principals (IAM role/user ARNs, account ids) the bucket policy denies every S3 action on this bucket. */
  denyPrincipals: string[];
  /** Deny everyone except these roles (and the identity Lariat acts as, so it can release). */
  allowOnlyRoles: string[];
}

/** What the containment recorded: the configuration before (what release restores) and what it applied. */
export interface S3Recorded {
  bucket: string;
  region: string;
  original: { Policy: string | null; PublicAccessBlock: PublicAccessBlock | null };
  applied: { PublicAccessBlock: PublicAccessBlock; Policy: string | null };
}

export const LARIAT_SID = 'LariatContainment';
const PRINCIPAL = /^(\d{12}|arn:aws[a-z-]*:(iam|sts)::\d{12}:(root|user\/.+|role\/.+|assumed-role\/.+))$/;
const ROLE = /^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/;

/** The IAM role (or user) behind the identity Lariat acts as: aws:PrincipalArn of an assumed role is its role ARN. */
export function principalOf(callerArn: string | null): string | null {
  const m = callerArn ? /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(callerArn) : null;
  return m ? `arn:${m[1]}:iam::${m[2]}:role/${m[3]}` : callerArn;
}

interface Statement {
  Sid?: string;
  [k: string]: unknown;
}

/**
 * The bucket policy with Lariat's deny statement added: the statements that
 * were there are kept as they were (an earlier Lariat statement is
 * replaced), so the policy still grants what it granted to everyone else.
 */
export function containmentPolicy(original: string | null, bucket: string, o: S3ContainOptions, caller: string | null): string | null {
  if (!o.denyPrincipals.length && !o.allowOnlyRoles.length) return null;
  const Resource = [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`];
  let doc: { Version?: string; Id?: string; Statement?: Statement | Statement[] } = { Version: '2012-10-17', Statement: [] };
  if (original) {
    try {
      doc = JSON.parse(original) as typeof doc;
    } catch {
      throw new AppError(
        's3-policy-unreadable',
        `The policy of bucket ${bucket} is not JSON Lariat can extend.`,
        'Contain the bucket without a policy statement (public access block only), or fix the policy first.',
      );
    }
  }
  const kept = [doc.Statement ?? []].flat().filter((s) => !String(s.Sid ?? '').startsWith(LARIAT_SID));
  const statement: Statement = o.denyPrincipals.length
    ? { Sid: `${LARIAT_SID}DenyPrincipals`, Effect: 'Deny', Principal: { AWS: o.denyPrincipals }, Action: 's3:*', Resource }
    : {
        Sid: `${LARIAT_SID}AllowOnlyRoles`,
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource,
        Condition: { ArnNotLike: { 'aws:PrincipalArn': [...new Set([...o.allowOnlyRoles, ...(caller ? [caller] : [])])] } },
      };
  return JSON.stringify({ ...doc, Version: doc.Version ?? '2012-10-17', Statement: [...kept, statement] });
}

function validate(o: S3ContainOptions, caller: string | null): void {
  if (o.denyPrincipals.length && o.allowOnlyRoles.length)
    throw new AppError(
      'invalid-input',
      'Choose either principals to deny or roles to allow, not both.',
      'Give --deny-principal or --allow-only-roles.',
    );
  const bad = [...o.denyPrincipals.filter((p) => !PRINCIPAL.test(p)), ...o.allowOnlyRoles.filter((r) => !ROLE.test(r))];
  if (bad.length)
    throw new AppError(
      'invalid-input',
      `Not a principal Lariat can name in a bucket policy: ${bad.join(', ')}.`,
      'Deny an account id or an IAM user/role ARN; allow only IAM role ARNs (arn:aws:iam::123456789012:role/NAME).',
    );
  if (caller && o.denyPrincipals.some((p) => p === caller || p === caller.split(':')[4]))
    throw new AppError(
      's3-deny-self',
      `Denying ${caller} would deny the identity Lariat acts as: it could not release the bucket.`,
      'Deny the compromised principal only, or act as another role.',
    );
}

const call = (key: string, title: string, region: string, operation: string, request: Record<string, unknown>): StepSpec => ({
  key,
  title,
  kind: 'call',
  service: 's3',
  region,
  operation,
  request,
});

/**
 * Containment of an exposed bucket: its configuration saved as evidence
 * (refusing to go on if it changed since this plan), all four public access
 * block flags, and optionally a deny statement in the bucket policy.
 */
export function planS3Contain(i: {
  bucket: string;
  config: BucketConfiguration;
  options: S3ContainOptions;
  callerArn: string | null;
}): Plan {
  const { bucket, config } = i;
  const caller = principalOf(i.callerArn);
  validate(i.options, caller);
  const region = config.Region;
  const policy = containmentPolicy(config.Policy, bucket, i.options, caller);
  const steps: StepSpec[] = [
    {
      key: 'evidence',
      title: `Save the configuration of s3://${bucket} (policy, ACL, public access block, ownership, versioning, object lock, logging) as evidence`,
      kind: 's3-evidence',
      service: 'lariat',
      region,
      operation: 'RecordBucketConfiguration',
      request: { Bucket: bucket, Expect: restorable(config) },
    },
  ];
  // The policy goes first: with BlockPublicPolicy on, S3 refuses (AccessDenied) any policy that still has a public statement,
  // and Lariat keeps the statements that were there.
  if (policy)
    steps.push(
      call('deny-policy', `Add Lariat's deny statement to the policy of s3://${bucket}`, region, 'PutBucketPolicy', {
        Bucket: bucket,
        Policy: policy,
      }),
    );
  steps.push(
    call('block-public-access', `Block all public access to s3://${bucket} (all four flags)`, region, 'PutPublicAccessBlock', {
      Bucket: bucket,
      PublicAccessBlockConfiguration: BLOCK_ALL,
    }),
  );
  const warnings = Object.entries(config.NotCaptured).map(
    ([part, why]) => `${part} of the bucket could not be read (${why}); the evidence says so.`,
  );
  if (
    policy &&
    config.PublicAccessBlock?.BlockPublicPolicy &&
    /"Effect":"Allow"/.test(policy) &&
    /"Principal":("\*"|\{"AWS":"\*"\})/.test(policy)
  )
    warnings.push(
      'The bucket already blocks public policies and its policy seems to allow everyone: S3 may refuse the new policy (AccessDenied). Contain without a policy statement if it does.',
    );
  if (i.options.allowOnlyRoles.length)
    warnings.push(
      `Only ${[...i.options.allowOnlyRoles, ...(caller ? [caller] : [])].join(', ')} will reach the bucket; the release must run as one of them (or the account's root user can delete the policy).`,
    );
  const recorded: S3Recorded = {
    bucket,
    region,
    original: restorable(config),
    applied: { PublicAccessBlock: BLOCK_ALL, Policy: policy },
  };
  return { steps, recorded: { ...recorded }, warnings };
}

/**
 * Release puts back exactly what was recorded: the block first (a public
 * policy cannot be put back while BlockPublicPolicy is on), then the policy;
 * "there was none" is a Delete. A setting changed by someone since the
 * containment is overwritten, and the plan says so before confirmation.
 */
export function planS3Release(i: {
  recorded: S3Recorded;
  current: { Policy: string | null; PublicAccessBlock: PublicAccessBlock | null };
}): Plan {
  const { bucket, region, original, applied } = i.recorded;
  const warnings: string[] = [];
  const pab = original.PublicAccessBlock;
  const steps: StepSpec[] = [
    pab
      ? call(
          'restore-public-access-block',
          `Put back the public access block of s3://${bucket} as recorded`,
          region,
          'PutPublicAccessBlock',
          {
            Bucket: bucket,
            PublicAccessBlockConfiguration: pab,
          },
        )
      : call(
          'remove-public-access-block',
          `Remove the public access block of s3://${bucket} (it had none)`,
          region,
          'DeletePublicAccessBlock',
          { Bucket: bucket },
        ),
  ];
  if (
    JSON.stringify(i.current.PublicAccessBlock) !== JSON.stringify(applied.PublicAccessBlock) &&
    JSON.stringify(i.current.PublicAccessBlock) !== JSON.stringify(pab)
  )
    warnings.push(
      `The public access block was changed since the containment (now ${JSON.stringify(i.current.PublicAccessBlock)}); the release puts back the recorded one.`,
    );
  if (applied.Policy !== null) {
    steps.push(
      original.Policy !== null
        ? call('restore-policy', `Put back the policy of s3://${bucket} as recorded`, region, 'PutBucketPolicy', {
            Bucket: bucket,
            Policy: original.Policy,
          })
        : call('remove-policy', `Remove the policy of s3://${bucket} (it had none)`, region, 'DeleteBucketPolicy', { Bucket: bucket }),
    );
    if (!samePolicy(i.current.Policy, applied.Policy) && !samePolicy(i.current.Policy, original.Policy))
      warnings.push(
        `The bucket policy was changed since the containment; the release puts back the recorded one, overwriting: ${i.current.Policy ?? '(no policy)'}`,
      );
  }
  return { steps, recorded: { containment: i.recorded }, warnings };
}
