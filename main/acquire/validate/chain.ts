import type crypto from 'node:crypto';
import { TAMPER_KINDS, type ValidationFile, type ValidationProblem, type TamperKind } from '../../../common/contract/acquire';
import { digestTrail, keyPlace, keyTime } from '../s3/layout';
import { parseDigest, sha256Hex, verifyDigestSignature, type DigestFields } from './digest';

/** A digest file as acquired: its uncompressed bytes (null when unreadable) and the signature from its S3 metadata. */
export interface DigestInput {
  bucket: string;
  key: string;
  evidenceId: number;
  content: Buffer | null;
  /** Why the content could not be read (not gzip, vault copy changed). */
  unreadable: string | null;
  /** x-amz-meta-signature as received; null when the object had none. */
  signature: string | null;
}

/** A log object a bucket plan found: downloaded (with its uncompressed SHA-256) or only listed. */
export interface LogInput {
  bucket: string;
  key: string;
  evidenceId: number | null;
  state: 'done' | 'pending' | 'outside-window' | 'missing' | 'failed';
  /** SHA-256 of the uncompressed content, for downloaded logs; null when it cannot be decompressed. */
  sha256: string | null;
  lastModified: string | null;
}

export interface KeyInput {
  region: string;
  fingerprint: string;
  key: crypto.KeyObject | null;
}

export interface ChainInput {
  digests: DigestInput[];
  /** Digest objects listed but not downloaded, and ones gone when fetched. */
  otherDigests: { bucket: string; key: string; state: LogInput['state'] }[];
  logs: LogInput[];
  keys: KeyInput[];
  /** `bucket/prefix` of every day folder a plan listed: a key missing under one was not in the bucket. */
  listedPrefixes: Set<string>;
}

export interface ChainOutput {
  files: ValidationFile[];
  problems: ValidationProblem[];
  valid: number;
  invalid: number;
}

interface Parsed {
  input: DigestInput;
  fields: DigestFields | null;
  valid: boolean;
  status: ValidationFile['status'];
  reason: string | null;
}

/** Every kind but `log-not-in-digest`, which is a gap (added later, or written by another trail without validation), not proof of tampering. */
const TAMPERING: ReadonlySet<TamperKind> = new Set(TAMPER_KINDS.filter((k) => k !== 'log-not-in-digest'));

const id = (bucket: string, key: string): string => `${bucket}/${key}`;
const dayFolder = (bucket: string, key: string): string => id(bucket, key.slice(0, key.lastIndexOf('/') + 1));

/**
 * Validates CloudTrail digests and logs offline, as AWS documents it: each
 * digest's RSA SHA-256 signature over the signing string with the public key
 * whose fingerprint it names (for the newest digest the signature from its
 * S3 metadata, for earlier ones also the one the next digest records), the
 * link to the previous digest (its hash and signature), and every log file's
 * SHA-256 over its uncompressed content. Each finding is named: a changed or
 * deleted log, a changed, moved or missing digest, a broken chain, a wrong
 * key, a log no digest lists.
 */
