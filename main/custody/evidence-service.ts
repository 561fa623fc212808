import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Core } from '../core/core';
import { writeTransaction } from '../db/database';
import { AppError, notFound } from '../core/errors';
import type { JobContext } from '../jobs/job-service';
import { CUSTODY_ACTIONS, type CustodyAction, type EvidenceItem } from '../../common/contract/custody';
import type {
  AcquisitionInfo,
  BatchCommit,
  EvidenceApi,
  EvidenceKind,
  EvidenceSource,
  EvidenceSummary,
  ImportFileMeta,
  StagedEvidence,
  VaultCopier,
} from './api';
import type { IdentityService } from './identity-service';
import type { LedgerService } from './ledger-service';
import { EVIDENCE_SELECT, type EvidenceRow, toItem, toSummary } from './evidence-rows';
import { type FileHashes, hashBuffer } from './hash-pool';
import { copyIntoVault, finalizeCopy, finalizeGroup, safeFileName, sha256File } from './vault-copy';

interface NewItem {
  kind: EvidenceKind;
  description: string;
  source: EvidenceSource;
  acquisition: AcquisitionInfo;
  size: number | null;
  hashes: Partial<FileHashes>;
  vaultPath: string | null;
}

type NewMeta = Omit<NewItem, 'size' | 'hashes' | 'vaultPath'> & { action: 'imported' | 'acquired' };

/** What a staged copy is recorded as. */
function newMeta(staged: StagedEvidence, meta: ImportFileMeta): NewMeta {
  return {
    kind: meta.kind ?? 'file',
    description: meta.description?.trim() || path.basename(staged.source),
    source: { path: staged.source, ...meta.source },
    acquisition: meta.acquisition ?? {},
    action: meta.action ?? 'imported',
  };
}

/**
 * The evidence vault: a folder per case under the data folder holding
 * read-only copies, plus the evidence register. Every change writes a signed
 * custody entry in the same transaction as the register row.
 */
export class EvidenceService implements EvidenceApi, BatchCommit {
  private readonly byId;
  private readonly byContent;
  private readonly byCase;
  private received: ((caseNumber: string) => EvidenceItem[] | null) | null = null;

  constructor(
    private readonly core: Core,
    private readonly identity: IdentityService,
    private readonly ledger: LedgerService,
  ) {
    const { db } = core;
    this.byId = db.prepare<[number, number], EvidenceRow>(`${EVIDENCE_SELECT} WHERE e.case_id = ? AND e.id = ?`);
    this.byContent = db.prepare<[number, string], EvidenceRow>(
      `${EVIDENCE_SELECT} WHERE e.case_id = ? AND e.sha256 = ? AND e.vault_path IS NOT NULL`,
    );
    this.byCase = db.prepare<[number], EvidenceRow>(`${EVIDENCE_SELECT} WHERE e.case_id = ? ORDER BY e.id`);
  }

  /** Absolute folder of a case's vault. */
  caseDir(caseNumber: string): string {
    return path.join(this.core.paths.vaultDir, caseNumber);
  }

  /** Lets the reports feature list the items of received cases (the sender's register, kept with the bundle). */
  setReceivedItems(fn: (caseNumber: string) => EvidenceItem[] | null): void {
    this.received = fn;
  }

  list(caseNumber: string): EvidenceItem[] {
    const rows = this.rows(caseNumber);
    if (rows.length === 0 && this.received) return this.received(caseNumber) ?? [];
    return rows.map(toItem);
  }

  /** Register rows of a case, oldest first (verification and export). */
  rows(caseNumber: string): EvidenceRow[] {
    return this.byCase.all(this.core.cases.require(caseNumber).id);
  }

  get(caseNumber: string, evidenceId: number): EvidenceItem {
    const row = this.byId.get(this.core.cases.require(caseNumber).id, evidenceId);
    const received = row ? undefined : this.received?.(caseNumber)?.find((i) => i.id === evidenceId);
    return received ?? toItem(this.requireRow(caseNumber, evidenceId));
  }

