import {
  S3Client,
  type DeleteBucketPolicyCommandInput,
  type HeadBucketCommandInput,
  type HeadObjectCommandInput,
  type ListObjectsV2CommandInput,
  type PublicAccessBlockConfiguration,
  type PutBucketPolicyCommandInput,
  type PutPublicAccessBlockCommandInput,
} from '@aws-sdk/client-s3';
import { h, type CallContext, type ModelModule } from '../types';

/** A bucket's configuration as the Get* calls return it; an absent field is "never configured" (AWS's NoSuch... answers). */
export interface BucketConfig {
  /** The policy document exactly as stored (AWS returns the string it was given). */
  policy?: string;
  acl: { Owner: { ID: string; DisplayName?: string }; Grants: { Grantee: Record<string, string>; Permission: string }[] };
  publicAccessBlock?: Required<PublicAccessBlockConfiguration>;
  ownership?: { Rules: { ObjectOwnership: string }[] };
  /** `{}` when versioning was never enabled (what GetBucketVersioning returns). */
  versioning: { Status?: 'Enabled' | 'Suspended'; MFADelete?: 'Enabled' | 'Disabled' };
  objectLock?: { ObjectLockEnabled: 'Enabled'; Rule?: { DefaultRetention: { Mode: string; Days?: number; Years?: number } } };
  logging?: { TargetBucket: string; TargetPrefix: string };
}

export interface S3Bucket extends Partial<BucketConfig> {
  region: string;
  objects: Record<string, { ContentLength: number; ETag: string }>;
}

export interface S3State {
  buckets: Record<string, S3Bucket>;
}

const OWNER = { ID: '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be', DisplayName: 'owner' };
const FLAGS = ['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets'] as const;

function bucket(i: { Bucket?: string }, ctx: CallContext<S3State>): S3Bucket {
  const b = i.Bucket ? ctx.state.buckets[i.Bucket] : undefined;
  if (!b) return ctx.error('NoSuchBucket', 'The specified bucket does not exist', 404);
  return b;
}

interface Statement {
  Effect?: string;
  Principal?: unknown;
  Condition?: unknown;
}

/** AWS's "public" test for a policy, reduced to what matters here: an Allow to everyone without a condition. */
function isPublic(policy: { Statement?: Statement | Statement[] }): boolean {
  const list = Array.isArray(policy.Statement) ? policy.Statement : policy.Statement ? [policy.Statement] : [];
  const everyone = (p: unknown): boolean =>
    p === '*' || (typeof p === 'object' && p !== null && [(p as { AWS?: unknown }).AWS].flat().includes('*'));
  return list.some((s) => s.Effect === 'Allow' && everyone(s.Principal) && !s.Condition);
}

/**
 * S3 (one global bucket namespace): buckets, object metadata and (issue 15)
 * the bucket configuration a containment reads as evidence, changes and
 * restores. "Never configured" answers with AWS's own 404 codes.
 */
