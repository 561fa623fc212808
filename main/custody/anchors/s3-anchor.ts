import crypto from 'node:crypto';
import { AppError } from '../../core/errors';
import type { AwsClients } from '../../aws/clients';
import type { AnchorReport, AnchorSettings, CheckpointText } from '../../../common/contract/custody';
import { describeCheckpoint, parseCheckpoint } from '../checkpoint';

type S3Settings = NonNullable<AnchorSettings['s3']>;

const MAX_CHECKPOINT = 8192;

/** Object key of a checkpoint: the case, the entry it names, and the hash of its text (so a retry writes the same key). */
export function anchorKey(s3: S3Settings, cp: CheckpointText): string {
  const textHash = crypto.createHash('sha256').update(cp.text).digest('hex').slice(0, 16);
  return `${s3.prefix}${cp.case}/${String(cp.seq).padStart(6, '0')}-${textHash}.checkpoint`;
}

/**
 * Publishes a checkpoint to an S3 bucket with Object Lock in COMPLIANCE mode:
 * until the retention date nobody, the investigator and the bucket's account
 * root included, can overwrite or delete that version, and the PutObject is
 * itself recorded by CloudTrail in the bucket's account. Safe to repeat: an
 * object already at the key (same text, same key) counts as done.
 */
export async function publishToS3(
  clients: AwsClients,
  s3: S3Settings,
  cp: CheckpointText,
  now: Date,
): Promise<{ location: string; detail: string }> {
  const Key = anchorKey(s3, cp);
  const uri = `s3://${s3.bucket}/${Key}`;
  try {
    const head = await clients.call<{ VersionId?: string; ObjectLockMode?: string; ObjectLockRetainUntilDate?: Date }>(
      's3',
      s3.region,
      'HeadObject',
      { Bucket: s3.bucket, Key },
    );
    return { location: withVersion(uri, head.VersionId), detail: lockDetail(head.ObjectLockMode, head.ObjectLockRetainUntilDate, true) };
  } catch (err) {
    if (!(err instanceof AppError) || !/not-found|NotFound|404/i.test(`${err.code} ${err.message}`)) throw err;
  }
  const retainUntil = new Date(now.getTime() + s3.retentionDays * 86_400_000);
  const out = await clients.call<{ VersionId?: string }>('s3', s3.region, 'PutObject', {
    Bucket: s3.bucket,
    Key,
    Body: cp.text,
    ContentType: 'text/plain; charset=utf-8',
    ChecksumAlgorithm: 'SHA256',
    ObjectLockMode: 'COMPLIANCE',
    ObjectLockRetainUntilDate: retainUntil,
  });
  return { location: withVersion(uri, out.VersionId), detail: lockDetail('COMPLIANCE', retainUntil, false) };
}

/**
 * Fetches a published checkpoint and judges its lock: the object must be
 * under Object Lock in COMPLIANCE mode with a retention date still ahead
 * (GOVERNANCE can be lifted by a privileged user; no lock can be deleted).
 */
export async function fetchFromS3(
  clients: AwsClients,
  uri: string,
  region: string,
  now: Date,
): Promise<{ text: string | null; report: AnchorReport }> {
  const m = /^s3:\/\/([^/]+)\/(.+?)(?:\?versionId=(.+))?$/.exec(uri);
  if (!m) return { text: null, report: { kind: 's3', ok: false, message: `${uri}: not an s3://bucket/key URI` } };
  const [, Bucket, Key, VersionId] = m;
  let out: {
    Body?: { transformToString(): Promise<string> };
    ContentLength?: number;
    ObjectLockMode?: string;
    ObjectLockRetainUntilDate?: Date;
    VersionId?: string;
  };
  try {
    out = await clients.call('s3', region, 'GetObject', { Bucket, Key, ...(VersionId ? { VersionId } : {}) });
  } catch (err) {
    return { text: null, report: { kind: 's3', ok: false, message: `${uri}: ${(err as Error).message}` } };
  }
  if ((out.ContentLength ?? 0) > MAX_CHECKPOINT)
    return { text: null, report: { kind: 's3', ok: false, message: `${uri}: the object is too large to be a checkpoint` } };
  const text = (await out.Body?.transformToString()) ?? '';
  const cp = parseCheckpoint(text);
  if (typeof cp === 'string') return { text: null, report: { kind: 's3', ok: false, message: `${uri}: not a checkpoint (${cp})` } };
  const until = out.ObjectLockRetainUntilDate ? new Date(out.ObjectLockRetainUntilDate) : null;
  if (out.ObjectLockMode !== 'COMPLIANCE' || !until)
    return {
      text,
      report: {
        kind: 's3',
        ok: false,
        message: `${uri}: the object is not under Object Lock in COMPLIANCE mode (mode ${out.ObjectLockMode ?? 'none'}; reading the lock needs s3:GetObjectRetention), so whoever controls the bucket could have replaced it`,
      },
    };
  if (until.getTime() < now.getTime())
    return {
      text,
      report: {
        kind: 's3',
        ok: false,
        message: `${uri}: its Object Lock retention ended ${until.toISOString()}, so it could have been replaced since`,
      },
    };
  return {
    text,
    report: {
      kind: 's3',
      ok: true,
      message: `${withVersion(uri, out.VersionId)}: Object Lock COMPLIANCE until ${until.toISOString()}; holds the ${describeCheckpoint(cp)}`,
    },
  };
}

const withVersion = (uri: string, v: string | undefined): string => (v ? `${uri}?versionId=${v}` : uri);

function lockDetail(mode: string | undefined, until: Date | undefined, existed: boolean): string {
  return `${existed ? 'already published; ' : ''}Object Lock ${mode ?? 'not reported'}${until ? ` until ${new Date(until).toISOString()}` : ''}`;
}
