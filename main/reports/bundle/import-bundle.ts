import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Core } from '../../core/core';
import { AppError } from '../../core/errors';
import type { JobContext } from '../../jobs/job-service';
import type { BundleImportResult } from '../../../common/contract/reports';
import { CaseCreateInput } from '../../../common/contract/cases';
import type { ReportSources } from '../sources';
import { type BundleContents, type VerifyOptions, pickCaseInput, verifyBundle } from './verify';
import { BundleRefusal } from './safe-zip';

/** Where received bundles are unpacked: `<data folder>/received/<case number>/`. */
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
 * with nothing written; only then is it unpacked into a staging folder inside
 * `received/` (re-verifying every byte as it is written), moved into place,
 * and the case created read-only in one transaction together with the
 * sender's public keys and a `received` custody entry signed by the receiving
 * investigator. Any failure removes what was unpacked.
 */
export async function importBundle(
  core: Core,
  sources: ReportSources,
  file: string,
  options: Pick<VerifyOptions, 'limits'> = {},
  job?: JobContext,
): Promise<BundleImportResult> {
  const first = await verifyBundle(file, options);
  const { verification } = first;
  if (!verification.ok || !first.contents) {
    throw new AppError(
      `bundle-${verification.code ?? 'refused'}`,
      `The bundle was refused: ${verification.reason ?? 'verification failed'}`,
      'Nothing was written. Ask the sender to export the case again and confirm its SHA-256 with them by another channel.',
    );
  }
  const { manifest } = first.contents;
  const caseNumber = manifest.case.number;
  if (core.db.prepare('SELECT 1 FROM cases WHERE number = ?').get(caseNumber)) {
    throw new AppError(
      'case-exists',
      `A case numbered ${caseNumber} already exists in this data folder.`,
      'Import into another data folder (LARIAT_DATA_DIR), or open the existing case. Nothing was written.',
    );
  }
  const signer = sources.signer();
  const vault = sources.vault();
  if (!signer || !vault)
    throw new AppError(
      'no-identity',
      'Receiving a case needs your signature on its custody record, and no investigator identity exists here.',
      'Create your identity first, then import again. Nothing was written.',
    );
  const dest = receivedDir(core, caseNumber);
  if (fs.existsSync(dest))
    throw new AppError('received-exists', `${dest} already exists.`, 'Move it away, then import again. Nothing was written.');

  fs.mkdirSync(receivedDir(core), { recursive: true, mode: 0o700 });
  const staging = path.join(receivedDir(core), `.staging-${crypto.randomUUID()}`);
  fs.mkdirSync(staging, { mode: 0o700 });
  let moved = false;
  try {
    const bundleSha = await sha256File(file);
    const second = await verifyBundle(file, {
      ...options,
      extractTo: staging,
      ...(job ? { onProgress: (d: number, t: number) => job.progress(d, t) } : {}),
    });
    if (!second.verification.ok || !second.contents)
      throw new BundleRefusal(
        second.verification.code ?? 'refused',
        `The bundle changed while it was imported: ${second.verification.reason ?? ''}`,
      );
    makeReadOnly(staging);
    fs.renameSync(staging, dest);
    moved = true;
    core.db.transaction(() => createReceivedCase(core, sources, second.contents!, { dest, bundleSha, signerName: signer.name }))();
    sources.syncCustodyHead(caseNumber);
    core.events.emit('caseChanged', { caseNumber, what: 'case' });
    return { caseNumber, verification: second.verification, folder: dest };
  } catch (err) {
    fs.rmSync(moved ? dest : staging, { recursive: true, force: true });
    throw err;
  }
}

function createReceivedCase(
  core: Core,
  sources: ReportSources,
  contents: BundleContents,
  r: { dest: string; bundleSha: string; signerName: string },
): void {
  const { manifest, caseData, ledger, keys } = contents;
  const number = manifest.case.number;
  core.cases.create(CaseCreateInput.parse(pickCaseInput(caseData.case)), { readOnly: true, number });
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
    names.set(e.actor.fingerprint, e.actor.name);
    if (e.counterparty) names.set(e.counterparty.fingerprint, e.counterparty.name);
  }
  for (const [fp, pem] of keys) sources.registerPublicKey({ name: names.get(fp) ?? manifest.exporter.name, publicKeyPem: pem });
  const now = core.clock.now().toISOString();
  core.db
    .prepare(
      'INSERT INTO bundle_receipts (case_id, bundle_id, bundle_sha256, exporter, exporter_fp, exported_at, manifest, folder, received_by, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    )
    .run(
      caseId,
      manifest.bundleId,
      r.bundleSha,
      manifest.exporter.name,
      manifest.exporter.fingerprint,
      manifest.createdAt,
      JSON.stringify(manifest),
      r.dest,
      r.signerName,
      now,
    );
  core.activity.record({
    caseId,
    action: 'bundle.received',
    entity: 'bundle',
    entityId: manifest.bundleId,
    details: { sha256: r.bundleSha, exporter: manifest.exporter, files: manifest.files.length, folder: r.dest },
  });
  sources.vault()!.recordCustody(number, {
    evidenceId: null,
    action: 'received',
    purpose: `Case bundle ${manifest.bundleId} received from ${manifest.exporter.name}`,
    details: {
      bundleId: manifest.bundleId,
      bundleSha256: r.bundleSha,
      exporter: manifest.exporter,
      exportedAt: manifest.createdAt,
      senderLedger: { entries: manifest.ledger.entries, head: manifest.ledger.head },
      files: manifest.files
        .filter((f) => f.role === 'evidence')
        .map((f) => ({ path: f.path, sha256: f.sha256, size: f.size, evidenceId: f.evidenceId })),
      folder: r.dest,
    },
  });
}

function makeReadOnly(dir: string): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) makeReadOnly(p);
    else fs.chmodSync(p, 0o444);
  }
}
