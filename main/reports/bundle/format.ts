import * as z from 'zod';

/**
 * The `.lariat` case bundle, format version 1: a zip holding
 *
 *   manifest.json   what is in the bundle (every file with size and SHA-256), who exported it, when
 *   manifest.sig    Ed25519 signature (64 raw bytes) of the exporter over the exact bytes of manifest.json
 *   case.json       the case data (case, tasks, notes, assets, activity, evidence register, timeline, findings, IOCs, response)
 *   ledger.jsonl    the custody ledger, one signed entry per line
 *   keys/<fp>.pem   public keys of everyone who signed (file name = SHA-256 of the DER SPKI)
 *   report.html     the case report at export time
 *   evidence/...    the evidence files, when exported with evidence
 *   checkpoint.txt  (format 2) the exporter's signed checkpoint of the ledger's last entry
 *   SHA256SUMS      the same hashes as the manifest, for `sha256sum -c`
 *
 * Format 2 (issue 10): the `exported` entries are appended only after the
 * bundle is complete on disk, so the bundle no longer holds them; instead
 * checkpoint.txt says where its ledger ends, signed by the exporter, whose
 * key must be accepted by the ledger (a trust anchor or introduced by one).
 * Format 1 bundles are still verified (with their `exported` entry).
 */
export const BUNDLE_FORMAT = 'lariat-case-bundle';
export const BUNDLE_FORMAT_VERSION = 2;
export const CHECKPOINT_FILE = 'checkpoint.txt';
export const MANIFEST = 'manifest.json';
export const SIGNATURE = 'manifest.sig';

/** Safe relative names only: ASCII letters, digits, `._-`, `/` between segments, no `.`/`..` segments. */
export const SAFE_NAME = /^(?!.*(^|\/)\.{1,2}(\/|$))[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/);
const Fingerprint = Sha256;

export const ManifestFile = z
  .object({
    path: z.string().max(255).regex(SAFE_NAME),
    size: z.number().int().min(0),
    sha256: Sha256,
    role: z.enum(['case', 'ledger', 'key', 'report', 'evidence', 'checksums', 'checkpoint']),
    evidenceId: z.number().int().positive().optional(),
  })
  .strict();

export const Manifest = z
  .object({
    format: z.literal(BUNDLE_FORMAT),
    formatVersion: z.number().int(),
    bundleId: z.string().uuid(),
    createdAt: z.string().datetime(),
    lariatVersion: z.string().max(50),
    case: z.object({ number: z.string().max(40), title: z.string().max(300), tlp: z.string().max(20) }).strict(),
    exporter: z.object({ name: z.string().max(200), fingerprint: Fingerprint, publicKey: z.string().regex(SAFE_NAME) }).strict(),
    ledger: z.object({ entries: z.number().int().min(0), head: Sha256.nullable() }).strict(),
    withEvidence: z.boolean(),
    files: z.array(ManifestFile).max(100_000),
  })
  .strict();
export type Manifest = z.infer<typeof Manifest>;
export type ManifestFile = z.infer<typeof ManifestFile>;

/** Limits applied to every archive before and while reading it. */
export interface ZipLimits {
  /** Most entries an archive may hold. */
  maxEntries: number;
  /** Most bytes all entries may inflate to, counted while streaming. */
  maxTotalBytes: number;
  /** Largest inflated/compressed ratio for an entry bigger than `ratioFloor`. */
  maxRatio: number;
  ratioFloor: number;
  /** Largest manifest.json accepted. */
  maxManifestBytes: number;
  /**
   * Most bytes held in memory at once while verifying, whatever the entries
   * claim: the manifest plus the files that are parsed (case data, ledger,
   * keys, checkpoint). Evidence and the report are only streamed.
   */
  maxInMemoryBytes: number;
}

/** A public key PEM is about 113 bytes; a checkpoint about 400. */
export const MAX_KEY_BYTES = 16 * 1024;
export const MAX_CHECKPOINT_BYTES = 8 * 1024;

export const DEFAULT_LIMITS: ZipLimits = {
  maxEntries: 20_000,
  maxTotalBytes: 256 * 1024 ** 3,
  maxRatio: 200,
  ratioFloor: 1024 * 1024,
  maxManifestBytes: 16 * 1024 * 1024,
  maxInMemoryBytes: 128 * 1024 * 1024,
};

/** File name of an evidence item inside the bundle: `evidence/<id>-<safe name>`. */
export function evidenceEntryName(id: number, vaultPath: string): string {
  const base = vaultPath.split('/').pop() ?? 'file';
  const safe =
    base
      .replace(/[^A-Za-z0-9._-]+/g, '_')
      .replace(/^\.+/, '')
      .slice(0, 150) || 'file';
  return `evidence/${id}-${safe}`;
}