export const s3: ModelModule<S3State> = {
  name: 's3',
  service: 's3',
  client: S3Client,
  scope: 'global',
  throttlingCode: 'SlowDown',
  initial: () => ({ buckets: {} }),
  handlers: {
    HeadBucket: h<HeadBucketCommandInput, S3State>((i, ctx) => {
      const b = i.Bucket ? ctx.state.buckets[i.Bucket] : undefined;
      if (!b) return ctx.error('NotFound', 'Not Found', 404);
      return { BucketRegion: b.region };
    }),
    HeadObject: h<HeadObjectCommandInput, S3State>((i, ctx) => {
      const o = i.Bucket && i.Key ? ctx.state.buckets[i.Bucket]?.objects[i.Key] : undefined;
      if (!o) return ctx.error('NotFound', 'Not Found', 404);
      return { ContentLength: o.ContentLength, ETag: o.ETag };
    }),
    GetBucketPolicy: h<{ Bucket?: string }, S3State>((i, ctx) => {
      const b = bucket(i, ctx);
      if (b.policy === undefined) return ctx.error('NoSuchBucketPolicy', 'The bucket policy does not exist', 404);
      return { Policy: b.policy };
    }),
    PutBucketPolicy: h<PutBucketPolicyCommandInput, S3State>((i, ctx) => {
      const b = bucket(i, ctx);
      let doc: { Statement?: Statement | Statement[] };
      try {
        doc = JSON.parse(String(i.Policy)) as typeof doc;
      } catch {
        return ctx.error('MalformedPolicy', "Policies must be valid JSON and the first byte must be '{'", 400);
      }
      if (!doc.Statement) return ctx.error('MalformedPolicy', 'Missing required field Statement', 400);
      if (b.publicAccessBlock?.BlockPublicPolicy && isPublic(doc)) return ctx.error('AccessDenied', 'Access Denied', 403);
      b.policy = String(i.Policy);
      return {};
    }),
    DeleteBucketPolicy: h<DeleteBucketPolicyCommandInput, S3State>((i, ctx) => {
      delete bucket(i, ctx).policy;
      return {};
    }),
    GetBucketAcl: h<{ Bucket?: string }, S3State>((i, ctx) => {
      const b = bucket(i, ctx);
      return b.acl ?? { Owner: OWNER, Grants: [{ Grantee: { Type: 'CanonicalUser', ID: OWNER.ID }, Permission: 'FULL_CONTROL' }] };
    }),
    GetPublicAccessBlock: h<{ Bucket?: string }, S3State>((i, ctx) => {
      const b = bucket(i, ctx);
      if (!b.publicAccessBlock)
        return ctx.error('NoSuchPublicAccessBlockConfiguration', 'The public access block configuration was not found', 404);
      return { PublicAccessBlockConfiguration: { ...b.publicAccessBlock } };
    }),
    PutPublicAccessBlock: h<PutPublicAccessBlockCommandInput, S3State>((i, ctx) => {
      const b = bucket(i, ctx);
      const c = i.PublicAccessBlockConfiguration;
      if (!c)
        return ctx.error('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', 400);
      // Flags left out of the request are stored as false, as AWS does.
      b.publicAccessBlock = Object.fromEntries(FLAGS.map((f) => [f, c[f] === true])) as Required<PublicAccessBlockConfiguration>;
      return {};
    }),
    DeletePublicAccessBlock: h<{ Bucket?: string }, S3State>((i, ctx) => {
      delete bucket(i, ctx).publicAccessBlock;
      return {};
    }),
    GetBucketOwnershipControls: h<{ Bucket?: string }, S3State>((i, ctx) => {
      const b = bucket(i, ctx);
      if (!b.ownership) return ctx.error('OwnershipControlsNotFoundError', 'The bucket ownership controls were not found', 404);
      return { OwnershipControls: b.ownership };
    }),
    GetBucketVersioning: h<{ Bucket?: string }, S3State>((i, ctx) => ({ ...(bucket(i, ctx).versioning ?? {}) })),
    GetObjectLockConfiguration: h<{ Bucket?: string }, S3State>((i, ctx) => {
      const b = bucket(i, ctx);
      if (!b.objectLock)
        return ctx.error('ObjectLockConfigurationNotFoundError', 'Object Lock configuration does not exist for this bucket', 404);
      return { ObjectLockConfiguration: b.objectLock };
    }),
    GetBucketLogging: h<{ Bucket?: string }, S3State>((i, ctx) => {
      const b = bucket(i, ctx);
      return b.logging ? { LoggingEnabled: { ...b.logging } } : {};
    }),
    /** Keys in order, from StartAfter/ContinuationToken, with CommonPrefixes for a Delimiter; pages of MaxKeys (default 1000). */
    ListObjectsV2: h<ListObjectsV2CommandInput, S3State>((i, ctx) => {
      const b = i.Bucket ? ctx.state.buckets[i.Bucket] : undefined;
      if (!b) return ctx.error('NoSuchBucket', 'The specified bucket does not exist', 404);
      const prefix = i.Prefix ?? '';
      const after = i.ContinuationToken ?? i.StartAfter ?? '';
      const max = Math.min(i.MaxKeys ?? 1000, 1000);
      const contents: { Key: string; Size: number; ETag: string }[] = [];
      const prefixes = new Set<string>();
      let truncated = false;
      let last = '';
      for (const key of Object.keys(b.objects).sort()) {
        if (!key.startsWith(prefix) || key <= after) continue;
        if (contents.length + prefixes.size >= max) {
          truncated = true;
          break;
        }
        const rest = key.slice(prefix.length);
        const cut = i.Delimiter ? rest.indexOf(i.Delimiter) : -1;
        if (cut >= 0) prefixes.add(prefix + rest.slice(0, cut + i.Delimiter!.length));
        else contents.push({ Key: key, Size: b.objects[key]!.ContentLength, ETag: b.objects[key]!.ETag });
        last = key;
      }
      return {
        Contents: contents,
        CommonPrefixes: [...prefixes].map((Prefix) => ({ Prefix })),
        KeyCount: contents.length + prefixes.size,
        IsTruncated: truncated,
        ...(truncated ? { NextContinuationToken: last } : {}),
      };
    }),
  },
};
