import type { AwsClients } from '../../aws/clients';

export interface ListedObject {
  key: string;
  size: number;
  etag: string;
  lastModified: string | null;
}

interface ListPage {
  Contents?: { Key?: string; Size?: number; ETag?: string; LastModified?: Date | string }[];
  CommonPrefixes?: { Prefix?: string }[];
  IsTruncated?: boolean;
  NextContinuationToken?: string;
}

/** Every object under a prefix (s3:ListBucket, 1000 per page), in key order. */
export async function listObjects(
  clients: AwsClients,
  region: string,
  bucket: string,
  prefix: string,
  signal?: AbortSignal,
): Promise<ListedObject[]> {
  const out: ListedObject[] = [];
  let token: string | undefined;
  do {
    const page = await clients.call<ListPage>(
      's3',
      region,
      'ListObjectsV2',
      { Bucket: bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) },
      { signal, context: `s3://${bucket}/${prefix}` },
    );
    for (const o of page.Contents ?? []) {
      if (!o.Key || o.Key.endsWith('/')) continue;
      out.push({
        key: o.Key,
        size: o.Size ?? 0,
        etag: o.ETag ?? '',
        lastModified: o.LastModified ? new Date(o.LastModified).toISOString() : null,
      });
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return out;
}

/** The folder names directly under a prefix (s3:ListBucket with a delimiter), e.g. the accounts under AWSLogs/. */
export async function listFolders(
  clients: AwsClients,
  region: string,
  bucket: string,
  prefix: string,
  signal?: AbortSignal,
): Promise<string[]> {
  const out: string[] = [];
  let token: string | undefined;
  do {
    const page = await clients.call<ListPage>(
      's3',
      region,
      'ListObjectsV2',
      { Bucket: bucket, Prefix: prefix, Delimiter: '/', ...(token ? { ContinuationToken: token } : {}) },
      { signal, context: `s3://${bucket}/${prefix}` },
    );
    for (const p of page.CommonPrefixes ?? []) if (p.Prefix) out.push(p.Prefix.slice(prefix.length).replace(/\/$/, ''));
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return out;
}
