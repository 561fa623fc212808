import path from 'node:path';
import type { Core } from '../core/core';
import type { BatchCommit, EvidenceApi } from '../custody/api';
import type { EvidenceItem } from '../../common/contract/custody';
import type { ImportReport, FindingRecord } from '../../common/contract/timeline';
import type { JobContext } from '../jobs/job-service';
import type { AwsSession } from '../aws/session';
import type { Sleep } from '../aws/clients';
import type { AcquisitionStore } from './store';
import type { InboxStore } from './findings/inbox-store';
import type { VaultResidentEvidence } from './vault-resident';

/**
 * What the acquisition feature uses, and nothing more: the core services,
 * the evidence vault (import and register, read an item back), the timeline
 * importer, the case findings (to bring a finding's assets and IOCs along),
 * the AWS session, and its own stores.
 */
export interface AcquireDeps {
  core: Core;
  /** The vault, with group commits for bucket acquisitions (one transaction per group of objects). */
  evidence: EvidenceApi & BatchCommit;
  /** Reads an evidence item (its vault path and recorded hashes) for offline validation. */
  vault: { get(caseNumber: string, evidenceId: number): EvidenceItem; list(caseNumber: string): EvidenceItem[] };
  /** The timeline import, for files already in the vault (see VaultResidentEvidence). */
  importer: { importPaths(caseNumber: string, paths: string[], job?: JobContext): Promise<ImportReport> };
  /** The evidence API that importer uses: told which vault files it is about to import. */
  resident: VaultResidentEvidence;
  findings: {
    list(caseNumber: string): FindingRecord[];
    addAssets(caseNumber: string, id: number, targetCase?: string): { assets: number; iocs: number };
  };
  /** Evidence is signed: the current investigator identity must exist before anything is acquired. */
  identity: { requireCurrent(): unknown };
  session: AwsSession;
  store: AcquisitionStore;
  inbox: InboxStore;
  sleep: Sleep;
  /** Milliseconds between Athena status polls. */
  pollMs: number;
}

/** Absolute path of an evidence item's vault copy. */
export function vaultFile(d: Pick<AcquireDeps, 'core'>, vaultPath: string): string {
  return path.join(d.core.paths.vaultDir, vaultPath);
}

/** Where an acquisition assembles files before they enter the vault (same file system, so moves are renames). */
export function stagingDir(d: Pick<AcquireDeps, 'core'>, caseNumber: string): string {
  return path.join(d.core.paths.dataDir, 'acquire-staging', caseNumber);
}
