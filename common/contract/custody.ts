import { z } from 'zod';
import { channel, type ChannelDef, type EventDef } from './define';
import { FileToken } from './files';
import { CaseNumber, Id, NoInput, ShortText, text } from './common';

/** An investigator: who signs custody entries. Several may live in one data folder; one is current. */
export interface IdentityInfo {
  name: string;
  role: string;
  organisation: string;
  contact: string;
  /** SHA-256 (hex) of the DER SubjectPublicKeyInfo of the Ed25519 public key. */
  fingerprint: string;
  publicKeyPem: string;
  /** Where the private key is: encrypted by the OS keychain, a 0600 key file, or nowhere here (a counter-party's public key). */
  keyStorage: 'safe-storage' | 'key-file' | 'public-only';
  current: boolean;
  demo: boolean;
  createdAt: string;
}

export const EVIDENCE_KINDS = ['file', 'memory-image', 'ebs-snapshot', 's3-object', 'log-export', 'finding', 'report'] as const;
export const EVIDENCE_STATUSES = ['held', 'transferred', 'released', 'disposed'] as const;
export const CUSTODY_ACTIONS = [
  'acquired',
  'imported',
  'hash-verified',
  'transferred',
  'accessed',
  'exported',
  'released',
  'disposed',
  'note',
  'received',
  'introduced',
  'resealed',
  'anchored',
] as const;
export type EvidenceKindT = (typeof EVIDENCE_KINDS)[number];
export type EvidenceStatus = (typeof EVIDENCE_STATUSES)[number];
export type CustodyAction = (typeof CUSTODY_ACTIONS)[number];

/** One evidence item as the Evidence tab and `lariat evidence list` show it. */
export interface EvidenceItem {
  id: number;
  caseNumber: string;
  kind: EvidenceKindT;
  description: string;
  source: { path: string | null; account: string | null; region: string | null; resource: string | null };
  acquisition: { by: string; byFingerprint: string | null; at: string; tool: string; method: string; host: string };
  size: number | null;
  md5: string | null;
  sha1: string | null;
  sha256: string | null;
  /** Path relative to the vault folder (`<case>/<file>`), null for evidence held by reference. */
  vaultPath: string | null;
  /** Received cases: the file as it came in the bundle, relative to the data folder (`received/<case>/evidence/...`). */
  receivedPath?: string | null;
  custodian: string;
  custodianFingerprint: string | null;
  status: EvidenceStatus;
  createdAt: string;
  updatedAt: string;
}

/** A person named in a custody entry. */
export interface CustodyParty {
  name: string;
  fingerprint: string;
}

/**
 * What the counter-party of an entry is. `received-by`: the receiver of a
 * transfer, who counter-signs the same hash. `introduced`: a colleague's key
 * the actor vouches for (it may sign later entries). `sent-by`: the sender of
 * a received bundle, whose fingerprint the receiving investigator confirmed.
 * Only `received-by` carries a counter-signature.
 */
export const COUNTERPARTY_ROLES = ['received-by', 'introduced', 'sent-by'] as const;
export type CounterpartyRole = (typeof COUNTERPARTY_ROLES)[number];

/**
 * The signed content of a custody entry. Its RFC 8785 canonical JSON is what
 * is hashed (SHA-256); the raw 32-byte digest is what is signed (Ed25519).
 */
export interface CustodyBody {
  /** 1: written before signed heads (still verifiable); 2: every entry since, each followed by a signed head. */
  v: 1 | 2;
  case: string;
  seq: number;
  evidence: { id: number; sha256: string | null; description: string } | null;
  action: CustodyAction;
  at: string;
  actor: CustodyParty;
  /** Transfers: the actor releases, the counter-party receives; both sign the same hash. Also the key an entry introduces. */
  counterparty: (CustodyParty & { role: CounterpartyRole }) | null;
  purpose: string;
  location: string;
  tool: string;
  hashes: { md5?: string; sha1?: string; sha256?: string } | null;
  details: Record<string, unknown>;
  prev: string;
}

export interface CustodyEntry extends CustodyBody {
  hash: string;
  /** Base64 Ed25519 signature of the actor over the raw hash bytes. */
  signature: string;
  counterSignature: string | null;
}

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

