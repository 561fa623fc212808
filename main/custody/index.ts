import type { Core } from '../core/core';
import { AppError } from '../core/errors';
import type { EvidenceApi } from './api';

/** The evidence vault, investigator identity and custody ledger (issue 3). */
export interface CustodyFeature {
  evidence: EvidenceApi;
}

const notBuilt = (): never => {
  throw new AppError('not-built', 'The evidence vault is not built yet.', 'Update Lariat.');
};

export function createCustodyFeature(_core: Core): CustodyFeature {
  return { evidence: { importFile: notBuilt, importBytes: notBuilt, registerRemote: notBuilt, recordCustody: notBuilt } };
}
