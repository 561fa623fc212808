import { S3Client, type HeadBucketCommandInput, type HeadObjectCommandInput, type ListObjectsV2CommandInput } from '@aws-sdk/client-s3';
import { h, type ModelModule } from '../types';

export interface S3State {
  buckets: Record<string, { region: string; objects: Record<string, { ContentLength: number; ETag: string }> }>;
}

/** S3 (one global bucket namespace): buckets and object metadata. Issue 18 adds listing (ListObjectsV2); issue 15 bucket settings. */
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