const Fingerprint = text().regex(/^[0-9a-f]{64}$/, 'a key fingerprint is 64 lowercase hex characters');
/** A checkpoint's text (two lines: canonical JSON, base64 signature), as printed in reports, exports and bundles. */
const Checkpoint = text().min(10).max(8192);
const S3Uri = text().regex(/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\/[\x21-\x7e]{1,1024}$/, 'an S3 URI looks like s3://bucket/key');
/** What a verifier is told from outside the data folder: trusted fingerprints, earlier checkpoints, anchors. */
export const VerifyAnchorsInput = {
  trust: z.array(Fingerprint).max(100).optional(),
  checkpoints: z.array(Checkpoint).max(100).optional(),
  /** RFC 3161 time-stamp responses (DER, base64) over checkpoints given in `checkpoints`. */
  timestamps: z
    .array(
      text()
        .regex(/^[A-Za-z0-9+/=\s]+$/)
        .max(200_000),
    )
    .max(20)
    .optional(),
  /** PEM certificates of the time-stamp authorities (or their CAs) the verifier trusts. */
  tsaCertificates: z.array(text().max(50_000)).max(10).optional(),
  /** Checkpoints published to S3 with Object Lock: fetched, their lock checked, then treated as checkpoints. */
  s3Anchors: z.array(S3Uri).max(20).optional(),
};
const Purpose = text().trim().max(500);
const Location = text().trim().max(200);
const EvidenceRef = { caseNumber: CaseNumber, evidenceId: Id };

export const IdentityCreateInput = z
  .object({
    name: ShortText,
    role: text().trim().max(200).default(''),
    organisation: text().trim().max(200).default(''),
    contact: text().trim().max(200).default(''),
  })
  .strict();
export type IdentityCreateInput = z.input<typeof IdentityCreateInput>;