export function validateChain(input: ChainInput): ChainOutput {
  const problems: ValidationProblem[] = [];
  const files: ValidationFile[] = [];
  const problem = (kind: TamperKind, bucket: string, key: string, message: string, gap = false): void => {
    problems.push({ kind, severity: gap || !TAMPERING.has(kind) ? 'gap' : 'tampering', bucket, key, message });
  };
  const byKey = new Map(input.digests.map((d) => [id(d.bucket, d.key), d]));
  const others = new Map(input.otherDigests.map((d) => [id(d.bucket, d.key), d]));
  const keysIn = (region: string) => input.keys.filter((k) => k.region === region);
  // Signatures later digests record for their predecessors (a signature for digests whose metadata was lost).
  const recorded = new Map<string, string>();
  const parsed: Parsed[] = input.digests.map((d) => {
    if (!d.content) return { input: d, fields: null, valid: false, status: 'changed', reason: d.unreadable ?? 'unreadable' };
    const f = parseDigest(d.content);
    if (typeof f === 'string') return { input: d, fields: null, valid: false, status: 'changed', reason: `not a CloudTrail digest: ${f}` };
    if (f.previousDigestS3Bucket && f.previousDigestS3Object && f.previousDigestSignature)
      recorded.set(id(f.previousDigestS3Bucket, f.previousDigestS3Object), f.previousDigestSignature);
    return { input: d, fields: f, valid: false, status: 'unverified', reason: null };
  });

  for (const p of parsed) {
    const d = p.input;
    const f = p.fields;
    if (!f) {
      problem('digest-changed', d.bucket, d.key, `digest ${d.key}: ${p.reason}`);
      continue;
    }
    if (f.digestS3Bucket !== d.bucket || f.digestS3Object !== d.key) {
      p.status = 'changed';
      p.reason = `it says it was delivered to s3://${f.digestS3Bucket}/${f.digestS3Object}`;
      problem('digest-moved', d.bucket, d.key, `digest ${d.key} has been moved from its original location: ${p.reason}`);
      continue;
    }
    const region = digestTrail(d.key)?.region ?? keyPlace(d.key).region ?? '';
    const named = keysIn(region).find((k) => k.fingerprint === f.digestPublicKeyFingerprint);
    const signature = d.signature ?? recorded.get(id(d.bucket, d.key)) ?? null;
    if (!named) {
      const elsewhere = input.keys.find((k) => k.fingerprint === f.digestPublicKeyFingerprint);
      p.status = 'changed';
      p.reason = elsewhere
        ? `it names key ${f.digestPublicKeyFingerprint}, a CloudTrail key of ${elsewhere.region}, not of ${region}`
        : `it names key ${f.digestPublicKeyFingerprint}, which is not one of CloudTrail's public keys for ${region} acquired for this case`;
      problem('wrong-key', d.bucket, d.key, `digest ${d.key}: ${p.reason}`);
      continue;
    }
    if (!signature) {
      p.reason = 'its signature is not available (no x-amz-meta-signature, and no later digest records it)';
      continue;
    }
    if (named.key && verifyDigestSignature(f, d.content!, signature, named.key)) {
      p.valid = true;
      p.status = 'authentic';
      continue;
    }
    const other = keysIn(region).find((k) => k !== named && k.key && verifyDigestSignature(f, d.content!, signature, k.key));
    p.status = 'changed';
    if (other) {
      p.reason = `signed with key ${other.fingerprint}, but it names ${f.digestPublicKeyFingerprint}`;
      problem('wrong-key', d.bucket, d.key, `digest ${d.key}: ${p.reason}`);
    } else {
      p.reason = named.key
        ? `the SHA256withRSA signature does not verify with key ${named.fingerprint}: the digest (or its signature) was changed`
        : `key ${named.fingerprint} could not be read`;
      problem('digest-changed', d.bucket, d.key, `digest ${d.key}: ${p.reason}`);
    }
  }

  checkLinks(parsed, byKey, others, input.listedPrefixes, problem, files);
  const logStatus = checkLogs(parsed, input, problem);

  for (const p of parsed)
    files.push({
      kind: 'digest',
      bucket: p.input.bucket,
      key: p.input.key,
      ...place(p.input.key),
      evidenceId: p.input.evidenceId,
      status: p.status,
      reason: p.reason,
    });
  files.push(...logStatus);
  return { files, problems, valid: parsed.filter((p) => p.valid).length, invalid: parsed.filter((p) => p.status === 'changed').length };
}

function place(key: string): { account: string | null; region: string | null } {
  const p = keyPlace(key);
  return { account: p.account, region: p.region };
}

/** Each digest's link to the one before it, within one trail's chain (account, region, trail, home region). */
function checkLinks(
  parsed: Parsed[],
  byKey: Map<string, DigestInput>,
  others: Map<string, { state: LogInput['state'] }>,
  listed: Set<string>,
  problem: (kind: TamperKind, bucket: string, key: string, message: string, gap?: boolean) => void,
  files: ValidationFile[],
): void {
  const chains = new Map<string, Parsed[]>();
  for (const p of parsed) {
    const t = digestTrail(p.input.key);
    const k = t ? `${t.account}|${t.region}|${t.trail}|${t.homeRegion}` : p.input.key;
    chains.set(k, [...(chains.get(k) ?? []), p]);
  }
  const parsedByKey = new Map(parsed.map((p) => [id(p.input.bucket, p.input.key), p]));
  for (const chain of chains.values()) {
    chain.sort((a, b) => (keyTime(a.input.key) ?? 0) - (keyTime(b.input.key) ?? 0));
    chain.forEach((cur, i) => {
      const f = cur.fields;
      if (!f || !cur.valid) return;
      const { bucket, key } = cur.input;
      if (!f.previousDigestS3Object || !f.previousDigestS3Bucket) {
        if (i > 0)
          problem(
            'chain-broken',
            bucket,
            key,
            `digest ${key} starts a new chain after ${chain[i - 1]!.input.key}: logging or log file validation was stopped and restarted, so nothing proves what was delivered in between`,
            true,
          );
        return;
      }
      const prevId = id(f.previousDigestS3Bucket, f.previousDigestS3Object);
      const prev = byKey.get(prevId);
      if (!prev) {
        const other = others.get(prevId);
        const gone = other?.state === 'missing' || (!other && listed.has(dayFolder(f.previousDigestS3Bucket, f.previousDigestS3Object)));
        if (gone) {
          problem(
            'digest-missing',
            f.previousDigestS3Bucket,
            f.previousDigestS3Object,
            `digest ${f.previousDigestS3Object}, which ${key} links to, is not in the bucket: it was deleted`,
          );
          files.push({
            kind: 'digest',
            bucket: f.previousDigestS3Bucket,
            key: f.previousDigestS3Object,
            ...place(f.previousDigestS3Object),
            evidenceId: null,
            status: 'deleted',
            reason: `linked from ${key}, not in the bucket when it was listed`,
          });
        }
        return;
      }
      const prevParsed = parsedByKey.get(prevId)!;
      const why: string[] = [];
      if (prev.content && f.previousDigestHashValue && sha256Hex(prev.content) !== f.previousDigestHashValue)
        why.push(`its SHA-256 is ${sha256Hex(prev.content)}, ${key} records ${f.previousDigestHashValue}`);
      if (prev.signature && f.previousDigestSignature && prev.signature.toLowerCase() !== f.previousDigestSignature.toLowerCase())
        why.push('its signature is not the one the next digest records');
      if (why.length) {
        problem('chain-broken', prev.bucket, prev.key, `digest ${prev.key} is not the digest ${key} follows: ${why.join('; ')}`);
        prevParsed.status = 'changed';
        prevParsed.valid = false;
        prevParsed.reason = `the chain is broken: ${why.join('; ')}`;
      }
    });
  }
}

