import type { CaseRecord } from '../../common/contract/cases';

/** A `cases` row as SQLite returns it. */
export interface CaseRow {
  id: number;
  number: string;
  title: string;
  summary: string;
  severity: CaseRecord['severity'];
  status: CaseRecord['status'];
  tlp: CaseRecord['tlp'];
  lead: string;
  accounts: string;
  regions: string;
  tags: string;
  read_only: number;
  demo: number;
  opened_at: string;
  closed_at: string | null;
  updated_at: string;
}

export function toCaseRecord(r: CaseRow): CaseRecord {
  return {
    number: r.number,
    title: r.title,
    summary: r.summary,
    severity: r.severity,
    status: r.status,
    tlp: r.tlp,
    lead: r.lead,
    accounts: JSON.parse(r.accounts) as string[],
    regions: JSON.parse(r.regions) as string[],
    tags: JSON.parse(r.tags) as string[],
    readOnly: r.read_only === 1,
    demo: r.demo === 1,
    openedAt: r.opened_at,
    closedAt: r.closed_at,
    updatedAt: r.updated_at,
  };
}

/** Keys of CaseRecord a patch may set, mapped to their column. */
export const patchColumns = {
  title: 'title',
  summary: 'summary',
  severity: 'severity',
  status: 'status',
  tlp: 'tlp',
  lead: 'lead',
  accounts: 'accounts',
  regions: 'regions',
  tags: 'tags',
} as const;
