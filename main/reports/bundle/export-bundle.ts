import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';
import type { Core } from '../../core/core';
import { AppError } from '../../core/errors';
import { cancelledError, type JobContext } from '../../jobs/job-service';
import type { BundleExportResult } from '../../../common/contract/reports';
import type { ReportSources } from '../sources';
import type { ReportService } from '../report-service';
import {
  BUNDLE_FORMAT,
  BUNDLE_FORMAT_VERSION,
  CHECKPOINT_FILE,
  DEFAULT_LIMITS,
  MANIFEST,
  SIGNATURE,
  evidenceEntryName,
  type Manifest,
  type ManifestFile,
} from './format';
import type { CustodyFeature } from '../../custody';
import { fsyncDir } from '../../custody/atomic-dir';
import type { CaseData } from './case-data';
import { useNativeCrc32 } from './native-crc32';

export interface ExportDeps {
  core: Core;
  reports: ReportService;
  sources: ReportSources;
  custody: Pick<CustodyFeature, 'ledger'>;
  caseData(caseNumber: string): CaseData;
}

const sha256 = (b: Uint8Array): string => crypto.createHash('sha256').update(b).digest('hex');

/**
 * Writes a signed `.lariat` bundle (format 2). The exporter signs a
 * checkpoint of the ledger's last entry (checkpoint.txt) and, once every hash
 * is known, the manifest. Evidence files are re-hashed while packed and must
 * match their acquisition hash. The bundle is written under a temporary name,
 * fsynced and renamed into place; only then are the `exported` custody entries
 * appended (one per evidence file and one for the case, naming the bundle id,
 * its SHA-256 and the checkpoint). A failure leaves no entry and no file.
 */