export const custodyContract = {
  getIdentity: channel<IdentityInfo | null>()(NoInput, 'The current investigator identity, or null before first-run setup.'),
  listIdentities: channel<IdentityInfo[]>()(
    NoInput,
    'Every identity in this data folder, including counter-parties known by public key only.',
  ),
  createIdentity: channel<IdentityInfo>()(
    IdentityCreateInput,
    'Create an investigator identity with a new Ed25519 key and make it current.',
  ),
  useIdentity: channel<IdentityInfo>()(
    z.object({ fingerprint: Fingerprint }).strict(),
    'Make another identity with a private key here the current one.',
  ),
  addPublicKey: channel<IdentityInfo>()(
    IdentityCreateInput.extend({ publicKeyPem: text().max(10_000) }).strict(),
    'Register a counter-party by public key (they sign transfers on their own machine).',
  ),
  exportPublicKey: channel<{ fingerprint: string; pem: string }>()(
    z.object({ fingerprint: Fingerprint.optional() }).strict(),
    'PEM public key of an identity (default: current).',
  ),
  listEvidence: channel<EvidenceItem[]>()(z.object({ caseNumber: CaseNumber }).strict(), 'Evidence items of a case with their hashes.'),
  getEvidence: channel<{ item: EvidenceItem; entries: CustodyEntry[] }>()(
    z.object(EvidenceRef).strict(),
    'One evidence item and its custody entries.',
  ),
  importEvidence: channel<{ jobIds: string[] }>()(
    z
      .object({
        caseNumber: CaseNumber,
        files: z.array(FileToken).min(1).max(200),
        description: text().trim().max(2000).optional(),
        kind: z.enum(EVIDENCE_KINDS).optional(),
      })
      .strict(),
    'Import chosen or dropped files (tokens from chooseFiles or a drop) into the vault, one job each.',
  ),
  transferEvidence: channel<CustodyEntry>()(
    z
      .object({
        ...EvidenceRef,
        toFingerprint: Fingerprint,
        purpose: Purpose.min(1),
        location: Location.default(''),
        counterSignature: text().max(200).optional(),
        draft: text().max(50_000).optional(),
      })
      .strict(),
    'Transfer an item to another investigator; both sign (receiver key on this machine, or their pasted signature of a prepared draft).',
  ),
  prepareTransfer: channel<TransferDraft>()(
    z.object({ ...EvidenceRef, toFingerprint: Fingerprint, purpose: Purpose.min(1), location: Location.default('') }).strict(),
    'Prepare a transfer entry for a receiver whose key is elsewhere: returns the hash they must sign.',
  ),
  setEvidenceStatus: channel<EvidenceItem>()(
    z
      .object({ ...EvidenceRef, status: z.enum(['released', 'disposed']), purpose: Purpose.min(1), location: Location.default('') })
      .strict(),
    'Release, dispose of, or take back an item; writes the matching custody entry.',
  ),
  addCustodyNote: channel<CustodyEntry>()(
    z
      .object({
        caseNumber: CaseNumber,
        evidenceId: Id.nullable().default(null),
        note: text().trim().min(1).max(5000),
        location: Location.default(''),
      })
      .strict(),
    'Append a signed note to the ledger, for an item or the whole case.',
  ),
  listCustody: channel<CustodyEntry[]>()(
    z.object({ caseNumber: CaseNumber, evidenceId: Id.optional() }).strict(),
    'The custody ledger of a case (or of one item), oldest first.',
  ),
  verifyCustody: channel<VerificationResult>()(
    z.object({ caseNumber: CaseNumber, ...VerifyAnchorsInput }).strict(),
    'Recompute the chain, check every signature against the trust list (or the given fingerprints), the signed head and any earlier checkpoints or anchors, and re-hash every evidence file.',
  ),
  getCustodyCheckpoint: channel<CheckpointText>()(
    z.object({ caseNumber: CaseNumber }).strict(),
    'A signed checkpoint of the ledger as it is now, to keep outside the data folder and give to verify later.',
  ),
  listTrustedKeys: channel<TrustedKey[]>()(NoInput, 'The keys verifiers of this data folder trust by default.'),
  trustKey: channel<TrustedKey[]>()(
    z.object({ fingerprint: Fingerprint, name: ShortText.optional() }).strict(),
    "Pin a colleague's key fingerprint (confirmed by another channel) in the trust list.",
  ),
  untrustKey: channel<TrustedKey[]>()(z.object({ fingerprint: Fingerprint }).strict(), 'Remove a key from the trust list.'),
  introduceKey: channel<CustodyEntry>()(
    z.object({ caseNumber: CaseNumber, fingerprint: Fingerprint }).strict(),
    "Vouch for a colleague's registered key in a case's ledger (a signed `introduced` entry), so it may sign entries there.",
  ),
  resealCustody: channel<CustodyEntry>()(
    z.object({ caseNumber: CaseNumber, reason: text().trim().min(1).max(2000), checkpoint: Checkpoint.optional() }).strict(),
    'After a head problem was investigated: record (signed) that the ledger is accepted as it is, with a new signed head.',
  ),
  getAnchorSettings: channel<AnchorSettings>()(NoInput, 'External anchors configured for checkpoints (none by default).'),
  setAnchorSettings: channel<AnchorSettings>()(
    z
      .object({
        s3: z
          .object({
            bucket: text().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'an S3 bucket name'),
            prefix: text()
              .max(200)
              .regex(/^[\x21-\x7e]*$/)
              .default(''),
            region: text().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'an AWS region looks like eu-west-1'),
            retentionDays: z.number().int().min(1).max(36_500),
          })
          .strict()
          .nullable()
          .optional(),
        tsa: z
          .object({
            url: text()
              .url()
              .max(2000)
              .regex(/^https?:\/\//, 'an http(s) URL'),
          })
          .strict()
          .nullable()
          .optional(),
      })
      .strict(),
    'Configure (or turn off with null) the S3 Object Lock bucket and the RFC 3161 time-stamp authority.',
  ),
  anchorCustody: channel<AnchorRecord[]>()(
    z.object({ caseNumber: CaseNumber }).strict(),
    'Publish a signed checkpoint of the ledger to the configured anchors (S3 Object Lock, RFC 3161) and record it.',
  ),
  recordAnchor: channel<AnchorRecord[]>()(
    z.object({ caseNumber: CaseNumber, checkpoint: Checkpoint, where: text().trim().min(1).max(500) }).strict(),
    'Record (signed) where you placed a checkpoint outside Lariat (a ticket, an email to counsel); returns every anchor of the case.',
  ),
  listAnchors: channel<AnchorRecord[]>()(z.object({ caseNumber: CaseNumber }).strict(), 'Anchors published for a case, newest last.'),
  exportCustody: channel<CustodyExportResult>()(
    z.object({ caseNumber: CaseNumber, out: FileToken }).strict(),
    'Write the ledger (JSON Lines), public keys, SHA256SUMS and VERIFY.md to a new folder (a token from chooseSaveLocation).',
  ),
} satisfies Record<string, ChannelDef>;

/** Events of the custody feature (changes are announced with the shared `caseChanged` event). */
export const custodyEvents = {} satisfies Record<string, EventDef>;
