import type { Db } from '../db/database';
import type { Clock } from '../core/clock';
import type { EventBus } from '../core/events';
import type { ActivityService } from '../activity/activity-service';
import type { CaseService } from '../cases/case-service';
import { notFound } from '../core/errors';
import type { AssetKind, AssetRecord } from '../../common/contract/assets';

interface AssetRow {
  id: number;
  case_number: string;
  kind: AssetKind;
  identifier: string;
  label: string;
  account: string | null;
  region: string | null;
  details: string;
  created_at: string;
  updated_at: string;
}

const toAsset = (r: AssetRow): AssetRecord => ({
  id: r.id,
  caseNumber: r.case_number,
  kind: r.kind,
  identifier: r.identifier,
  label: r.label,
  account: r.account,
  region: r.region,
  details: JSON.parse(r.details) as Record<string, unknown>,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const SELECT = 'SELECT a.*, c.number AS case_number FROM assets a JOIN cases c ON c.id = a.case_id';

export interface AssetUpsert {
  caseNumber: string;
  kind: AssetKind;
  identifier: string;
  label?: string;
  account?: string | null;
  region?: string | null;
  /** Merged (shallowly) into the stored details. */
  details?: Record<string, unknown>;
  /**
   * Facts kept only where the stored details say nothing yet (e.g. what a finding reported about an
   * instance): they never overwrite what a live description from AWS recorded.
   */
  fillDetails?: Record<string, unknown>;
}

/**
 * Assets of a case. Shared by discovery (instances added from AWS), findings
 * (resources named in a finding) and the investigator; the same asset added
 * twice is merged, not duplicated.
 */
export class AssetService {
  constructor(private readonly deps: { db: Db; clock: Clock; cases: CaseService; activity: ActivityService; events: EventBus }) {}

  list(caseNumber: string, kind?: AssetKind): AssetRecord[] {
    const c = this.deps.cases.require(caseNumber);
    const rows = kind
      ? this.deps.db
          .prepare<[number, string], AssetRow>(`${SELECT} WHERE a.case_id = ? AND a.kind = ? ORDER BY a.kind, a.identifier`)
          .all(c.id, kind)
      : this.deps.db.prepare<[number], AssetRow>(`${SELECT} WHERE a.case_id = ? ORDER BY a.kind, a.identifier`).all(c.id);
    return rows.map(toAsset);
  }

  get(caseNumber: string, id: number): AssetRecord {
    const row = this.deps.db.prepare<[number, string], AssetRow>(`${SELECT} WHERE a.id = ? AND c.number = ?`).get(id, caseNumber);
    if (!row) throw notFound('Asset', id, `Asset ${id} is not part of case ${caseNumber}.`);
    return toAsset(row);
  }

  find(caseNumber: string, kind: AssetKind, identifier: string): AssetRecord | null {
    const row = this.deps.db
      .prepare<[string, string, string], AssetRow>(`${SELECT} WHERE c.number = ? AND a.kind = ? AND a.identifier = ?`)
      .get(caseNumber, kind, identifier);
    return row ? toAsset(row) : null;
  }

  /** Adds the asset or merges new facts into the existing one; logs either way. */
  upsert(input: AssetUpsert): AssetRecord {
    const asset = this.deps.db.transaction(() => {
      const c = this.deps.cases.requireWritable(input.caseNumber);
      const now = this.deps.clock.now().toISOString();
      const existing = this.find(input.caseNumber, input.kind, input.identifier);
      if (existing) {
        const details = { ...(input.fillDetails ?? {}), ...existing.details, ...(input.details ?? {}) };
        this.deps.db
          .prepare('UPDATE assets SET label = ?, account = ?, region = ?, details = ?, updated_at = ? WHERE id = ?')
          .run(
            input.label || existing.label,
            input.account ?? existing.account,
            input.region ?? existing.region,
            JSON.stringify(details),
            now,
            existing.id,
          );
        this.deps.activity.record({
          caseId: c.id,
          action: 'asset.updated',
          entity: 'asset',
          entityId: existing.id,
          details: { kind: input.kind, identifier: input.identifier },
        });
        return this.get(input.caseNumber, existing.id);
      }
      const { lastInsertRowid } = this.deps.db
        .prepare(
          'INSERT INTO assets (case_id, kind, identifier, label, account, region, details, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
        )
        .run(
          c.id,
          input.kind,
          input.identifier,
          input.label ?? '',
          input.account ?? null,
          input.region ?? null,
          JSON.stringify({ ...(input.fillDetails ?? {}), ...(input.details ?? {}) }),
          now,
          now,
        );
      this.deps.activity.record({
        caseId: c.id,
        action: 'asset.added',
        entity: 'asset',
        entityId: Number(lastInsertRowid),
        details: { kind: input.kind, identifier: input.identifier },
      });
      return this.get(input.caseNumber, Number(lastInsertRowid));
    })();
    this.deps.events.emit('caseChanged', { caseNumber: input.caseNumber, what: 'assets' });
    return asset;
  }
}
