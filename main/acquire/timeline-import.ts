import type { JobContext } from '../jobs/job-service';
import type { ImportReport } from '../../common/contract/timeline';
import { vaultFile, type AcquireDeps } from './deps';

/**
 * Imports evidence items already in the vault into the case timeline, each
 * file once. The importer is told the recorded hashes of each file
 * (VaultResidentEvidence), so it links its events to the acquired item
 * instead of copying the file into the vault a second time.
 */
export async function importEvidence(d: AcquireDeps, caseNumber: string, evidenceIds: number[], job?: JobContext): Promise<ImportReport> {
  const files: string[] = [];
  for (const id of [...new Set(evidenceIds)]) {
    const item = d.vault.get(caseNumber, id);
    if (!item.vaultPath || !item.sha256) continue;
    const file = vaultFile(d, item.vaultPath);
    if (item.md5 && item.sha1 && item.size !== null)
      d.resident.remember(file, { size: item.size, md5: item.md5, sha1: item.sha1, sha256: item.sha256 });
    files.push(file);
  }
  try {
    return await d.importer.importPaths(caseNumber, files, job);
  } finally {
    for (const f of files) d.resident.forget(f);
  }
}

/** Summary of an import kept in an acquisition's result. */
export function importSummary(r: ImportReport): Record<string, unknown> {
  return {
    files: r.files.length,
    imported: r.imported,
    flagged: r.flagged,
    rejected: r.rejected,
    duplicates: r.duplicates,
    reused: r.reused,
    duplicateFiles: r.files.filter((f) => f.duplicate).length,
    rejectedFiles: r.rejectedFiles,
    errors: r.files.flatMap((f) => f.errors).slice(0, 20),
  };
}

/** The logs a bucket acquisition brought in, into the timeline, once (a resumed run skips a finished import). */
export async function importAcquired(d: AcquireDeps, acquisitionId: number, caseNumber: string, job?: JobContext): Promise<void> {
  if (d.store.result<{ timeline?: unknown }>(acquisitionId).timeline) return;
  const ids = d.store
    .objects(acquisitionId, ['done'])
    .filter((o) => o.kind === 'log' || o.kind === 'flow-log')
    .map((o) => o.evidence_id!);
  const report = ids.length
    ? await importEvidence(d, caseNumber, ids, job)
    : { caseNumber, files: [], imported: 0, flagged: 0, rejected: 0, duplicates: 0, reused: 0, rejectedFiles: 0 };
  d.store.mergeResult(acquisitionId, { timeline: importSummary(report) });
}
