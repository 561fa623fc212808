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
 * The signed content of a custody entry. Its RFC 8785 canonical JSON is what
 * is hashed (SHA-256); the raw 32-byte digest is what is signed (Ed25519).
 */
export interface CustodyBody {
  v: 1;
  case: string;
  seq: number;
  evidence: { id: number; sha256: string | null; description: string } | null;
  action: CustodyAction;
  at: string;
  actor: CustodyParty;
  /** Transfers: the actor releases, the counter-party receives; both sign the same hash. */
  counterparty: (CustodyParty & { role: 'received-by' }) | null;
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
    | 'file-changed'
    | 'file-missing';
  /** Ledger entry concerned, if any. */
  seq: number | null;
  evidenceId: number | null;
  /** Vault-relative file path concerned, if any. */
  file: string | null;
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
  /** Files in the vault folder that no evidence record names (left by an interrupted import); reported, not deleted. */
  strayFiles: string[];
  verifiedAt: string;
}

export interface CustodyExportResult {
  dir: string;
  /** The case's vault folder, the argument `verify.sh` takes to re-hash the evidence files. */
  vaultDir: string;
  entries: number;
  files: number;
  keys: number;
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
    z.object({ caseNumber: CaseNumber }).strict(),
    'Recompute the chain, check every signature and re-hash every vault file.',
  ),
  exportCustody: channel<CustodyExportResult>()(
    z.object({ caseNumber: CaseNumber, out: FileToken }).strict(),
    'Write the ledger (JSON Lines), public keys, SHA256SUMS and VERIFY.md to a new folder (a token from chooseSaveLocation).',
  ),
} satisfies Record<string, ChannelDef>;

/** Events of the custody feature (changes are announced with the shared `caseChanged` event). */
export const custodyEvents = {} satisfies Record<string, EventDef>;
