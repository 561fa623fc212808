import { defineGuards } from '../executors/guard';
import { readerOf as reader, samePolicy } from '../read-config';
import { readBucketPolicy, readPublicAccessBlock } from './evidence';

/**
 * How each S3 containment call tells that its effect is in place: the
 * setting read back equals what the call would set (for a Delete: AWS says
 * there is none). A repeated step, or one whose reply was lost after S3
 * applied it, then succeeds without calling again.
 */
defineGuards('s3', {
  PutPublicAccessBlock: {
    checks: ['s3:GetPublicAccessBlock'],
    async inPlace(ctx, p) {
      const now = await readPublicAccessBlock(reader(ctx), String(p.Bucket));
      const want = p.PublicAccessBlockConfiguration as Record<string, boolean>;
      const same = now && Object.entries(now).every(([k, v]) => v === (want[k] === true));
      return same ? { saw: { PublicAccessBlockConfiguration: now } } : null;
    },
  },
  DeletePublicAccessBlock: {
    checks: ['s3:GetPublicAccessBlock'],
    async inPlace(ctx, p) {
      return (await readPublicAccessBlock(reader(ctx), String(p.Bucket))) === null
        ? { saw: { PublicAccessBlockConfiguration: null } }
        : null;
    },
  },
  PutBucketPolicy: {
    checks: ['s3:GetBucketPolicy'],
    async inPlace(ctx, p) {
      const now = await readBucketPolicy(reader(ctx), String(p.Bucket));
      return samePolicy(now, String(p.Policy)) ? { saw: { Policy: 'equal to the requested document' } } : null;
    },
  },
  DeleteBucketPolicy: {
    checks: ['s3:GetBucketPolicy'],
    async inPlace(ctx, p) {
      return (await readBucketPolicy(reader(ctx), String(p.Bucket))) === null ? { saw: { Policy: null } } : null;
    },
  },
});
