import { AppError } from '../../core/errors';
import { toJson } from '../../aws/redact';
import { type Executor, ok } from '../executors/context';
import { readerOf } from '../read-config';
import { collectBucketConfiguration, restorable } from './evidence';

/**
 * The evidence step of an S3 containment: the bucket's whole configuration
 * read again and saved as JSON evidence (the same content twice is one
 * item, so a resumed step records nothing new). If what a release depends
 * on changed since the plan, the step refuses: the plan would restore a
 * state that is no longer the one before containment.
 */
export const s3Executors: Record<string, Executor> = {
  's3-evidence': async (ctx) => {
    const bucket = String(ctx.request.Bucket);
    const config = await collectBucketConfiguration(readerOf(ctx), bucket, ctx.region);
    if (JSON.stringify(restorable(config)) !== JSON.stringify(ctx.request.Expect))
      throw new AppError(
        's3-changed-since-plan',
        `The policy or public access block of s3://${bucket} changed since the plan was made.`,
        'Plan the containment again: the release must restore the configuration as it is now.',
      );
    const item = await ctx.evidence.importBytes(
      ctx.caseNumber,
      `s3-${bucket}-configuration.json`,
      new TextEncoder().encode(JSON.stringify(toJson(config), null, 2)),
      {
        kind: 'file',
        description: `Configuration of s3://${bucket} before containment (policy, ACL, public access block, ownership controls, versioning, object lock, logging)`,
        source: { account: ctx.account ?? undefined, region: ctx.region, resource: `arn:aws:s3:::${bucket}` },
        acquisition: {
          tool: `Lariat ${ctx.toolVersion}`,
          method:
            's3:GetBucketPolicy, GetBucketAcl, GetPublicAccessBlock, GetBucketOwnershipControls, GetBucketVersioning, GetObjectLockConfiguration, GetBucketLogging',
          host: bucket,
          at: ctx.now().toISOString(),
        },
      },
    );
    return ok({ EvidenceId: item.id, Sha256: item.hashes.sha256, Duplicate: item.duplicate, NotCaptured: config.NotCaptured });
  },
};
