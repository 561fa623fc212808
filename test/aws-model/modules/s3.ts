import { S3Client, type HeadBucketCommandInput, type HeadObjectCommandInput } from '@aws-sdk/client-s3';
import { h, type ModelModule } from '../types';

export interface S3State {
  buckets: Record<string, { region: string; objects: Record<string, { ContentLength: number; ETag: string }> }>;
}

/** S3 (one global bucket namespace): buckets and object metadata. Issue 18 adds listing and bodies; issue 15 bucket settings. */
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
  },
};
