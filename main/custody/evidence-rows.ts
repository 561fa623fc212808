import type { EvidenceItem } from '../../common/contract/custody';
import type { EvidenceSummary } from './api';

export interface EvidenceRow {
  id: number;
  case_id: number;
  case_number: string;
  kind: EvidenceItem['kind'];
  description: string;
  source_path: string | null;
  source_account: string | null;
  source_region: string | null;
  source_resource: string | null;
  acquired_by: string;
  acquired_by_fp: string | null;
  acquired_at: string;
  acquisition_tool: string;
  acquisition_method: string;
  acquisition_host: string;
  size: number | null;
  md5: string | null;
  sha1: string | null;
  sha256: string | null;
  vault_path: string | null;
  custodian: string;
  custodian_fp: string | null;
  status: EvidenceItem['status'];
  created_at: string;
  updated_at: string;
}

export const EVIDENCE_SELECT = 'SELECT e.*, c.number AS case_number FROM evidence e JOIN cases c ON c.id = e.case_id';

export function toItem(r: EvidenceRow): EvidenceItem {
  return {
    id: r.id,
    caseNumber: r.case_number,
    kind: r.kind,
    description: r.description,
    source: { path: r.source_path, account: r.source_account, region: r.source_region, resource: r.source_resource },
    acquisition: {
      by: r.acquired_by,
      byFingerprint: r.acquired_by_fp,
      at: r.acquired_at,
      tool: r.acquisition_tool,
      method: r.acquisition_method,
      host: r.acquisition_host,
    },
    size: r.size,
    md5: r.md5,
    sha1: r.sha1,
    sha256: r.sha256,
    vaultPath: r.vault_path,
    custodian: r.custodian,
    custodianFingerprint: r.custodian_fp,
    status: r.status,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** The short form other features receive. `hashes.sha256` is '' for remote evidence registered without one. */
export function toSummary(r: EvidenceRow, duplicate: boolean): EvidenceSummary {
  return {
    id: r.id,
    caseNumber: r.case_number,
    kind: r.kind,
    description: r.description,
    size: r.size ?? 0,
    hashes: { ...(r.md5 ? { md5: r.md5 } : {}), ...(r.sha1 ? { sha1: r.sha1 } : {}), sha256: r.sha256 ?? '' },
    vaultPath: r.vault_path,
    duplicate,
  };
}