  requireRow(caseNumber: string, evidenceId: number): EvidenceRow {
    const row = this.byId.get(this.core.cases.require(caseNumber).id, evidenceId);
    if (!row) throw notFound(`Evidence item ${evidenceId} of case`, caseNumber, 'List the evidence of the case to see its item numbers.');
    return row;
  }

  async importFile(caseNumber: string, filePath: string, meta: ImportFileMeta, job?: JobContext): Promise<EvidenceSummary> {
    return this.commitStaged(caseNumber, await this.stageFile(caseNumber, filePath, job), meta);
  }

  async stageFile(caseNumber: string, filePath: string, job?: JobContext, copier: VaultCopier = copyIntoVault): Promise<StagedEvidence> {
    this.core.cases.requireWritable(caseNumber);
    this.identity.requireCurrent();
    const source = path.resolve(filePath);
    const copy = await copier(source, this.caseDir(caseNumber), {
      ...(job ? { signal: job.signal, onProgress: (done: number, total: number) => job.progress(done, total) } : {}),
    });
    return { source, tempPath: copy.tempPath, size: copy.size, hashes: copy.hashes };
  }

  commitStaged(caseNumber: string, staged: StagedEvidence, meta: ImportFileMeta): EvidenceSummary {
    return this.finish(caseNumber, staged.tempPath, path.basename(staged.source), staged.size, staged.hashes, newMeta(staged, meta));
  }

  commitStagedBatch(
    caseNumber: string,
    items: readonly { staged: StagedEvidence; meta: ImportFileMeta }[],
    within?: (summaries: EvidenceSummary[], offset: number) => void,
  ): EvidenceSummary[] {
    const caseId = this.core.cases.require(caseNumber).id;
    if (items.length > 1 && !this.ledger.headOf(caseId)) {
      // A ledger's first entry creates its head file, which every later append is checked against: it commits alone.
      const first = this.commitStagedBatch(caseNumber, items.slice(0, 1), within && ((s) => within(s, 0)));
      return [...first, ...this.commitStagedBatch(caseNumber, items.slice(1), within && ((s) => within(s, 1)))];
    }
    const plans = items.map(({ staged, meta }) => {
      const fileName = path.basename(staged.source);
      const vaultPath = `${caseNumber}/${staged.hashes.sha256.slice(0, 16)}-${safeFileName(fileName)}`;
      return { existing: this.byContent.get(caseId, staged.hashes.sha256), meta: newMeta(staged, meta), staged, vaultPath, fileName };
    });
    const inCase = new Set(plans.flatMap((p) => (p.existing ? [p.staged.hashes.sha256] : [])));
    const placed = finalizeGroup(
      this.core.paths.vaultDir,
      plans.map((p) => ({ tempPath: p.staged.tempPath, sha256: p.staged.hashes.sha256, vaultPath: p.vaultPath })),
      (sha256) => inCase.has(sha256),
    );
    let out: EvidenceSummary[];
    try {
      // One check of the ledger's heads and one signed head for the whole batch, not one per entry.
      out = this.ledger.batch(caseNumber, () => {
        const summaries = plans.map((p) => {
          const held = p.existing ?? this.byContent.get(caseId, p.staged.hashes.sha256);
          if (held) {
            if (p.meta.action === 'acquired') this.recordReacquisition(caseNumber, held, p.fileName, p.meta);
            return toSummary(held, true);
          }
          const { size, hashes } = p.staged;
          const row = this.insertItem(caseNumber, { ...p.meta, size, hashes, vaultPath: p.vaultPath }, p.meta.action, {
            fileName: p.fileName,
            size,
          });
          return toSummary(row, false);
        });
        within?.(summaries, 0);
        return summaries;
      });
    } catch (err) {
      for (const f of placed) fs.rmSync(f, { force: true });
      throw err;
    }
    // The batch wrote the head file once it committed (when it appended anything).
    this.core.events.emit('caseChanged', { caseNumber, what: 'evidence' });
    return out;
  }

  custodyBatch<T>(caseNumber: string, fn: () => T): T {
    return this.ledger.batch(caseNumber, fn);
  }