/** Every log a valid digest lists, against what was acquired; then the acquired logs no digest lists. */
function checkLogs(
  parsed: Parsed[],
  input: ChainInput,
  problem: (kind: TamperKind, bucket: string, key: string, message: string, gap?: boolean) => void,
): ValidationFile[] {
  const logs = new Map(input.logs.map((l) => [id(l.bucket, l.key), l]));
  const out = new Map<string, ValidationFile>();
  const file = (l: { bucket: string; key: string }, evidenceId: number | null, status: ValidationFile['status'], reason: string | null) =>
    out.set(id(l.bucket, l.key), { kind: 'log', bucket: l.bucket, key: l.key, ...place(l.key), evidenceId, status, reason });
  for (const p of parsed) {
    if (!p.valid || !p.fields) continue;
    for (const e of p.fields.logFiles) {
      const k = id(e.s3Bucket, e.s3Object);
      const log = logs.get(k);
      if (log?.state === 'done') {
        if (log.sha256 === null) {
          file(log, log.evidenceId, 'changed', 'it cannot be decompressed');
          problem('log-changed', log.bucket, log.key, `log ${log.key} cannot be decompressed; digest ${p.input.key} lists it`);
        } else if (log.sha256 !== e.hashValue) {
          file(log, log.evidenceId, 'changed', `SHA-256 of its content is ${log.sha256}; digest ${p.input.key} records ${e.hashValue}`);
          problem(
            'log-changed',
            log.bucket,
            log.key,
            `log ${log.key} was changed: SHA-256 ${log.sha256}, digest ${p.input.key} records ${e.hashValue}`,
          );
        } else file(log, log.evidenceId, 'authentic', null);
      } else if (log?.state === 'missing' || (!log && input.listedPrefixes.has(dayFolder(e.s3Bucket, e.s3Object)))) {
        file({ bucket: e.s3Bucket, key: e.s3Object }, null, 'deleted', `digest ${p.input.key} lists it; it was not in the bucket`);
        problem(
          'log-deleted',
          e.s3Bucket,
          e.s3Object,
          `log ${e.s3Object} was deleted: digest ${p.input.key} lists it, the bucket does not hold it`,
        );
      } else
        file({ bucket: e.s3Bucket, key: e.s3Object }, null, 'not-acquired', `listed by digest ${p.input.key}, outside what was acquired`);
    }
  }
  const valid = parsed.filter((p) => p.valid && p.fields);
  for (const l of input.logs) {
    if (l.state !== 'done' || out.has(id(l.bucket, l.key))) continue;
    const at = l.lastModified ? Date.parse(l.lastModified) : NaN;
    const covering = valid.find((p) => {
      const where = keyPlace(p.input.key);
      const here = keyPlace(l.key);
      return (
        where.account === here.account &&
        where.region === here.region &&
        Date.parse(p.fields!.digestStartTime) <= at &&
        at < Date.parse(p.fields!.digestEndTime)
      );
    });
    if (covering) {
      file(l, l.evidenceId, 'missing', `delivered during digest ${covering.input.key}, which does not list it`);
      problem(
        'log-not-in-digest',
        l.bucket,
        l.key,
        `log ${l.key} was delivered during the hour digest ${covering.input.key} covers, but that digest does not list it: it was added afterwards (or written by another trail without validation)`,
      );
    } else file(l, l.evidenceId, 'unverified', 'no acquired digest covers it (delivered after the last digest, or validation was off)');
  }
  return [...out.values()];
}