export async function exportBundle(
  deps: ExportDeps,
  input: { caseNumber: string; outPath: string; withEvidence: boolean },
  job?: JobContext,
): Promise<BundleExportResult & { bundleId: string }> {
  const { core, sources } = deps;
  useNativeCrc32();
  const c = core.cases.get(input.caseNumber);
  const signer = sources.signer();
  const vault = sources.vault();
  if (!signer || !vault) {
    throw new AppError(
      'no-identity',
      'A bundle must be signed, and no investigator identity exists in this data folder.',
      'Create your identity first (`lariat identity init` or the first-run form), then export again.',
    );
  }
  const head = deps.custody.ledger.headCheck(c.number);
  if (head.problems.length > 0)
    throw new AppError(
      'custody-head-invalid',
      `Case ${c.number} was not exported: ${head.problems[0]!.message}.`,
      `Verify it against a checkpoint kept outside this data folder (\`lariat custody verify ${c.number} --checkpoint FILE\`), then reseal or restore it. Nothing was written or recorded.`,
    );
  const evidence = (sources.evidence(c.number) ?? []).filter((e) => e.vaultPath && e.sha256 && e.status !== 'disposed');
  const outPath = path.resolve(input.outPath);
  const bundleId = crypto.randomUUID();
  const files = input.withEvidence
    ? evidence.map((e) => ({ item: e, file: sources.evidenceFile(e)!, name: evidenceEntryName(e.id, e.vaultPath!) }))
    : [];
  for (const f of files) {
    if (!fs.existsSync(f.file))
      throw new AppError(
        'evidence-missing',
        `The vault file of evidence item ${f.item.id} is missing (${f.file}).`,
        'Run `lariat custody verify` to see what happened; nothing was exported.',
      );
  }

  job?.throwIfCancelled();
  const checkpoint = deps.custody.ledger.checkpoint(c.number);
  if (checkpoint.signer.fingerprint !== signer.fingerprint)
    throw new AppError(
      'no-identity',
      'The bundle checkpoint could not be signed by the exporter.',
      'Choose an identity whose key is here.',
    );
  const tmp = path.join(path.dirname(outPath), `.${path.basename(outPath)}.${bundleId.slice(0, 8)}.partial`);
  let zip: yazl.ZipFile | null = null;
  let result: BundleExportResult & { bundleId: string };
  try {
    // The bundle's own verification covers the ledger and every evidence file, so the report skips re-hashing the vault.
    const report = await deps.reports.generate({ caseNumber: c.number, timelineScope: 'flagged', preview: true });
    const ledger = (sources.custodyEntries(c.number) ?? []).filter((e) => e.seq <= checkpoint.seq);
    const fingerprints = new Set<string>([signer.fingerprint]);
    for (const e of ledger) {
      fingerprints.add(e.actor.fingerprint);
      if (e.counterparty) fingerprints.add(e.counterparty.fingerprint);
    }
    const pems = new Map((sources.investigators() ?? []).map((i) => [i.fingerprint, i.publicKeyPem]));
    pems.set(signer.fingerprint, signer.publicKeyPem);

    const buffers: { name: string; role: ManifestFile['role']; bytes: Buffer; compress: boolean }[] = [
      { name: 'case.json', role: 'case', bytes: Buffer.from(`${JSON.stringify(deps.caseData(c.number), null, 1)}\n`), compress: true },
      { name: 'ledger.jsonl', role: 'ledger', bytes: Buffer.from(ledger.map((e) => `${JSON.stringify(e)}\n`).join('')), compress: true },
      ...[...fingerprints].map((fp) => {
        const pem = pems.get(fp);
        if (!pem)
          throw new AppError(
            'key-unknown',
            `The public key ${fp} that signed custody entries of ${c.number} is not in this data folder.`,
            'Register it with `lariat identity add-key`, then export again.',
          );
        return { name: `keys/${fp}.pem`, role: 'key' as const, bytes: Buffer.from(pem), compress: true };
      }),
      { name: CHECKPOINT_FILE, role: 'checkpoint', bytes: Buffer.from(checkpoint.text), compress: false },
      { name: 'report.html', role: 'report', bytes: Buffer.from(report.html), compress: true },
    ];
    const parsed = buffers.filter((b) => b.role !== 'report').reduce((n, b) => n + b.bytes.length, 0);
    if (parsed > DEFAULT_LIMITS.maxInMemoryBytes)
      throw new AppError(
        'bundle-too-large',
        `The case data and ledger of ${c.number} take ${parsed} bytes; a receiving Lariat verifies at most ${DEFAULT_LIMITS.maxInMemoryBytes}.`,
        'Nothing was written. Export the evidence with the case in several bundles is not supported yet; trim the timeline or report the limit.',
      );

    zip = new yazl.ZipFile();
    const out = fs.createWriteStream(tmp, { flags: 'wx', mode: 0o600 });
    const outHash = crypto.createHash('sha256');
    let outSize = 0;
    const tap = new PassThrough();
    tap.on('data', (chunk: Buffer) => {
      outHash.update(chunk);
      outSize += chunk.length;
    });
    const written = pipeline(zip.outputStream, tap, out);
    // Failures surface where they belong (the awaits below, or the catch that removes the temp file), never unhandled.
    written.catch(() => undefined);
    let zipError: Error | null = null;
    zip.on('error', (err: Error) => {
      zipError = err;
    });
    const mtime = core.clock.now();
    const listed: ManifestFile[] = [];
    for (const b of buffers) {
      zip.addBuffer(b.bytes, b.name, { compress: b.compress, mtime, mode: 0o100644 });
      listed.push({ path: b.name, size: b.bytes.length, sha256: sha256(b.bytes), role: b.role });
    }
    const total = files.reduce((a, f) => a + (f.item.size ?? 0), 0);
    let done = 0;
    for (const f of files) {
      job?.throwIfCancelled();
      const hash = crypto.createHash('sha256');
      let size = 0;
      const src = fs.createReadStream(f.file, { highWaterMark: 1024 * 1024 });
      const through = new PassThrough({ highWaterMark: 1024 * 1024 });
      src.on('data', (chunk) => {
        if (job?.signal.aborted) {
          src.destroy(cancelledError());
          return;
        }
        const b = chunk as Buffer;
        hash.update(b);
        size += b.length;
        done += b.length;
        job?.progress(done, total);
      });
      src.on('error', (err) => through.destroy(err));
      src.pipe(through);
      zip.addReadStream(through, f.name, { compress: false, mtime, mode: 0o100444, size: f.item.size ?? undefined });
      await new Promise<void>((resolve, reject) => {
        through.on('end', resolve);
        through.on('error', reject);
      });
      const digest = hash.digest('hex');
      if (digest !== f.item.sha256 || zipError) {
        throw new AppError(
          'evidence-changed',
          `The vault file of evidence item ${f.item.id} no longer matches its acquisition SHA-256.`,
          'Run `lariat custody verify`; nothing was exported.',
        );
      }
      listed.push({ path: f.name, size, sha256: digest, role: 'evidence', evidenceId: f.item.id });
    }
    const sums = Buffer.from(listed.map((f) => `${f.sha256}  ${f.path}\n`).join(''));
    zip.addBuffer(sums, 'SHA256SUMS', { compress: true, mtime, mode: 0o100644 });
    listed.push({ path: 'SHA256SUMS', size: sums.length, sha256: sha256(sums), role: 'checksums' });

    const manifest: Manifest = {
      format: BUNDLE_FORMAT,
      formatVersion: BUNDLE_FORMAT_VERSION,
      bundleId,
      createdAt: core.clock.now().toISOString(),
      lariatVersion: core.version,
      case: { number: c.number, title: c.title, tlp: c.tlp },
      exporter: { name: signer.name, fingerprint: signer.fingerprint, publicKey: `keys/${signer.fingerprint}.pem` },
      ledger: { entries: ledger.length, head: ledger.length ? ledger[ledger.length - 1]!.hash : null },
      withEvidence: input.withEvidence,
      files: listed,
    };
    const manifestBytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
    zip.addBuffer(manifestBytes, MANIFEST, { compress: true, mtime, mode: 0o100644 });
    zip.addBuffer(signer.sign(manifestBytes), SIGNATURE, { compress: false, mtime, mode: 0o100644 });
    zip.end();
    await written;
    const fd = fs.openSync(tmp, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, outPath);
    fsyncDir(path.dirname(outPath));
    result = {
      bundleId,
      path: outPath,
      size: outSize,
      sha256: outHash.digest('hex'),
      files: listed.length,
      withEvidence: input.withEvidence,
    };
  } catch (err) {
    (zip?.outputStream as Readable | undefined)?.destroy();
    fs.rmSync(tmp, { force: true });
    if (err instanceof AppError) throw err;
    throw new AppError(
      'export-write-failed',
      `The bundle could not be written to ${outPath}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}. Nothing was recorded.`,
      'Choose a folder you can write to, with enough free space.',
      { cause: err },
    );
  }
  // The bundle is complete on disk: only now is the hand-over a custody fact.
  const cp = { seq: checkpoint.seq, hash: checkpoint.hash, at: checkpoint.at };
  for (const f of files)
    vault.recordCustody(c.number, {
      evidenceId: f.item.id,
      action: 'exported',
      purpose: `Included in case bundle ${bundleId}`,
      details: { bundleId, path: outPath, sha256: result.sha256, checkpoint: cp },
    });
  vault.recordCustody(c.number, {
    evidenceId: null,
    action: 'exported',
    purpose: `Case bundle written to ${outPath}`,
    details: {
      bundleId,
      path: outPath,
      sha256: result.sha256,
      withEvidence: input.withEvidence,
      exporter: signer.fingerprint,
      checkpoint: cp,
    },
  });
  return result;
}
