import type { Db } from '../../db/database';
import type { Clock } from '../../core/clock';
import { notFound } from '../../core/errors';
import type { FindingSeverity, FindingSource, FindingSummary, InboxItem, TriageState } from '../../../common/contract/acquire';

/** A finding as the inbox keeps it: its identity, what a list shows, and the JSON AWS returned. */
export interface InboxFinding extends FindingSummary {
  awsUpdatedAt: string | null;
  raw: Record<string, unknown>;
}

interface Row {
  id: number;
  source: FindingSource;
  finding_id: string;
  account: string;
  region: string;
  type: string;
  title: string;
  severity_label: FindingSeverity;
  severity_score: number;
  resource: string | null;
  first_seen: string | null;
  last_seen: string | null;
  aws_updated_at: string | null;
  raw: string;
  state: TriageState;
  cases: string;
  note: string | null;
  pulled_at: string;
  triaged_by: string | null;
  triaged_at: string | null;
  triaged_version: string | null;
}

const RANK: Record<FindingSeverity, number> = { informational: 0, low: 1, medium: 2, high: 3, critical: 4 };

const toItem = (r: Row): InboxItem => ({
  id: r.id,
  source: r.source,
  findingId: r.finding_id,
  account: r.account,
  region: r.region,
  type: r.type,
  title: r.title,
  severityLabel: r.severity_label,
  severityScore: r.severity_score,
  resource: r.resource,
  firstSeen: r.first_seen,
  lastSeen: r.last_seen,
  updatedSinceTriage: (r.state === 'triaged' || r.state === 'dismissed') && r.triaged_version !== r.aws_updated_at,
  state: r.state,
  cases: JSON.parse(r.cases) as string[],
  note: r.note,
  pulledAt: r.pulled_at,
  triagedBy: r.triaged_by,
  triagedAt: r.triaged_at,
});

/**
 * The findings inbox: one row per finding (source, account, region, id),
 * refreshed by every pull while the investigator's triage state, note and
 * cases are kept. A finding that changed in AWS after it was triaged says so.
 */
export class InboxStore {
  constructor(private readonly deps: { db: Db; clock: Clock }) {}

  /** Inserts new findings and refreshes known ones; returns how many of each. */
  upsert(findings: InboxFinding[]): { new: number; updated: number } {
    const { db } = this.deps;
    const now = this.deps.clock.now().toISOString();
    const find = db.prepare<[string, string, string, string], { id: number; aws_updated_at: string | null }>(
      'SELECT id, aws_updated_at FROM finding_inbox WHERE source = ? AND account = ? AND region = ? AND finding_id = ?',
    );
    const insert = db.prepare(
      `INSERT INTO finding_inbox (source, finding_id, account, region, type, title, severity_label, severity_score, resource,
         first_seen, last_seen, aws_updated_at, raw, pulled_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const update = db.prepare(
      `UPDATE finding_inbox SET type = ?, title = ?, severity_label = ?, severity_score = ?, resource = ?, first_seen = ?, last_seen = ?,
         aws_updated_at = ?, raw = ?, pulled_at = ? WHERE id = ?`,
    );
    let added = 0;
    let updated = 0;
    db.transaction(() => {
      for (const f of findings) {
        const row = find.get(f.source, f.account, f.region, f.findingId);
        const raw = JSON.stringify(f.raw);
        if (!row) {
          insert.run(
            f.source,
            f.findingId,
            f.account,
            f.region,
            f.type,
            f.title,
            f.severityLabel,
            f.severityScore,
            f.resource,
            f.firstSeen,
            f.lastSeen,
            f.awsUpdatedAt,
            raw,
            now,
          );
          added++;
        } else {
          update.run(
            f.type,
            f.title,
            f.severityLabel,
            f.severityScore,
            f.resource,
            f.firstSeen,
            f.lastSeen,
            f.awsUpdatedAt,
            raw,
            now,
            row.id,
          );
          if (row.aws_updated_at !== f.awsUpdatedAt) updated++;
        }
      }
    })();
    return { new: added, updated };
  }

  list(filter: {
    states?: TriageState[];
    severity?: FindingSeverity;
    source?: FindingSource;
    search?: string;
    limit?: number;
  }): InboxItem[] {
    const rows = this.deps.db.prepare<[], Row>('SELECT * FROM finding_inbox ORDER BY severity_score DESC, last_seen DESC, id').all();
    const search = filter.search?.toLowerCase();
    return rows
      .filter(
        (r) =>
          (!filter.states?.length || filter.states.includes(r.state)) &&
          (!filter.severity || RANK[r.severity_label] >= RANK[filter.severity]) &&
          (!filter.source || r.source === filter.source) &&
          (!search || [r.title, r.type, r.resource ?? '', r.finding_id, r.account].some((v) => v.toLowerCase().includes(search))),
      )
      .slice(0, filter.limit ?? 1000)
      .map(toItem);
  }

  row(id: number): Row {
    const row = this.deps.db.prepare<[number], Row>('SELECT * FROM finding_inbox WHERE id = ?').get(id);
    if (!row) throw notFound('Inbox finding', id, 'List the inbox with: lariat findings inbox');
    return row;
  }

  get(id: number): InboxItem {
    return toItem(this.row(id));
  }

  raw(id: number): Record<string, unknown> {
    return JSON.parse(this.row(id).raw) as Record<string, unknown>;
  }

  triage(id: number, state: TriageState, actor: string, note?: string): InboxItem {
    const row = this.row(id);
    this.deps.db
      .prepare(
        'UPDATE finding_inbox SET state = ?, note = coalesce(?, note), triaged_by = ?, triaged_at = ?, triaged_version = ? WHERE id = ?',
      )
      .run(state, note ?? null, actor, this.deps.clock.now().toISOString(), row.aws_updated_at, id);
    return this.get(id);
  }

  /** Marks a finding as part of a case (kept in its list of cases). */
  addCase(id: number, caseNumber: string, actor: string): InboxItem {
    const row = this.row(id);
    const cases = [...new Set([...(JSON.parse(row.cases) as string[]), caseNumber])];
    this.deps.db
      .prepare("UPDATE finding_inbox SET state = 'in-case', cases = ?, triaged_by = ?, triaged_at = ?, triaged_version = ? WHERE id = ?")
      .run(JSON.stringify(cases), actor, this.deps.clock.now().toISOString(), row.aws_updated_at, id);
    return this.get(id);
  }
}
