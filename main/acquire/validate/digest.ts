import crypto from 'node:crypto';

/** The fields of a CloudTrail digest file that validation reads (AWS's "CloudTrail digest file structure"). */
export interface DigestFields {
  awsAccountId: string;
  digestStartTime: string;
  digestEndTime: string;
  digestS3Bucket: string;
  digestS3Object: string;
  digestPublicKeyFingerprint: string;
  digestSignatureAlgorithm: string;
  previousDigestS3Bucket: string | null;
  previousDigestS3Object: string | null;
  previousDigestHashValue: string | null;
  previousDigestHashAlgorithm: string | null;
  previousDigestSignature: string | null;
  logFiles: { s3Bucket: string; s3Object: string; hashValue: string; hashAlgorithm: string }[];
}

const REQUIRED = [
  'digestStartTime',
  'digestEndTime',
  'digestS3Bucket',
  'digestS3Object',
  'digestPublicKeyFingerprint',
  'digestSignatureAlgorithm',
] as const;

/** Parses an uncompressed digest file; a message when it is not one. */
export function parseDigest(uncompressed: Buffer): DigestFields | string {
  let doc: unknown;
  try {
    doc = JSON.parse(uncompressed.toString('utf8'));
  } catch (e) {
    return `not JSON (${(e as Error).message})`;
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return 'not a JSON object';
  const o = doc as Record<string, unknown>;
  for (const k of REQUIRED) if (typeof o[k] !== 'string') return `field ${k} is missing`;
  if (!('previousDigestSignature' in o)) return 'field previousDigestSignature is missing';
  if (!Array.isArray(o.logFiles)) return 'field logFiles is missing';
  const s = (v: unknown): string | null => (typeof v === 'string' ? v : null);
  const logFiles: DigestFields['logFiles'] = [];
  for (const f of o.logFiles as unknown[]) {
    const e = (f ?? {}) as Record<string, unknown>;
    if (typeof e.s3Bucket !== 'string' || typeof e.s3Object !== 'string' || typeof e.hashValue !== 'string')
      return 'a logFiles entry lacks s3Bucket, s3Object or hashValue';
    logFiles.push({
      s3Bucket: e.s3Bucket,
      s3Object: e.s3Object,
      hashValue: e.hashValue.toLowerCase(),
      hashAlgorithm: s(e.hashAlgorithm) ?? 'SHA-256',
    });
  }
  return {
    awsAccountId: s(o.awsAccountId) ?? '',
    digestStartTime: o.digestStartTime as string,
    digestEndTime: o.digestEndTime as string,
    digestS3Bucket: o.digestS3Bucket as string,
    digestS3Object: o.digestS3Object as string,
    digestPublicKeyFingerprint: o.digestPublicKeyFingerprint as string,
    digestSignatureAlgorithm: o.digestSignatureAlgorithm as string,
    previousDigestS3Bucket: s(o.previousDigestS3Bucket),
    previousDigestS3Object: s(o.previousDigestS3Object),
    previousDigestHashValue: s(o.previousDigestHashValue)?.toLowerCase() ?? null,
    previousDigestHashAlgorithm: s(o.previousDigestHashAlgorithm),
    previousDigestSignature: s(o.previousDigestSignature),
    logFiles,
  };
}

/**
 * The string CloudTrail signs ("Custom implementations of CloudTrail log
 * file integrity validation"): digest end time, `bucket/key` of the digest,
 * hex SHA-256 of the uncompressed digest file, and the previous digest's hex
 * signature (`null` for a starting digest, as AWS's CLI and Java sample do),
 * separated by newlines.
 */
export function signingString(d: DigestFields, uncompressed: Buffer): string {
  const hash = crypto.createHash('sha256').update(uncompressed).digest('hex');
  return `${d.digestEndTime}\n${d.digestS3Bucket}/${d.digestS3Object}\n${hash}\n${d.previousDigestSignature ?? 'null'}`;
}

/** RSA (PKCS#1 v1.5) with SHA-256 over the signing string, the signature given in hex. */
export function verifyDigestSignature(d: DigestFields, uncompressed: Buffer, signatureHex: string, key: crypto.KeyObject): boolean {
  if (!/^([0-9a-fA-F]{2})+$/.test(signatureHex)) return false;
  try {
    return crypto.verify('sha256', Buffer.from(signingString(d, uncompressed), 'utf8'), key, Buffer.from(signatureHex, 'hex'));
  } catch {
    return false;
  }
}

export const sha256Hex = (b: Buffer): string => crypto.createHash('sha256').update(b).digest('hex');
