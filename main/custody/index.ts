import type { Core } from '../core/core';
import type { EvidenceApi } from './api';
import { IdentityService } from './identity-service';
import { LedgerService } from './ledger-service';
import { EvidenceService } from './evidence-service';
import { CustodyActions } from './custody-actions';
import { VerifyService } from './verify-service';
import { ExportService } from './export-service';

/** The evidence vault, investigator identity and custody ledger (issue 3). */
export interface CustodyFeature {
  /** What other features use: import files and bytes, register remote evidence, record custody entries. */
  evidence: EvidenceApi;
  /** Investigator identities: `current()`, `create()`, `list()`, `exportPublicKey()`. */
  identity: IdentityService;
  ledger: LedgerService;
  /** The full evidence service (list, get, vault folder) for this feature's handlers and CLI. */
  vault: EvidenceService;
  actions: CustodyActions;
  verify: VerifyService;
  exporter: ExportService;
}

export function createCustodyFeature(core: Core): CustodyFeature {
  const identity = new IdentityService(core);
  const ledger = new LedgerService(core, identity);
  const vault = new EvidenceService(core, identity, ledger);
  const actions = new CustodyActions(core, identity, ledger, vault);
  const verify = new VerifyService(core, ledger, vault);
  const exporter = new ExportService(core, identity, ledger, vault);
  return { evidence: vault, identity, ledger, vault, actions, verify, exporter };
}
