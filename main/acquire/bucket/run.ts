import path from 'node:path';
import { AppError } from '../../core/errors';
import type { JobContext } from '../../jobs/job-service';
import type { AwsClients } from '../../aws/clients';
import type { EvidenceSummary, ImportFileMeta, StagedEvidence } from '../../custody/api';
import type { AcquisitionRecord } from '../../../common/contract/acquire';
import type { AcquireDeps } from '../deps';
import { downloadObject, type Downloaded } from '../s3/download';
import { fetchPublicKeys } from '../cloudtrail/public-keys';
import { DIGEST_SLACK_MS } from '../s3/layout';
import type { ObjectRow } from '../store';
import { bucketClients, type BucketRequest } from './plan';
import { importAcquired } from '../timeline-import';

/** Objects fetched at once: log files are small, so latency, not bandwidth, sets the pace. */
const PARALLEL = 4;
/** Finished objects recorded per transaction, or whatever finished within COMMIT_MS. */
const COMMIT_GROUP = 32;
const COMMIT_MS = 1000;

const describe = (o: ObjectRow): { kind: 'log-export'; description: string } => ({
  kind: 'log-export',
  description: `${o.kind === 'digest' ? 'CloudTrail digest' : o.kind === 'flow-log' ? 'VPC flow log' : 'CloudTrail log'} s3://${o.bucket}/${o.key}`,
});

/**
 * Before fetching anything, marks done the pending objects the vault already
 * holds from this acquisition (committed, then killed before the object row
 * said so): same S3 source, same ETag in the custody facts. Already done is
 * done; it is never fetched or recorded twice.
 */
function reconcile(d: AcquireDeps, acquisitionId: number, caseNumber: string): void {
  const pending = d.store.objects(acquisitionId, ['pending', 'failed']);
  if (!pending.length) return;
  const held = new Map<string, { id: number; method: string }[]>();
  for (const item of d.vault.list(caseNumber)) {
    const r = item.source.resource;
    if (r?.startsWith('s3://')) held.set(r, [...(held.get(r) ?? []), { id: item.id, method: item.acquisition.method }]);
  }
  // Digests are fetched again instead: their signature lives in the object's metadata.
  const found = pending.flatMap((o) => {
    if (o.kind === 'digest') return [];
    const hit = held.get(`s3://${o.bucket}/${o.key}`)?.find((h) => h.method.includes(` ETag=${o.etag}`));
    if (!hit) return [];
    const version = / versionId=(\S+)/.exec(hit.method)?.[1];
    return [{ seq: o.seq, evidenceId: hit.id, versionId: version && version !== 'null' ? version : null, metadata: null }];
  });
  d.store.objectsDone(acquisitionId, found);
}

/** Facts of one S3 acquisition, written into its custody entry. */
export function s3Method(bucket: string, key: string, got: Downloaded, endpoint: string | null): string {
  const checks = `MD5, SHA-1 and SHA-256 computed while streamed into the vault${got.etagChecked ? ', MD5 equal to the ETag' : ''}, copy re-read and SHA-256 confirmed`;
  const resumed = got.resumedFrom > 0 ? `; resumed at byte ${got.resumedFrom} (If-Match ETag)` : '';
  return `s3:GetObject bucket=${bucket} key=${key} versionId=${got.versionId ?? 'null (unversioned)'} ETag=${got.etag}${endpoint ? ` endpoint=${endpoint}` : ''}; ${checks}${resumed}`;
}

type ObjectFacts = Pick<ObjectRow, 'acquisition_id' | 'seq' | 'bucket' | 'key' | 'etag' | 'size' | 'account' | 'region'>;

/**
 * Streams one S3 object into the case vault through `downloadObject` (hashed
 * while written, fsynced, re-read, resumable), staged but not yet recorded:
 * the part file stays where a resumed run finds it until it is committed.
 */
export async function stageObject(
  d: AcquireDeps,
  caseNumber: string,
  clients: AwsClients,
  region: string,
  o: ObjectFacts,
  job: JobContext | undefined,
  onBytes?: (n: number) => void,
): Promise<{ staged: StagedEvidence; got: Downloaded }> {
  let got: Downloaded | null = null;
  const staged = await d.evidence.stageFile(
    caseNumber,
    `s3://${o.bucket}/${o.key}`,
    job && { signal: job.signal, throwIfCancelled: () => job.throwIfCancelled(), progress: () => undefined },
    async (_source, dir, options) => {
      got = await downloadObject({
        clients,
        region,
        bucket: o.bucket,
        key: o.key,
        etag: o.etag,
        size: o.size,
        partPath: path.join(dir, `.acquire-${o.acquisition_id}-${o.seq}.part`),
        signal: options?.signal,
        onBytes,
      });
      return { tempPath: got.tempPath, size: got.size, hashes: got.hashes };
    },
  );
  return { staged, got: got as unknown as Downloaded };
}

