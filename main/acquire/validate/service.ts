import crypto from 'node:crypto';
import fs from 'node:fs';
import zlib from 'node:zlib';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import type { CloudTrailValidation } from '../../../common/contract/acquire';
import { vaultFile, type AcquireDeps } from '../deps';
import type { PublicKeysDocument } from '../cloudtrail/public-keys';
import { publicKeyObject } from '../cloudtrail/public-keys';
import { sha256File } from '../../custody/vault-copy';
import { validateChain, type DigestInput, type KeyInput, type LogInput } from './chain';

/**
 * `lariat cloudtrail validate <case>`: reads only what the case holds (the
 * digest and log files in the vault, the signatures recorded with them, and
 * the public keys acquired with ListPublicKeys) and validates them without
 * any network access. The key files are trusted only when their vault copy
 * still has the SHA-256 recorded at acquisition.
 */
export async function validateCase(d: AcquireDeps, caseNumber: string, options: { record?: boolean } = {}): Promise<CloudTrailValidation> {
  const c = d.core.cases.require(caseNumber);
  const keys: KeyInput[] = [];
  const keyRows: CloudTrailValidation['keys'] = [];
  const keyProblems: CloudTrailValidation['problems'] = [];
  for (const a of d.store.caseAcquisitions(c.id, 'bucket')) {
    const result = JSON.parse(a.result) as { keys?: { region: string; evidenceId: number }[] };
    for (const k of result.keys ?? []) {
      const item = d.vault.get(caseNumber, k.evidenceId);
      const file = item.vaultPath ? vaultFile(d, item.vaultPath) : null;
      const actual = file && fs.existsSync(file) ? await sha256File(file) : null;
      if (!file || actual !== item.sha256) {
        keyProblems.push({
          kind: 'keys-changed',
          severity: 'tampering',
          bucket: '',
          key: item.vaultPath ?? `evidence ${k.evidenceId}`,
          message: `the public keys of ${k.region} (evidence ${k.evidenceId}) no longer have the SHA-256 recorded when they were acquired; they are not used`,
        });
        continue;
      }
      const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as PublicKeysDocument;
      for (const pk of doc.PublicKeyList) {
        keys.push({ region: doc.region, fingerprint: pk.Fingerprint, key: publicKeyObject(pk.Value) });
        keyRows.push({
          region: doc.region,
          fingerprint: pk.Fingerprint,
          validFrom: pk.ValidityStartTime,
          validTo: pk.ValidityEndTime,
          evidenceId: k.evidenceId,
        });
      }
    }
  }
  const listedPrefixes = new Set<string>();
  for (const a of d.store.caseAcquisitions(c.id, 'bucket')) {
    const result = JSON.parse(a.result) as { listed?: string[] };
    const req = JSON.parse(a.request) as { bucket?: string };
    for (const p of result.listed ?? []) listedPrefixes.add(`${req.bucket}/${p}`);
  }

  const digests: DigestInput[] = [];
  const otherDigests: { bucket: string; key: string; state: LogInput['state'] }[] = [];
  for (const o of latest(d.store.caseObjects(c.id, 'digest'))) {
    if (o.state !== 'done' || o.evidence_id === null) {
      otherDigests.push({ bucket: o.bucket, key: o.key, state: o.state });
      continue;
    }
    const meta = o.metadata ? (JSON.parse(o.metadata) as Record<string, string>) : {};
    const { content, problem } = readGzip(d, caseNumber, o.evidence_id);
    digests.push({
      bucket: o.bucket,
      key: o.key,
      evidenceId: o.evidence_id,
      content,
      unreadable: problem,
      signature: meta.signature ?? null,
    });
  }
  const logs: LogInput[] = [];
  for (const o of latest(d.store.caseObjects(c.id, 'log'))) {
    let sha256: string | null = null;
    if (o.state === 'done' && o.evidence_id !== null) sha256 = await gunzipSha256(d, caseNumber, o.evidence_id);
    logs.push({ bucket: o.bucket, key: o.key, evidenceId: o.evidence_id, state: o.state, sha256, lastModified: o.last_modified });
  }

  const out = validateChain({ digests, otherDigests, logs, keys, listedPrefixes });
  const problems = [...keyProblems, ...out.problems];
  const logFiles = out.files.filter((f) => f.kind === 'log');
  const count = (s: string) => logFiles.filter((f) => f.status === s).length;
  const logsSummary = {
    authentic: count('authentic'),
    changed: count('changed'),
    deleted: count('deleted'),
    unverified: count('unverified') + count('missing'),
    notAcquired: count('not-acquired'),
  };
  const verdict: CloudTrailValidation['verdict'] = problems.some((p) => p.severity === 'tampering')
    ? 'tampered'
    : digests.length === 0
      ? 'nothing-to-validate'
      : problems.length > 0 || logsSummary.unverified > 0 || out.files.some((f) => f.kind === 'digest' && f.status !== 'authentic')
        ? 'incomplete'
        : 'intact';
  // A report reads the validation without logging it: writing it would announce a change that re-renders the report.
  if (options.record !== false)
    d.core.activity.record({
      caseId: c.id,
      action: 'cloudtrail.validated',
      entity: 'case',
      entityId: caseNumber,
      details: { verdict, digests: digests.length, problems: problems.length },
    });
  return {
    caseNumber,
    validatedAt: d.core.clock.now().toISOString(),
    verdict,
    digests: { total: digests.length, valid: out.valid, invalid: out.invalid },
    logs: logsSummary,
    keys: keyRows,
    files: out.files,
    problems,
  };
}

/** The newest row per object when several acquisitions found the same key. */
function latest<T extends { bucket: string; key: string; state: string }>(rows: T[]): T[] {
  const by = new Map<string, T>();
  for (const r of rows) {
    const k = `${r.bucket}/${r.key}`;
    const prev = by.get(k);
    if (!prev || prev.state !== 'done' || r.state === 'done') by.set(k, r);
  }
  return [...by.values()];
}

function itemFile(d: AcquireDeps, caseNumber: string, evidenceId: number): { file: string | null; sha256: string | null } {
  const item = d.vault.get(caseNumber, evidenceId);
  return { file: item.vaultPath ? vaultFile(d, item.vaultPath) : null, sha256: item.sha256 };
}

/** A digest file's uncompressed bytes (digests are a few KB), or why it cannot be read. */
function readGzip(d: AcquireDeps, caseNumber: string, evidenceId: number): { content: Buffer | null; problem: string | null } {
  const { file } = itemFile(d, caseNumber, evidenceId);
  if (!file || !fs.existsSync(file)) return { content: null, problem: 'its vault copy is missing' };
  try {
    return { content: zlib.gunzipSync(fs.readFileSync(file)), problem: null };
  } catch (e) {
    return { content: null, problem: `it is not gzip (${(e as Error).message})` };
  }
}

/** SHA-256 of a log's uncompressed content, streamed (logs can be tens of MB); null when it does not decompress. */
async function gunzipSha256(d: AcquireDeps, caseNumber: string, evidenceId: number): Promise<string | null> {
  const { file } = itemFile(d, caseNumber, evidenceId);
  if (!file || !fs.existsSync(file)) return null;
  const hash = crypto.createHash('sha256');
  try {
    await pipeline(
      fs.createReadStream(file),
      zlib.createGunzip(),
      new Writable({
        write(chunk: Buffer, _enc, cb) {
          hash.update(chunk);
          cb();
        },
      }),
    );
    return hash.digest('hex');
  } catch {
    return null;
  }
}
