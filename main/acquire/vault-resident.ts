import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { BatchCommit, EvidenceApi, StagedEvidence, VaultCopier } from '../custody/api';
import type { JobContext } from '../jobs/job-service';

/**
 * The evidence API as the timeline importer sees it when it imports files
 * that acquisition already put in the vault. The importer registers every
 * file it reads as evidence (stage, then commit); for a file that is the
 * vault copy of a recorded item, staging it again would copy and hash it a
 * second time only for the vault to find the same content and drop the copy.
 * Here the "staged copy" is a hard link to the vault file with the hashes
 * recorded at acquisition, so committing it resolves to that item (the vault
 * returns the existing item for the same content and removes the link).
 * Anything else is passed through unchanged.
 */
export class VaultResidentEvidence implements EvidenceApi, BatchCommit {
  private readonly known = new Map<string, StagedEvidence['hashes'] & { size: number }>();

  constructor(private readonly inner: EvidenceApi & BatchCommit) {}

  /** Declares a vault file and the hashes recorded for it, before it is imported. */
  remember(file: string, facts: { size: number; md5: string; sha1: string; sha256: string }): void {
    this.known.set(path.resolve(file), facts);
  }

  forget(file: string): void {
    this.known.delete(path.resolve(file));
  }

  async stageFile(caseNumber: string, filePath: string, job?: JobContext, copier?: VaultCopier): Promise<StagedEvidence> {
    const source = path.resolve(filePath);
    const facts = this.known.get(source);
    if (!facts) return this.inner.stageFile(caseNumber, filePath, job, copier);
    job?.throwIfCancelled();
    const tempPath = path.join(path.dirname(source), `.import-${crypto.randomUUID()}.part`);
    fs.linkSync(source, tempPath);
    return { source, tempPath, size: facts.size, hashes: { md5: facts.md5, sha1: facts.sha1, sha256: facts.sha256 } };
  }

  importFile: EvidenceApi['importFile'] = (...a) => this.inner.importFile(...a);
  commitStaged: EvidenceApi['commitStaged'] = (...a) => this.inner.commitStaged(...a);
  commitStagedBatch: BatchCommit['commitStagedBatch'] = (...a) => this.inner.commitStagedBatch(...a);
  custodyBatch<T>(caseNumber: string, fn: () => T): T {
    return this.inner.custodyBatch(caseNumber, fn);
  }
  discardStaged: EvidenceApi['discardStaged'] = (...a) => this.inner.discardStaged(...a);
  importBytes: EvidenceApi['importBytes'] = (...a) => this.inner.importBytes(...a);
  registerRemote: EvidenceApi['registerRemote'] = (...a) => this.inner.registerRemote(...a);
  recordCustody: EvidenceApi['recordCustody'] = (...a) => this.inner.recordCustody(...a);
}
