import path from 'node:path';
import type { BatchCommit, EvidenceApi, EvidenceSummary, ImportFileMeta, StagedEvidence } from '../custody/api';
import type { JobContext } from '../jobs/job-service';
import type { ImportFileReport } from '../../common/contract/timeline';
import { outcome } from './import-log';
import { sniffKind } from './import-support';

/** A file of an import as evidence: its item and the vault copy its events point into. */
export interface Evidence {
  evidenceId: number;
  sha256: string;
  /** The verified copy the events' raw references point into (relative to the vault folder). */
  vaultPath: string | null;
}

const toEvidence = (ev: EvidenceSummary): Evidence => ({ evidenceId: ev.id, sha256: ev.hashes.sha256, vaultPath: ev.vaultPath });

/**
 * The evidence side of an import: each file is recorded (vault copy, custody
 * entry) with a description of what is known then, and once the import is
 * done with it, a signed custody note says what the import made of it.
 */
export class ImportEvidence {
  constructor(
    private readonly evidence: EvidenceApi & BatchCommit,
    private readonly version: string,
  ) {}

  async register(caseNumber: string, file: string, job?: JobContext): Promise<Evidence> {
    return this.commit(caseNumber, await this.evidence.stageFile(caseNumber, file, job));
  }

  /** Records a file copied into the vault as an evidence item, with its custody entry. */
  commit(caseNumber: string, copy: StagedEvidence): Evidence {
    return toEvidence(this.evidence.commitStaged(caseNumber, copy, this.meta(copy)));
  }

  /** Records several copies, in their order, in one transaction: one item and custody entry each. */
  commitMany(caseNumber: string, copies: readonly StagedEvidence[]): Evidence[] {
    return this.evidence
      .commitStagedBatch(
        caseNumber,
        copies.map((copy) => ({ staged: copy, meta: this.meta(copy) })),
      )
      .map(toEvidence);
  }

  private meta(copy: StagedEvidence): ImportFileMeta {
    const file = copy.source;
    return {
      kind: sniffKind(file),
      // What is known when it is recorded; what the import made of it follows as a custody note.
      description: `Log file given to the timeline import: ${path.basename(file)}`,
      source: { path: file },
      acquisition: { tool: `Lariat ${this.version}`, method: 'timeline import' },
      action: 'imported',
    };
  }

  /** Runs `fn` (which writes files' outcomes) with the custody ledger's heads checked once and signed once. */
  batch<T>(caseNumber: string, fn: () => T): T {
    return this.evidence.custodyBatch(caseNumber, fn);
  }

  /** The file's evidence item says what the import did with it: a signed custody note with the outcome. */
  outcome(caseNumber: string, r: ImportFileReport): void {
    if (r.duplicate || r.evidenceId === null) return;
    this.evidence.recordCustody(caseNumber, {
      evidenceId: r.evidenceId,
      action: 'note',
      purpose: outcome(r),
      details: {
        timelineImport: { format: r.format, imported: r.imported, rejected: r.rejected, duplicates: r.duplicates, truncated: r.truncated },
      },
    });
  }
}
