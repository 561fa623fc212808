import type { Db } from '../db/database';
import type { Clock } from '../core/clock';
import type { Actor } from '../core/actor';
import type { ActivityRecord } from '../../common/contract/cases';

interface Row {
  id: number;
  case_number: string | null;
  at: string;
  actor: string;
  action: string;
  entity: string;
  entity_id: string | null;
  details: string;
}

const SELECT = `SELECT a.id, c.number AS case_number, a.at, a.actor, a.action, a.entity, a.entity_id, a.details
  FROM activity a LEFT JOIN cases c ON c.id = a.case_id`;

export interface ActivityEntry {
  caseId: number | null;
  action: string;
  entity: string;
  entityId?: string | number | null;
  details?: Record<string, unknown>;
}

/**
 * The append-only activity log (triggers refuse UPDATE and DELETE). Every
 * change a service makes calls `record` inside the same transaction, so a
 * change and its log entry commit or roll back together.
 */
export class ActivityService {
  private readonly insert;
  private readonly listAll;
  private readonly listCase;

  constructor(private readonly deps: { db: Db; clock: Clock; actor: () => Actor }) {
    const { db } = deps;
    this.insert = db.prepare('INSERT INTO activity (case_id, at, actor, action, entity, entity_id, details) VALUES (?, ?, ?, ?, ?, ?, ?)');
    this.listAll = db.prepare<[number], Row>(`${SELECT} ORDER BY a.id DESC LIMIT ?`);
    this.listCase = db.prepare<[string, number], Row>(`${SELECT} WHERE c.number = ? ORDER BY a.id DESC LIMIT ?`);
  }

  record(entry: ActivityEntry): void {
    const actor = this.deps.actor();
    this.insert.run(
      entry.caseId,
      this.deps.clock.now().toISOString(),
      actor.fingerprint ? `${actor.name} (${actor.fingerprint.slice(0, 12)})` : actor.name,
      entry.action,
      entry.entity,
      entry.entityId == null ? null : String(entry.entityId),
      JSON.stringify(entry.details ?? {}),
    );
  }

  list(caseNumber: string | undefined, limit = 500): ActivityRecord[] {
    const rows = caseNumber ? this.listCase.all(caseNumber, limit) : this.listAll.all(limit);
    return rows.map((r) => ({
      id: r.id,
      caseNumber: r.case_number,
      at: r.at,
      actor: r.actor,
      action: r.action,
      entity: r.entity,
      entityId: r.entity_id,
      details: JSON.parse(r.details) as Record<string, unknown>,
    }));
  }
}
