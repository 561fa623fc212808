import { type Read, bestEffort, orAbsent } from '../read-config';

/** The four flags of a public access block, all required in what Lariat records and sends. */
export interface PublicAccessBlock {
  BlockPublicAcls: boolean;
  IgnorePublicAcls: boolean;
  BlockPublicPolicy: boolean;
  RestrictPublicBuckets: boolean;
}

export const BLOCK_ALL: PublicAccessBlock = {
  BlockPublicAcls: true,
  IgnorePublicAcls: true,
  BlockPublicPolicy: true,
  RestrictPublicBuckets: true,
};

/**
 * A bucket's configuration before containment. `Policy` and
 * `PublicAccessBlock` are what a release restores, so they are never
 * guessed: null means AWS said "none" (NoSuchBucketPolicy,
 * NoSuchPublicAccessBlockConfiguration); a failed look-up fails the
 * collection. The rest is evidence only, and a part that could not be read
 * is named in `NotCaptured` with the reason.
 */
export interface BucketConfiguration {
  Bucket: string;
  Region: string;
  /** The policy document exactly as GetBucketPolicy returned it. */
  Policy: string | null;
  PublicAccessBlock: PublicAccessBlock | null;
  Acl: unknown;
  OwnershipControls: unknown;
  Versioning: unknown;
  ObjectLock: unknown;
  Logging: unknown;
  NotCaptured: Record<string, string>;
}

const flags = (c: Partial<PublicAccessBlock> | undefined): PublicAccessBlock => ({
  BlockPublicAcls: c?.BlockPublicAcls === true,
  IgnorePublicAcls: c?.IgnorePublicAcls === true,
  BlockPublicPolicy: c?.BlockPublicPolicy === true,
  RestrictPublicBuckets: c?.RestrictPublicBuckets === true,
});

/** Reads the public access block as AWS holds it now (null: none). */
export const readPublicAccessBlock = (read: Read, Bucket: string): Promise<PublicAccessBlock | null> =>
  orAbsent(['NoSuchPublicAccessBlockConfiguration'], async () =>
    flags(
      (await read<{ PublicAccessBlockConfiguration?: Partial<PublicAccessBlock> }>('s3', 'GetPublicAccessBlock', { Bucket }))
        .PublicAccessBlockConfiguration,
    ),
  );

/** Reads the bucket policy as AWS holds it now (null: none). */
export const readBucketPolicy = (read: Read, Bucket: string): Promise<string | null> =>
  orAbsent(['NoSuchBucketPolicy'], async () => (await read<{ Policy?: string }>('s3', 'GetBucketPolicy', { Bucket })).Policy ?? null);

const strip = (o: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(o).filter(([k]) => k !== '$metadata'));

/** Collects the configuration of `Bucket` (in `region`, where its calls go). */
export async function collectBucketConfiguration(read: Read, Bucket: string, region: string): Promise<BucketConfiguration> {
  const NotCaptured: Record<string, string> = {};
  const Policy = await readBucketPolicy(read, Bucket);
  const PublicAccessBlock = await readPublicAccessBlock(read, Bucket);
  const part = (name: string, op: string, absent: string[] = []) =>
    bestEffort(name, NotCaptured, () => orAbsent(absent, async () => strip(await read('s3', op, { Bucket }))));
  return {
    Bucket,
    Region: region,
    Policy,
    PublicAccessBlock,
    Acl: await part('Acl', 'GetBucketAcl'),
    OwnershipControls: await part('OwnershipControls', 'GetBucketOwnershipControls', ['OwnershipControlsNotFoundError']),
    Versioning: await part('Versioning', 'GetBucketVersioning'),
    ObjectLock: await part('ObjectLock', 'GetObjectLockConfiguration', ['ObjectLockConfigurationNotFoundError']),
    Logging: await part('Logging', 'GetBucketLogging'),
    NotCaptured,
  };
}

/** The parts a release depends on, for comparing what the plan saw with what the run sees. */
export const restorable = (c: Pick<BucketConfiguration, 'Policy' | 'PublicAccessBlock'>) => ({
  Policy: c.Policy,
  PublicAccessBlock: c.PublicAccessBlock,
});
