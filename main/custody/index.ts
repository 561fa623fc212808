import type { Core } from '../core/core';
import type { BatchCommit, EvidenceApi } from './api';
import { IdentityService } from './identity-service';
import { LedgerService } from './ledger-service';
import { EvidenceService } from './evidence-service';
import { CustodyActions } from './custody-actions';
import { VerifyService } from './verify-service';
import { ExportService } from './export-service';
import { TrustStore } from './trust-store';
import { AnchorService } from './anchors/anchor-service';
import { ManualAnchors } from './anchors/manual-anchor';
import { sweepLeftovers } from './leftovers';

/** The evidence vault, investigator identity and custody ledger (issues 3 and 10). */
export interface CustodyFeature {
  /** What other features use: import files and bytes (one by one or committed in groups), register remote evidence, record custody entries. */
  evidence: EvidenceApi & BatchCommit;
  /** Investigator identities: `current()`, `create()`, `list()`, `exportPublicKey()`, `publicKey(fp)`. */
  identity: IdentityService;
  ledger: LedgerService;
  /** The full evidence service (list, get, vault folder) for this feature's handlers and CLI. */
  vault: EvidenceService;
  actions: CustodyActions;
  verify: VerifyService;
  exporter: ExportService;
  /** The keys verifiers of this data folder trust by default. */
  trust: TrustStore;
  /** Optional external anchors (S3 Object Lock, RFC 3161). */
  anchors: AnchorService;
  /** Checkpoints the investigator placed by hand (ticket, email), recorded in signed `anchored` entries. */
  manualAnchors: ManualAnchors;
}

export function createCustodyFeature(core: Core): CustodyFeature {
  const trust = new TrustStore(core);
  const identity = new IdentityService(core, trust);
  const ledger = new LedgerService(core, identity);
  const vault = new EvidenceService(core, identity, ledger);
  const actions = new CustodyActions(core, identity, ledger, vault, trust);
  const verify = new VerifyService(core, ledger, vault, identity, trust);
  const exporter = new ExportService(core, identity, ledger, vault);
  const anchors = new AnchorService(core, ledger);
  const manualAnchors = new ManualAnchors(core, ledger, identity);
  // Temp copies left by imports that were killed are never evidence: removed (and logged) at start.
  sweepLeftovers(core);
  return { evidence: vault, identity, ledger, vault, actions, verify, exporter, trust, anchors, manualAnchors };
}
