import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Core } from '../../core/core';
import { AppError } from '../../core/errors';
import type { JobContext } from '../../jobs/job-service';
import type { BundleImportResult } from '../../../common/contract/reports';
import { CaseCreateInput } from '../../../common/contract/cases';
import type { CustodyFeature } from '../../custody';
import type { ReportSources } from '../sources';
import { type BundleContents, type VerifyOptions, pickCaseInput, verifyBundle } from './verify';
import { BundleRefusal } from './safe-zip';
import { MANIFEST, SIGNATURE } from './format';

/** Where received bundles are unpacked: `<data folder>/received/<local case number>/`. */
export function receivedDir(core: Core, caseNumber?: string): string {
  const root = path.join(core.paths.dataDir, 'received');
  return caseNumber ? path.join(root, caseNumber) : root;
}

async function sha256File(file: string): Promise<string> {
  const hash = crypto.createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Imports a bundle into this data folder. The whole bundle is verified first
 * with nothing written, and must be intact and anchored: its exporter (or
 * another of its signers) is in the trust list, or is a fingerprint the
 * investigator confirmed with the sender by another channel (`trust`). Only
 * then is it unpacked into a staging folder inside `received/` (re-verifying
 * every byte as it is written), with its manifest and signature kept so the
 * case can be re-verified any time, moved into place read-only, and the case
 * created read-only in one transaction together with the sender's public keys
 * and a `received` custody entry, signed by the receiving investigator, that
 * names the sender's key (and an `introduced` entry for each other signer
 * whose fingerprint was confirmed). A case number already used here is
 * received under a new local number; the sender's stays visible.
 */
export async function importBundle(
  deps: { core: Core; sources: ReportSources; custody: CustodyFeature },
  file: string,
  options: Pick<VerifyOptions, 'limits'> & { trust?: string[] } = {},
  job?: JobContext,
): Promise<BundleImportResult> {
  const { core, sources, custody } = deps;
  const roots = custody.trust.roots();
  for (const fp of options.trust ?? []) roots.keys.set(fp, 'confirmed by the investigator when receiving the bundle');
  if (options.trust?.length) roots.source = `${roots.source}, plus the fingerprints confirmed for this import`;
  const first = await verifyBundle(file, { ...options, roots });
  const { verification } = first;
  if (verification.intact && !verification.anchored && verification.exporter)
    throw new AppError(
      'bundle-not-anchored',
      `The bundle is intact, but none of its keys is trusted here: ${verification.exporter.name}'s key fingerprint is ${verification.exporter.fingerprint}.`,
      `Confirm that fingerprint with ${verification.exporter.name} by another channel (phone, in person), then import again trusting it (\`lariat import-bundle FILE --trust ${verification.exporter.fingerprint}\`). Nothing was written.`,
    );
  if (!verification.ok || !first.contents) {
    throw new AppError(
      `bundle-${verification.code ?? 'refused'}`,
      `The bundle was refused: ${verification.reason ?? 'verification failed'}`,
      'Nothing was written. Ask the sender to export the case again and confirm its SHA-256 with them by another channel.',
    );
  }
  const { manifest } = first.contents;
  const earlier = core.db
    .prepare<[string], { number: string }>('SELECT c.number FROM bundle_receipts r JOIN cases c ON c.id = r.case_id WHERE r.bundle_id = ?')
    .get(manifest.bundleId);
  if (earlier)
    throw new AppError(
      'case-exists',
      `Bundle ${manifest.bundleId} was already received here as case ${earlier.number} (it already exists).`,
      'Open that case; nothing was written.',
    );
  const signer = sources.signer();
  if (!signer || !sources.vault())
    throw new AppError(
      'no-identity',
      'Receiving a case needs your signature on its custody record, and no investigator identity exists here.',
      'Create your identity first, then import again. Nothing was written.',
    );

  fs.mkdirSync(receivedDir(core), { recursive: true, mode: 0o700 });
  const staging = path.join(receivedDir(core), `.staging-${process.pid}-${crypto.randomUUID()}`);
  fs.mkdirSync(staging, { mode: 0o700 });
  let dest: string | null = null;
  try {
    const bundleSha = await sha256File(file);
    const second = await verifyBundle(file, {
      ...options,
      roots,
      extractTo: staging,
      ...(job ? { onProgress: (d: number, t: number) => job.progress(d, t) } : {}),
    });
    if (!second.verification.ok || !second.contents)
      throw new BundleRefusal(
        second.verification.code ?? 'refused',
        `The bundle changed while it was imported: ${second.verification.reason ?? ''}`,
      );
    const contents = second.contents;
    fs.writeFileSync(path.join(staging, MANIFEST), contents.manifestBytes, { flag: 'wx', mode: 0o600 });
    fs.writeFileSync(path.join(staging, SIGNATURE), contents.signature, { flag: 'wx', mode: 0o600 });
    makeReadOnly(staging);
    const caseNumber = core.db.transaction(() => {
      const number = createReceivedCase(deps, contents, {
        staging,
        bundleSha,
        signerName: signer.name,
        confirmed: options.trust ?? [],
      });
      dest = receivedDir(core, number);
      if (fs.existsSync(dest))
        throw new AppError('received-exists', `${dest} already exists.`, 'Move it away, then import again. Nothing was written.');
      fs.renameSync(staging, dest);
      return number;
    })();
    custody.ledger.syncHead(caseNumber);
    core.events.emit('caseChanged', { caseNumber, what: 'case' });
    return { caseNumber, originalCaseNumber: manifest.case.number, verification: second.verification, folder: dest! };
  } catch (err) {
    for (const d of [staging, dest]) {
      if (!d || !fs.existsSync(d)) continue;
      makeWritable(d);
      fs.rmSync(d, { recursive: true, force: true });
    }
    throw err;
  }
}

