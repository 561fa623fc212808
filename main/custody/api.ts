import type { JobContext } from '../jobs/job-service';

/**
 * What other features may ask of the evidence vault and custody ledger.
 * Implemented by the custody feature; consumed by the timeline importers
 * (imported log files are evidence), response actions (snapshots, memory
 * images, instance metadata) and reports (an exported report is evidence).
 */
export type EvidenceKind = 'file' | 'memory-image' | 'ebs-snapshot' | 's3-object' | 'log-export' | 'finding' | 'report';

export interface EvidenceHashes {
  md5?: string;
  sha1?: string;
  sha256: string;
}

export interface EvidenceSource {
  /** Local path the file came from, for local files. */
  path?: string;
  account?: string;
  region?: string;
  /** Resource id or ARN (instance id, snapshot id, s3://bucket/key). */
  resource?: string;
}

export interface AcquisitionInfo {
  /** Tool and version that acquired it, e.g. "Lariat 0.1.0" or "AVML 0.14.0". */
  tool?: string;
  method?: string;
  /** Host the evidence was acquired from (instance id, hostname). */
  host?: string;
  /** When acquired, if not now (ISO-8601 UTC). */
  at?: string;
}

export interface EvidenceSummary {
  id: number;
  caseNumber: string;
  kind: EvidenceKind;
  description: string;
  size: number;
  hashes: EvidenceHashes;
  /** Path inside the vault for local items; null for evidence held by reference. */
  vaultPath: string | null;
  /** True when the same content (same SHA-256) was already in the case and nothing new was recorded. */
  duplicate: boolean;
}

export interface ImportFileMeta {
  kind?: EvidenceKind;
  description?: string;
  source?: EvidenceSource;
  acquisition?: AcquisitionInfo;
  action?: 'imported' | 'acquired';
}

/** What copies a file into a vault folder, hashing it: `copyIntoVault`, on this thread or another (VaultStager). */
export type VaultCopier = (
  source: string,
  dir: string,
  options?: { signal?: AbortSignal },
) => Promise<{ tempPath: string; size: number; hashes: StagedEvidence['hashes'] }>;

/** A file copied into the vault and hashed, not yet recorded (see `EvidenceApi.stageFile`). */
export interface StagedEvidence {
  source: string;
  tempPath: string;
  size: number;
  hashes: { md5: string; sha1: string; sha256: string };
}

export interface EvidenceApi {
  /**
   * Streams a local file into the case vault (hash, copy, verify copy,
   * read-only) and records it with an `imported`/`acquired` custody entry.
   * Returns the existing item with `duplicate: true` if the same content is
   * already held in the case. Cancelling via `job` leaves nothing behind.
   */
  importFile(caseNumber: string, filePath: string, meta: ImportFileMeta, job?: JobContext): Promise<EvidenceSummary>;
  /**
   * The two halves of importFile, for importers that bring in many files:
   * `stageFile` copies and hashes a file into the vault (disk-bound; several
   * can run at once), `commitStaged` records the item and its custody entry,
   * in whatever order the caller wants evidence numbered. A staged copy that
   * is not committed must be discarded.
   */
  stageFile(caseNumber: string, filePath: string, job?: JobContext, copier?: VaultCopier): Promise<StagedEvidence>;
  commitStaged(caseNumber: string, staged: StagedEvidence, meta: ImportFileMeta): EvidenceSummary;
  discardStaged(staged: StagedEvidence): void;
  /** Like importFile, for bytes produced by Lariat itself (DescribeInstances JSON, console output, screenshots). */
  importBytes(
    caseNumber: string,
    fileName: string,
    bytes: Uint8Array,
    meta: { kind?: EvidenceKind; description: string; source?: EvidenceSource; acquisition?: AcquisitionInfo },
  ): Promise<EvidenceSummary>;
  /** Registers evidence held elsewhere (EBS snapshot, S3 object) with the hashes reported at acquisition. */
  registerRemote(
    caseNumber: string,
    item: {
      kind: EvidenceKind;
      description: string;
      source: EvidenceSource;
      acquisition: AcquisitionInfo;
      size: number | null;
      hashes: Partial<EvidenceHashes>;
    },
  ): EvidenceSummary;
  /** Appends a custody entry (e.g. `exported`, `accessed`, `note`) for an item or for the case as a whole. */
  recordCustody(
    caseNumber: string,
    entry: { evidenceId: number | null; action: string; purpose?: string; details?: Record<string, unknown> },
  ): void;
}

/** Group commits of staged copies (EvidenceService), for acquisitions of many small files. */
export interface BatchCommit {
  /**
   * Commits several staged copies at once: each is moved into place, the
   * folder synced once, then every item and its custody entry recorded in ONE
   * transaction, together with what `within` records (run inside it, with the
   * summaries of `items` from `offset` on), and the head file synced after. A
   * ledger's very first entry is committed alone first (it creates the head file). For acquisitions of many
   * small files, where one commit (and fsync) per file is most of the cost.
   * All or nothing per transaction: on a failure nothing of it is recorded.
   */
  commitStagedBatch(
    caseNumber: string,
    items: readonly { staged: StagedEvidence; meta: ImportFileMeta }[],
    within?: (summaries: EvidenceSummary[], offset: number) => void,
  ): EvidenceSummary[];
  /**
   * Runs `fn`, which records many custody entries for one case, in one transaction with the ledger's heads
   * checked once and one signed head at the end (see LedgerService.batch): an import's per-file notes.
   */
  custodyBatch<T>(caseNumber: string, fn: () => T): T;
}
