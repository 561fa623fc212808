/**
 * What custody is made of: investigator identities, evidence items, and the signed ledger entries
 * about them. Main stores these, the renderer shows them, reports and bundles carry them.
 */

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