function createReceivedCase(
  deps: { core: Core; sources: ReportSources; custody: CustodyFeature },
  contents: BundleContents,
  r: { staging: string; bundleSha: string; signerName: string; confirmed: string[] },
): string {
  const { core, sources, custody } = deps;
  const { manifest, caseData, ledger, keys } = contents;
  const original = manifest.case.number;
  const taken = !!core.db.prepare('SELECT 1 FROM cases WHERE number = ?').get(original);
  const input = pickCaseInput(caseData.case);
  if (taken) input.tags = [`sender-case:${original}`, ...(input.tags ?? []).slice(0, 49)];
  const number = core.cases.create(CaseCreateInput.parse(input), { readOnly: true, ...(taken ? {} : { number: original }) }).number;
  const caseId = core.cases.require(number).id;
  // Keep the sender's dates: when the case was opened and closed are facts of the case, not of the import.
  core.db.prepare('UPDATE cases SET opened_at = ?, closed_at = ? WHERE id = ?').run(caseData.case.openedAt, caseData.case.closedAt, caseId);
  const insertTask = core.db.prepare(
    'INSERT INTO tasks (case_id, title, assignee, status, due_date, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  for (const t of caseData.tasks) insertTask.run(caseId, t.title, t.assignee, t.status, t.dueDate, t.createdAt, t.updatedAt);
  const insertNote = core.db.prepare('INSERT INTO notes (case_id, title, body, author, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)');
  for (const n of caseData.notes) insertNote.run(caseId, n.title, n.body, n.author, n.createdAt, n.updatedAt);
  const insertAsset = core.db.prepare(
    'INSERT OR IGNORE INTO assets (case_id, kind, identifier, label, account, region, details, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  for (const a of caseData.assets)
    insertAsset.run(caseId, a.kind, a.identifier, a.label, a.account, a.region, JSON.stringify(a.details), a.createdAt, a.updatedAt);
  const names = new Map<string, string>();
  for (const e of ledger) {
    if (!names.has(e.actor.fingerprint)) names.set(e.actor.fingerprint, e.actor.name);
    if (e.counterparty && !names.has(e.counterparty.fingerprint)) names.set(e.counterparty.fingerprint, e.counterparty.name);
  }
  names.set(manifest.exporter.fingerprint, manifest.exporter.name);
  for (const [fp, pem] of keys) sources.registerPublicKey({ name: names.get(fp) ?? manifest.exporter.name, publicKeyPem: pem });
  const folder = receivedDir(core, number);
  const now = core.clock.now().toISOString();
  core.db
    .prepare(
      'INSERT INTO bundle_receipts (case_id, bundle_id, bundle_sha256, exporter, exporter_fp, exported_at, manifest, folder, received_by, received_at, original_number) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    )
    .run(
      caseId,
      manifest.bundleId,
      r.bundleSha,
      manifest.exporter.name,
      manifest.exporter.fingerprint,
      manifest.createdAt,
      JSON.stringify(manifest),
      folder,
      r.signerName,
      now,
      original,
    );
  core.activity.record({
    caseId,
    action: 'bundle.received',
    entity: 'bundle',
    entityId: manifest.bundleId,
    details: { sha256: r.bundleSha, exporter: manifest.exporter, files: manifest.files.length, folder, originalCaseNumber: original },
  });
  custody.ledger.append(number, {
    evidence: null,
    action: 'received',
    purpose: `Case bundle ${manifest.bundleId} received from ${manifest.exporter.name}${taken ? ` (sender's case ${original}, received here as ${number})` : ''}`,
    counterparty: { name: manifest.exporter.name, fingerprint: manifest.exporter.fingerprint, role: 'sent-by' },
    details: {
      bundleId: manifest.bundleId,
      bundleSha256: r.bundleSha,
      manifestSha256: crypto.createHash('sha256').update(contents.manifestBytes).digest('hex'),
      exporter: manifest.exporter,
      exportedAt: manifest.createdAt,
      originalCaseNumber: original,
      senderLedger: { entries: manifest.ledger.entries, head: manifest.ledger.head },
      confirmedFingerprints: r.confirmed,
      files: manifest.files
        .filter((f) => f.role === 'evidence')
        .map((f) => ({ path: f.path, sha256: f.sha256, size: f.size, evidenceId: f.evidenceId })),
      folder,
    },
  });
  // Other signers of the sender's ledger whose fingerprints were confirmed for this import: vouched for in this case's ledger.
  for (const fp of r.confirmed) {
    if (fp === manifest.exporter.fingerprint || !names.has(fp) || !keys.has(fp)) continue;
    custody.ledger.append(number, {
      evidence: null,
      action: 'introduced',
      purpose: `key of ${names.get(fp)!} confirmed when receiving bundle ${manifest.bundleId}`,
      counterparty: { name: names.get(fp)!, fingerprint: fp, role: 'introduced' },
      details: { publicKey: keys.get(fp)!, bundleId: manifest.bundleId },
    });
  }
  return number;
}

function makeReadOnly(dir: string): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) makeReadOnly(p);
    else fs.chmodSync(p, 0o444);
  }
}

function makeWritable(dir: string): void {
  fs.chmodSync(dir, 0o700);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) if (entry.isDirectory()) makeWritable(path.join(dir, entry.name));
}
