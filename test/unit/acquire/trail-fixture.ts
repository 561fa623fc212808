import crypto from 'node:crypto';
import zlib from 'node:zlib';

/**
 * A CloudTrail trail's deliveries generated exactly as AWS documents them
 * ("CloudTrail digest file structure", "Custom implementations of CloudTrail
 * log file integrity validation"): gzipped log files under
 * AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/, and one gzipped digest
 * per hour under CloudTrail-Digest/ listing each log's SHA-256 over its
 * uncompressed content, linked to the previous digest (its S3 location,
 * SHA-256 of its uncompressed content and signature), signed with RSA
 * SHA-256 (PKCS#1 v1.5) over the signing string, the hex signature in the
 * object's x-amz-meta-signature.
 */
export interface TrailKey {
  region: string;
  fingerprint: string;
  /** DER, PKCS#1: what ListPublicKeys returns in Value. */
  der: Buffer;
  privateKey: crypto.KeyObject;
}

export interface TrailObject {
  key: string;
  body: Buffer;
  uncompressed: Buffer;
  metadata?: Record<string, string>;
  kind: 'log' | 'digest';
  /** Delivery time (what S3 reports as LastModified). */
  at: Date;
}

export function makeKey(region: string): TrailKey {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const der = publicKey.export({ format: 'der', type: 'pkcs1' });
  return { region, der, privateKey, fingerprint: crypto.createHash('md5').update(der).digest('hex') };
}

const pad = (n: number) => String(n).padStart(2, '0');
const ymd = (d: Date) => `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}`;
const stamp = (d: Date, seconds: boolean) =>
  `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${seconds ? pad(d.getUTCSeconds()) : ''}Z`;
const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

export function signDigest(fields: Record<string, unknown>, uncompressed: Buffer, key: crypto.KeyObject): string {
  const hash = crypto.createHash('sha256').update(uncompressed).digest('hex');
  const toSign = `${fields.digestEndTime}\n${fields.digestS3Bucket}/${fields.digestS3Object}\n${hash}\n${(fields.previousDigestSignature as string | null) ?? 'null'}`;
  return crypto.sign('sha256', Buffer.from(toSign), key).toString('hex');
}

export function logRecords(account: string, region: string, at: Date, n: number, salt: string): Buffer {
  const records = Array.from({ length: n }, (_, i) => ({
    eventVersion: '1.08',
    userIdentity: {
      type: 'IAMUser',
      arn: `arn:aws:iam::${account}:user/mallory`,
      accountId: account,
      accessKeyId: 'AKIAEXAMPLEKEY000001',
      userName: 'mallory',
    },
    eventTime: iso(new Date(at.getTime() - (n - i) * 1000)),
    eventSource: 'ec2.amazonaws.com',
    eventName: 'DescribeInstances',
    awsRegion: region,
    sourceIPAddress: '198.51.100.23',
    userAgent: 'aws-cli/2.15',
    requestID: `${salt}-${i}`,
    eventID: crypto.createHash('md5').update(`${salt}-${i}`).digest('hex'),
    eventType: 'AwsApiCall',
    recipientAccountId: account,
  }));
  return Buffer.from(JSON.stringify({ Records: records }));
}

export interface TrailSpec {
  bucket: string;
  account: string;
  region: string;
  trail: string;
  /** Start of the first digest hour. */
  start: Date;
  hours: number;
  logsPerHour: number;
  recordsPerLog?: number;
  key: TrailKey;
  prefix?: string;
}

/** Every object the trail delivered, oldest first. */
export function generateTrail(spec: TrailSpec): TrailObject[] {
  const root = `${spec.prefix ? `${spec.prefix}/` : ''}AWSLogs/${spec.account}`;
  const out: TrailObject[] = [];
  let previous: { key: string; uncompressed: Buffer; signature: string } | null = null;
  for (let h = 0; h < spec.hours; h++) {
    const start = new Date(spec.start.getTime() + h * 3600_000);
    const end = new Date(start.getTime() + 3600_000);
    const logs: TrailObject[] = [];
    for (let l = 0; l < spec.logsPerHour; l++) {
      const at = new Date(start.getTime() + ((l + 1) * 3600_000) / (spec.logsPerHour + 1));
      const uncompressed = logRecords(spec.account, spec.region, at, spec.recordsPerLog ?? 5, `${spec.trail}-${h}-${l}`);
      const key = `${root}/CloudTrail/${spec.region}/${ymd(at)}/${spec.account}_CloudTrail_${spec.region}_${stamp(at, false)}_${crypto.createHash('md5').update(`${h}-${l}`).digest('hex').slice(0, 16)}.json.gz`;
      logs.push({ key, body: zlib.gzipSync(uncompressed), uncompressed, kind: 'log', at });
    }
    const digestKey = `${root}/CloudTrail-Digest/${spec.region}/${ymd(end)}/${spec.account}_CloudTrail-Digest_${spec.region}_${spec.trail}_${spec.region}_${stamp(end, true)}.json.gz`;
    const fields: Record<string, unknown> = {
      awsAccountId: spec.account,
      digestStartTime: iso(start),
      digestEndTime: iso(end),
      digestS3Bucket: spec.bucket,
      digestS3Object: digestKey,
      digestPublicKeyFingerprint: spec.key.fingerprint,
      digestSignatureAlgorithm: 'SHA256withRSA',
      newestEventTime: logs.length ? iso(logs.at(-1)!.at) : null,
      oldestEventTime: logs.length ? iso(logs[0]!.at) : null,
      previousDigestS3Bucket: previous ? spec.bucket : null,
      previousDigestS3Object: previous?.key ?? null,
      previousDigestHashValue: previous ? crypto.createHash('sha256').update(previous.uncompressed).digest('hex') : null,
      previousDigestHashAlgorithm: previous ? 'SHA-256' : null,
      previousDigestSignature: previous?.signature ?? null,
      logFiles: logs.map((f) => ({
        s3Bucket: spec.bucket,
        s3Object: f.key,
        hashValue: crypto.createHash('sha256').update(f.uncompressed).digest('hex'),
        hashAlgorithm: 'SHA-256',
        newestEventTime: iso(f.at),
        oldestEventTime: iso(f.at),
      })),
    };
    const uncompressed = Buffer.from(JSON.stringify(fields));
    const signature = signDigest(fields, uncompressed, spec.key.privateKey);
    out.push(...logs, {
      key: digestKey,
      body: zlib.gzipSync(uncompressed),
      uncompressed,
      kind: 'digest',
      at: end,
      metadata: { signature, 'signature-algorithm': 'SHA256withRSA' },
    });
    previous = { key: digestKey, uncompressed, signature };
  }
  return out;
}

/** Re-signs a digest object after its fields were edited (what only the holder of the private key can do). */
export function resign(o: TrailObject, edit: (f: Record<string, unknown>) => void, key: crypto.KeyObject): TrailObject {
  const fields = JSON.parse(o.uncompressed.toString()) as Record<string, unknown>;
  edit(fields);
  const uncompressed = Buffer.from(JSON.stringify(fields));
  return {
    ...o,
    uncompressed,
    body: zlib.gzipSync(uncompressed),
    metadata: { signature: signDigest(fields, uncompressed, key), 'signature-algorithm': 'SHA256withRSA' },
  };
}
