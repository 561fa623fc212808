import * as z from 'zod';
import { channel, type ChannelDef, type EventDef } from './define';
import { FileToken } from './files';
import { CaseNumber, Id, NoInput, ShortText, text } from './common';
import { EVIDENCE_KINDS } from './custody-records';
import type { CustodyEntry, EvidenceItem, IdentityInfo } from './custody-records';
import type {
  AnchorRecord,
  AnchorSettings,
  CheckpointText,
  CustodyExportResult,
  TransferDraft,
  TrustedKey,
  VerificationResult,
} from './custody-verification';

/**
 * The custody channels and their inputs. The records (custody-records.ts) and what verification
 * reports (custody-verification.ts) live apart and are re-exported here, so importers keep one entry.
 */
export * from './custody-records';
export * from './custody-verification';

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