/** The register entry of an S3 object: an `acquired` custody entry naming bucket, key, version id and ETag. */
export function objectMeta(
  d: AcquireDeps,
  clients: AwsClients,
  o: ObjectFacts,
  got: Downloaded,
  what: { kind: 'log-export' | 'file'; description: string },
): ImportFileMeta {
  return {
    kind: what.kind,
    description: what.description,
    source: { path: undefined, account: o.account ?? undefined, region: o.region ?? undefined, resource: `s3://${o.bucket}/${o.key}` },
    acquisition: {
      tool: `Lariat ${d.core.version}`,
      method: s3Method(o.bucket, o.key, got, clients.endpoint),
      host: clients.endpoint ?? 's3.amazonaws.com',
    },
    action: 'acquired',
  };
}

/** The same content already held gets a custody note naming this second source instead of a silent merge. */
function noteDuplicate(d: AcquireDeps, caseNumber: string, evidence: EvidenceSummary, o: ObjectFacts, got: Downloaded): void {
  if (evidence.duplicate)
    d.evidence.recordCustody(caseNumber, {
      evidenceId: evidence.id,
      action: 'note',
      purpose: 'acquired again from another source',
      details: { source: `s3://${o.bucket}/${o.key}`, versionId: got.versionId, etag: got.etag, acquisition: o.acquisition_id },
    });
}

/** Downloads one S3 object into the case vault and records it at once (Athena results: one object). */
export async function acquireObject(
  d: AcquireDeps,
  caseNumber: string,
  clients: AwsClients,
  region: string,
  o: ObjectFacts,
  what: { kind: 'log-export' | 'file'; description: string },
  job: JobContext | undefined,
  onBytes?: (n: number) => void,
): Promise<{ evidence: EvidenceSummary; got: Downloaded }> {
  const { staged, got } = await stageObject(d, caseNumber, clients, region, o, job, onBytes);
  const evidence = d.evidence.commitStaged(caseNumber, staged, objectMeta(d, clients, o, got, what));
  noteDuplicate(d, caseNumber, evidence, o, got);
  return { evidence, got };
}

/**
 * Runs (or resumes) a planned bucket acquisition: CloudTrail's public keys
 * for each region with digests, then every pending object, four at a time,
 * then the logs into the timeline. Finished objects are committed in groups
 * (see COMMIT_GROUP), so a kill loses at most the objects not yet committed
 * (their part files are continued, or only checked, by the next run); a
 * cancel records what finished and removes the part files of the rest.
 */