  discardStaged(staged: StagedEvidence): void {
    fs.rmSync(staged.tempPath, { force: true });
  }

  async importBytes(
    caseNumber: string,
    fileName: string,
    bytes: Uint8Array,
    meta: Parameters<EvidenceApi['importBytes']>[3],
  ): Promise<EvidenceSummary> {
    this.core.cases.requireWritable(caseNumber);
    this.identity.requireCurrent();
    const dir = this.caseDir(caseNumber);
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const hashes = hashBuffer(bytes);
    const tempPath = path.join(dir, `.import-${process.pid}-${crypto.randomUUID()}.part`);
    try {
      const fd = fs.openSync(tempPath, 'wx', 0o600);
      try {
        fs.writeFileSync(fd, bytes);
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      if ((await sha256File(tempPath)) !== hashes.sha256) {
        throw new AppError(
          'copy-mismatch',
          `The vault copy of ${fileName} does not read back as written.`,
          'The disk holding the data folder may be failing; check it and retry.',
        );
      }
    } catch (err) {
      fs.rmSync(tempPath, { force: true });
      throw err;
    }
    return this.finish(caseNumber, tempPath, fileName, bytes.byteLength, hashes, {
      kind: meta.kind ?? 'file',
      description: meta.description,
      source: meta.source ?? {},
      acquisition: meta.acquisition ?? {},
      action: 'acquired',
    });
  }

  registerRemote(caseNumber: string, item: Parameters<EvidenceApi['registerRemote']>[1]): EvidenceSummary {
    this.core.cases.requireWritable(caseNumber);
    const row = this.core.db.transaction(() =>
      this.insertItem(caseNumber, { ...item, vaultPath: null }, 'acquired', { byReference: true }),
    )();
    this.ledger.syncHead(caseNumber);
    this.core.events.emit('caseChanged', { caseNumber, what: 'evidence' });
    return toSummary(row, false);
  }

  recordCustody(
    caseNumber: string,
    entry: { evidenceId: number | null; action: string; purpose?: string; details?: Record<string, unknown> },
  ): void {
    const action = entry.action as CustodyAction;
    if (!CUSTODY_ACTIONS.includes(action)) {
      throw new AppError(
        'invalid-custody-action',
        `"${entry.action}" is not a custody action.`,
        `Use one of: ${CUSTODY_ACTIONS.join(', ')}.`,
      );
    }
    if (action === 'transferred')
      throw new AppError(
        'use-transfer',
        'Transfers need the receiver to sign as well.',
        'Use the transfer dialog or the transferEvidence channel.',
      );
    const row = entry.evidenceId == null ? null : this.requireRow(caseNumber, entry.evidenceId);
    this.ledger.append(caseNumber, {
      evidence: row ? { id: row.id, sha256: row.sha256, description: row.description } : null,
      action,
      purpose: entry.purpose ?? '',
      details: entry.details ?? {},
    });
  }

  /** Moves a verified temp copy into place and records it, or discards it when the content is already held. */
  private finish(
    caseNumber: string,
    tempPath: string,
    fileName: string,
    size: number,
    hashes: FileHashes,
    meta: Omit<NewItem, 'size' | 'hashes' | 'vaultPath'> & { action: 'imported' | 'acquired' },
  ): EvidenceSummary {
    const caseId = this.core.cases.require(caseNumber).id;
    const existing = this.byContent.get(caseId, hashes.sha256);
    if (existing) {
      fs.rmSync(tempPath, { force: true });
      if (meta.action === 'acquired') this.recordReacquisition(caseNumber, existing, fileName, meta);
      return toSummary(existing, true);
    }
    const vaultPath = `${caseNumber}/${hashes.sha256.slice(0, 16)}-${safeFileName(fileName)}`;
    const finalPath = path.join(this.core.paths.vaultDir, vaultPath);
    finalizeCopy(tempPath, finalPath);
    let duplicate = false;
    let row: EvidenceRow;
    try {
      row = writeTransaction(this.core.db, () => {
        const again = this.byContent.get(caseId, hashes.sha256);
        if (again) {
          duplicate = true; // another process recorded the same content meanwhile; the file is identical
          return again;
        }
        return this.insertItem(caseNumber, { ...meta, size, hashes, vaultPath }, meta.action, { fileName, size });
      });
    } catch (err) {
      fs.rmSync(finalPath, { force: true });
      throw err;
    }
    if (duplicate && meta.action === 'acquired') this.recordReacquisition(caseNumber, row, fileName, meta);
    this.ledger.syncHead(caseNumber);
    this.core.events.emit('caseChanged', { caseNumber, what: 'evidence' });
    return toSummary(row, duplicate);
  }

  /**
   * The same bytes acquired again (another instance's identical console
   * output, an empty one): the item is shared, but this acquisition gets its
   * own signed `acquired` entry naming its source, never merged silently.
   */
  private recordReacquisition(
    caseNumber: string,
    row: EvidenceRow,
    fileName: string,
    meta: Omit<NewItem, 'size' | 'hashes' | 'vaultPath'>,
  ): void {
    this.ledger.append(caseNumber, {
      evidence: { id: row.id, sha256: row.sha256, description: row.description },
      action: 'acquired',
      purpose: 'acquired again: same content as this item, from the source named here',
      location: meta.acquisition.host ?? '',
      hashes: { sha256: row.sha256 ?? '' },
      details: {
        sameContentAs: row.id,
        fileName,
        kind: meta.kind,
        description: meta.description,
        source: meta.source,
        acquisition: meta.acquisition,
      },
    });
    this.core.events.emit('caseChanged', { caseNumber, what: 'evidence' });
  }

  private insertItem(caseNumber: string, item: NewItem, action: 'imported' | 'acquired', details: Record<string, unknown>): EvidenceRow {
    const { core } = this;
    const caseRow = core.cases.requireWritable(caseNumber);
    const me = this.identity.requireCurrent();
    const now = core.clock.now().toISOString();
    const acq = {
      at: item.acquisition.at ?? now,
      tool: item.acquisition.tool ?? `Lariat ${core.version}`,
      method:
        item.acquisition.method ??
        (item.vaultPath ? 'copied into the case vault; MD5, SHA-1, SHA-256 in one pass; copy re-read and SHA-256 confirmed' : ''),
      host: item.acquisition.host ?? (item.vaultPath ? os.hostname() : ''),
    };
    const info = core.db
      .prepare(
        `INSERT INTO evidence (case_id, kind, description, source_path, source_account, source_region, source_resource,
           acquired_by, acquired_by_fp, acquired_at, acquisition_tool, acquisition_method, acquisition_host,
           size, md5, sha1, sha256, vault_path, custodian, custodian_fp, status, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'held', ?, ?)`,
      )
      .run(
        caseRow.id,
        item.kind,
        item.description,
        item.source.path ?? null,
        item.source.account ?? null,
        item.source.region ?? null,
        item.source.resource ?? null,
        me.name,
        me.fingerprint,
        acq.at,
        acq.tool,
        acq.method,
        acq.host,
        item.size,
        item.hashes.md5 ?? null,
        item.hashes.sha1 ?? null,
        item.hashes.sha256 ?? null,
        item.vaultPath,
        me.name,
        me.fingerprint,
        now,
        now,
      );
    const id = Number(info.lastInsertRowid);
    const hashes = Object.fromEntries(Object.entries(item.hashes).filter(([, v]) => typeof v === 'string' && v)) as Partial<FileHashes>;
    this.ledger.append(caseNumber, {
      evidence: { id, sha256: item.hashes.sha256 ?? null, description: item.description },
      action,
      purpose: action === 'imported' ? 'import into the case vault' : 'acquisition',
      location: acq.host,
      hashes,
      details: { ...details, kind: item.kind, source: item.source, acquisition: acq, vaultPath: item.vaultPath },
    });
    core.activity.record({
      caseId: caseRow.id,
      action: `evidence.${action}`,
      entity: 'evidence',
      entityId: id,
      details: { description: item.description, sha256: item.hashes.sha256 ?? null },
    });
    return this.byId.get(caseRow.id, id)!;
  }
}
