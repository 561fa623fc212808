import { mockClient } from 'aws-sdk-client-mock';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { CloudTrailClient, DescribeTrailsCommand, ListPublicKeysCommand } from '@aws-sdk/client-cloudtrail';
import { startS3, type LocalS3 } from '../unit/acquire/s3rver';
import { generateTrail, makeKey, type TrailKey, type TrailObject } from '../unit/acquire/trail-fixture';

const mockSts = () => mockClient(STSClient);
const mockCloudTrail = () => mockClient(CloudTrailClient);

export interface TrailBucket {
  s3: LocalS3;
  key: TrailKey;
  /** The objects uploaded from `start` (logs and digests), in the order generated. */
  trail: TrailObject[];
  /** The STS and CloudTrail mocks, for more answers (LookupEvents, GetTrailStatus...) and call counts. */
  sts: ReturnType<typeof mockSts>;
  ct: ReturnType<typeof mockCloudTrail>;
  close(): Promise<void>;
}

/**
 * The acquisition tests' shared world: a real S3 server (s3rver) holding a
 * trail's logs and signed digests in CloudTrail's layout, STS answering as
 * the investigator, CloudTrail's ListPublicKeys giving the key the digests
 * are signed with, and DescribeTrails naming the trail (`trail` fields added
 * to it). `before` adds earlier hours (listed, outside the test's window).
 */
export async function startTrailBucket(o: {
  bucket: string;
  account: string;
  region: string;
  hours: number;
  logsPerHour: number;
  buckets?: string[];
  before?: { start: Date; hours: number; logsPerHour: number };
  trail?: Record<string, unknown>;
}): Promise<TrailBucket> {
  const s3 = await startS3(o.buckets ?? [o.bucket]);
  const key = makeKey(o.region);
  const gen = (start: Date, hours: number, logsPerHour: number) =>
    generateTrail({ bucket: o.bucket, account: o.account, region: o.region, trail: 'main', start, hours, logsPerHour, key });
  const trail = gen(new Date('2026-11-20T09:00:31Z'), o.hours, o.logsPerHour);
  const all = [...trail, ...(o.before ? gen(o.before.start, o.before.hours, o.before.logsPerHour) : [])];
  for (const t of all) await s3.put(o.bucket, t.key, t.body, t.metadata);
  const sts = mockSts();
  const ct = mockCloudTrail();
  sts.on(GetCallerIdentityCommand).resolves({ Account: o.account, Arn: `arn:aws:iam::${o.account}:user/ada`, UserId: 'AIDAEXAMPLE' });
  ct.on(ListPublicKeysCommand).resolves({
    PublicKeyList: [
      {
        Fingerprint: key.fingerprint,
        Value: new Uint8Array(key.der),
        ValidityStartTime: new Date('2026-11-01'),
        ValidityEndTime: new Date('2026-12-31'),
      },
    ],
  });
  ct.on(DescribeTrailsCommand).resolves({
    trailList: [{ Name: 'main', S3BucketName: o.bucket, HomeRegion: o.region, LogFileValidationEnabled: true, ...o.trail }],
  });
  return {
    s3,
    key,
    trail,
    sts,
    ct,
    async close() {
      sts.restore();
      ct.restore();
      await s3.close();
    },
  };
}