export async function runBucket(d: AcquireDeps, acquisitionId: number, job?: JobContext): Promise<AcquisitionRecord> {
  const row = d.store.row(acquisitionId);
  const caseNumber = row.case_number;
  d.core.cases.requireWritable(caseNumber);
  const req = d.store.request<BucketRequest>(acquisitionId);
  d.store.claim(acquisitionId);
  const { clients, access } = await bucketClients(d, req.via).catch((err: unknown) => {
    d.store.finish(acquisitionId, err);
    throw err;
  });
  try {
    if (req.digests) await acquireKeys(d, acquisitionId, caseNumber, clients, req, job);
    reconcile(d, acquisitionId, caseNumber);
    const todo = d.store.objects(acquisitionId, ['pending', 'failed']);
    // Finished downloads wait (fsynced part files in the vault folder) and are committed in groups: the vault
    // items, their custody entries and the object rows of a group in ONE transaction (one fsync, one head sync).
    // A kill before a group commits leaves complete part files that the next run re-hashes and checks with a
    // HeadObject instead of downloading again; nothing is recorded for them until then.
    const ready: { o: ObjectRow; staged: StagedEvidence; got: Downloaded }[] = [];
    let lastCommit = Date.now();
    const commit = (): void => {
      const group = ready.splice(0);
      lastCommit = Date.now();
      if (!group.length) return;
      d.evidence.commitStagedBatch(
        caseNumber,
        group.map(({ o, staged, got }) => ({ staged, meta: objectMeta(d, clients, o, got, describe(o)) })),
        (summaries, offset) => {
          const part = group.slice(offset, offset + summaries.length);
          part.forEach(({ o, got }, i) => {
            const evidence = summaries[i]!;
            noteDuplicate(d, caseNumber, evidence, o, got);
            if (o.kind === 'digest' && got.metadata.signature)
              d.evidence.recordCustody(caseNumber, {
                evidenceId: evidence.id,
                action: 'note',
                purpose: 'CloudTrail digest signature (S3 object metadata)',
                details: { signature: got.metadata.signature, signatureAlgorithm: got.metadata['signature-algorithm'] ?? null },
              });
          });
          d.store.objectsDone(
            acquisitionId,
            part.map(({ o, got }, i) => ({ seq: o.seq, evidenceId: summaries[i]!.id, versionId: got.versionId, metadata: got.metadata })),
          );
        },
      );
    };
    const total = todo.reduce((n, o) => n + o.size, 0);
    let done = 0;
    const inFlight = new Map<number, number>();
    const report = () => job?.progress(done + [...inFlight.values()].reduce((n, b) => n + b, 0), total);
    report();
    const failures: string[] = [];
    let next = 0;
    // A failure that is not about one object (permission, network, cancel) stops the other workers at their next object.
    let stopped = false;
    const worker = async (): Promise<void> => {
      while (next < todo.length && !stopped) {
        job?.throwIfCancelled();
        const o = todo[next++]!;
        inFlight.set(o.seq, 0);
        try {
          const { staged, got } = await stageObject(d, caseNumber, clients, req.region, o, job, (n) => {
            inFlight.set(o.seq, n);
            report();
          });
          ready.push({ o, staged, got });
          if (ready.length >= COMMIT_GROUP || Date.now() - lastCommit > COMMIT_MS) commit();
        } catch (err) {
          if (
            err instanceof AppError &&
            (err.code === 'aws-not-found' || err.code === 'object-changed' || err.code === 'download-corrupt')
          ) {
            d.store.objectFailed(acquisitionId, o.seq, err.code === 'aws-not-found' ? 'missing' : 'failed', err.message);
            failures.push(err.message);
          } else {
            stopped = true;
            throw err;
          }
        } finally {
          inFlight.delete(o.seq);
          done += o.size;
          report();
        }
      }
    };
    const workers = Array.from({ length: Math.min(PARALLEL, todo.length) }, () => worker());
    const settled = await Promise.allSettled(workers);
    // What finished before a cancel or a failure is complete in the vault: it is recorded, as it would have been alone.
    commit();
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
    await importAcquired(d, acquisitionId, caseNumber, job);
    if (failures.length)
      throw new AppError(
        'acquisition-incomplete',
        `${failures.length} object(s) could not be acquired: ${failures.slice(0, 3).join(' ')}`,
        'Objects deleted after the plan are recorded as missing (that may itself be evidence). Run the acquisition again to retry changed or damaged ones; finished objects are not fetched again.',
      );
    d.store.finish(acquisitionId, null);
  } catch (err) {
    d.store.finish(acquisitionId, err);
    throw err;
  } finally {
    access.destroy();
  }
  return d.store.get(acquisitionId);
}

/** CloudTrail's public keys for each region with digests, once per region (kept in the result, so a resume skips them). */
async function acquireKeys(
  d: AcquireDeps,
  id: number,
  caseNumber: string,
  clients: AwsClients,
  req: BucketRequest,
  job?: JobContext,
): Promise<void> {
  const result = d.store.result<{ keyRegions?: string[]; keys?: { region: string; evidenceId: number }[] }>(id);
  const have = new Set((result.keys ?? []).map((k) => k.region));
  for (const region of result.keyRegions ?? []) {
    if (have.has(region)) continue;
    job?.throwIfCancelled();
    const fromMs = Date.parse(req.window.from) - 24 * 3600_000;
    const toMs = Math.min(Date.parse(req.window.to) + DIGEST_SLACK_MS, d.core.clock.now().getTime());
    const doc = await fetchPublicKeys(clients, region, fromMs, Math.max(toMs, fromMs + 1), d.core.clock.now().toISOString(), job?.signal);
    const ev = await d.evidence.importBytes(
      caseNumber,
      `cloudtrail-public-keys-${region}-acquisition-${id}.json`,
      Buffer.from(JSON.stringify(doc, null, 2)),
      {
        kind: 'file',
        description: `CloudTrail public keys of ${region} (ListPublicKeys ${doc.request.StartTime} to ${doc.request.EndTime}) for digest validation`,
        source: { region, resource: `cloudtrail:ListPublicKeys ${region}` },
        acquisition: {
          tool: `Lariat ${d.core.version}`,
          method: `cloudtrail:ListPublicKeys StartTime=${doc.request.StartTime} EndTime=${doc.request.EndTime} requestIds=${doc.requestIds.join(',')}`,
          host: clients.endpoint ?? `cloudtrail.${region}.amazonaws.com`,
        },
      },
    );
    d.store.mergeResult(id, { keys: [...(d.store.result<{ keys?: unknown[] }>(id).keys ?? []), { region, evidenceId: ev.id }] });
  }
}
