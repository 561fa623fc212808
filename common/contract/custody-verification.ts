import type { CustodyParty } from './custody-records';

/**
 * What verification, checkpoints, external anchors, trusted keys, exports and transfer drafts report:
 * the results a verifier (in the app, the CLI or a bundle's verify.sh) hands back.
 */

export interface VerificationProblem {
  kind:
    | 'hash-mismatch'
    | 'signature-invalid'
    | 'unknown-key'
    | 'sequence-gap'
    | 'chain-broken'
    | 'row-altered'
    | 'ledger-truncated'
    | 'ledger-forked'
    | 'head-missing'
    | 'head-invalid'
    | 'untrusted-signer'
    | 'not-anchored'
    | 'checkpoint-invalid'
    | 'anchor-invalid'
    | 'file-changed'
    | 'file-missing'
    | 'received-changed';
  /** Ledger entry concerned, if any. */
  seq: number | null;
  evidenceId: number | null;
  /** Vault-relative file path concerned, if any. */
  file: string | null;
  message: string;
}

/** One key that signed (or was introduced into) a custody record, and why a verifier accepts it or not. */
export interface SignerReport {
  name: string;
  fingerprint: string;
  /** `trusted`: a trust anchor; `introduced`: vouched for by an accepted key in a signed entry; `untrusted`: neither. */
  status: 'trusted' | 'introduced' | 'untrusted';
  /** Why, in words: "trust list", "--trust", "introduced by Ada Analyst in entry 4"... */
  via: string;
  /** Entries this key signed (as actor or receiver). */
  entries: number;
}

/** A signed statement "the ledger of <case> had <seq> entries ending with <hash> at <at>", by `signer`. */
export interface CheckpointInfo {
  case: string;
  seq: number;
  hash: string;
  at: string;
  signer: CustodyParty;
}

/** A checkpoint as text: line 1 its canonical JSON body, line 2 the base64 Ed25519 signature. */
export interface CheckpointText extends CheckpointInfo {
  text: string;
}

/** What a verifier concluded about one checkpoint it was given (or found). */
export interface CheckpointReport extends CheckpointInfo {
  ok: boolean;
  /** "extended", or the problem in words. */
  message: string;
}

/** What a verifier concluded about an external anchor (S3 Object Lock object, RFC 3161 timestamp). */
export interface AnchorReport {
  kind: 's3' | 'tsa';
  ok: boolean;
  message: string;
}

export interface VerificationResult {
  caseNumber: string;
  intact: boolean;
  entries: number;
  files: number;
  /** "intact: N entries, M files" or the first problem in plain words. */
  summary: string;
  problems: VerificationProblem[];
  /** Every key of the record, by name and fingerprint, and whether it is trusted. */
  signers: SignerReport[];
  /** Where the trust anchors came from ("--trust", "trust list of this data folder") and whether any signer is one. */
  trust: { source: string; anchored: boolean; fingerprints: string[] };
  /** The signed head of the ledger as found, if valid. */
  head: CheckpointInfo | null;
  checkpoints: CheckpointReport[];
  anchors: AnchorReport[];
  /** Things a reader must notice that do not break the record (two keys with one name...). */
  warnings: string[];
  /** For a received case: the sender's record, re-verified from the kept bundle files. */
  received: { senderCaseNumber: string; entries: number; files: number; exporter: CustodyParty } | null;
  /** Files in the vault folder that no evidence record names (left by an interrupted import); reported, not deleted. */
  strayFiles: string[];
  verifiedAt: string;
}

/** A key the verifiers of this data folder trust by default (Settings, `lariat custody trust`). */
export interface TrustedKey {
  fingerprint: string;
  name: string;
  /** `own`: an identity created here; `pinned`: a colleague's fingerprint confirmed by another channel. */
  source: 'own' | 'pinned';
  addedAt: string;
}

/** Optional external anchors: off unless configured; Lariat works fully offline without them. */
export interface AnchorSettings {
  /** An S3 bucket with Object Lock (compliance mode), ideally in a separate forensic account. */
  s3: { bucket: string; prefix: string; region: string; retentionDays: number } | null;
  /** An RFC 3161 time-stamp authority reached over HTTP(S). */
  tsa: { url: string } | null;
}

/**
 * One anchor of a checkpoint: published to S3 Object Lock or an RFC 3161
 * authority, or `manual`: placed by the investigator where Lariat cannot
 * write (a ticket, an email) and recorded in a signed `anchored` entry.
 */
export interface AnchorRecord {
  kind: 's3' | 'tsa' | 'manual';
  seq: number;
  hash: string;
  /** s3://bucket/key (with version), the TSA URL, or where the investigator placed it ("ticket INC-4411"). */
  location: string;
  /** What the anchor says: retain-until date, or the TSA's time. */
  detail: string;
  /** The checkpoint text anchored. */
  checkpoint: string;
  /** RFC 3161 TimeStampResp (DER, base64) for `tsa`. */
  token: string | null;
  createdAt: string;
}

export interface CustodyExportResult {
  dir: string;
  /** The case's vault folder, the argument `verify.sh` takes to re-hash the evidence files. */
  vaultDir: string;
  entries: number;
  files: number;
  keys: number;
  /** The signed checkpoint written as checkpoint.txt: what this export shows the ledger to be. */
  checkpoint: CheckpointInfo;
  /** Fingerprints of the signers, to pass to `verify.sh --trust` once confirmed with their owners. */
  signers: CustodyParty[];
}

/**
 * A transfer waiting for the receiver's detached signature over `hash`. The
 * draft is the entry's exact canonical body; it is passed back unchanged
 * with the signature, and refused if the ledger moved on meanwhile.
 */
export interface TransferDraft {
  hash: string;
  body: string;
  /** The command the receiver runs to sign, with `body` saved byte for byte as entry.json. */
  signCommand: string;
}
