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

/** Every page of a ListObjectsV2 under a prefix (with a delimiter: one folder level), following the continuation token. */
async function eachPage(
  clients: AwsClients,
  region: string,
  bucket: string,
  prefix: string,
  delimiter: '/' | null,
  signal: AbortSignal | undefined,
  onPage: (page: ListPage) => void,
): Promise<void> {
  let token: string | undefined;
  do {
    const page = await clients.call<ListPage>(
      's3',
      region,
      'ListObjectsV2',
      { Bucket: bucket, Prefix: prefix, ...(delimiter ? { Delimiter: delimiter } : {}), ...(token ? { ContinuationToken: token } : {}) },
      { signal, context: `s3://${bucket}/${prefix}` },
    );
    onPage(page);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
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
  await eachPage(clients, region, bucket, prefix, null, signal, (page) => {
    for (const o of page.Contents ?? []) {
      if (!o.Key || o.Key.endsWith('/')) continue;
      out.push({
        key: o.Key,
        size: o.Size ?? 0,
        etag: o.ETag ?? '',
        lastModified: o.LastModified ? new Date(o.LastModified).toISOString() : null,
      });
    }
  });
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
  await eachPage(clients, region, bucket, prefix, '/', signal, (page) => {
    for (const p of page.CommonPrefixes ?? []) if (p.Prefix) out.push(p.Prefix.slice(prefix.length).replace(/\/$/, ''));
  });
  return out;
}
