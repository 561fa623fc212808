import { iocValue } from './ioc-value';
import type { Db } from '../db/database';
import type { Clock } from '../core/clock';
import type { EventBus } from '../core/events';
import { AppError, notFound } from '../core/errors';
import type { ActivityService } from '../activity/activity-service';
import type { CaseService } from '../cases/case-service';
import type { IocRecord, IocType } from '../../common/contract/timeline';
import type { Tlp } from '../../common/contract/common';

interface IocRow {
  id: number;
  case_number: string;
  type: IocType;
  value: string;
  tlp: Tlp;
  notes: string;
  source: string;
  created_at: string;
  updated_at: string;
}

const SELECT = 'SELECT i.*, c.number AS case_number FROM iocs i JOIN cases c ON c.id = i.case_id';

const toIoc = (r: IocRow): IocRecord => ({
  id: r.id,
  caseNumber: r.case_number,
  type: r.type,
  value: r.value,
  tlp: r.tlp,
  notes: r.notes,
  source: r.source,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** Indicators of compromise of a case, with TLP and notes; the same type+value is merged, not duplicated. */
export class IocService {
  constructor(private readonly deps: { db: Db; clock: Clock; cases: CaseService; activity: ActivityService; events: EventBus }) {}

  list(caseNumber: string): IocRecord[] {
    const c = this.deps.cases.require(caseNumber);
    return this.deps.db.prepare<[number], IocRow>(`${SELECT} WHERE i.case_id = ? ORDER BY i.type, i.value`).all(c.id).map(toIoc);
  }

  get(caseNumber: string, id: number): IocRecord {
    const row = this.deps.db.prepare<[number, string], IocRow>(`${SELECT} WHERE i.id = ? AND c.number = ?`).get(id, caseNumber);
    if (!row) throw notFound('IOC', id, `IOC ${id} is not part of case ${caseNumber}.`);
    return toIoc(row);
  }

  /** Adds the IOC or, if the case already has it, updates TLP/notes given. */
  add(raw: { caseNumber: string; type: IocType; value: string; tlp?: Tlp; notes?: string; source?: string }): IocRecord {
    const checked = iocValue(raw.type, raw.value);
    if (!checked.ok)
      throw new AppError(
        'invalid-input',
        `"${raw.value}" is not a ${raw.type} indicator: ${checked.why}.`,
        'Correct the value, or choose the type it is.',
      );
    const input = { ...raw, value: checked.value };
    const record = this.deps.db.transaction(() => {
      const c = this.deps.cases.requireWritable(input.caseNumber);
      const now = this.deps.clock.now().toISOString();
      const existing = this.deps.db
        .prepare<[number, string, string], { id: number }>('SELECT id FROM iocs WHERE case_id = ? AND type = ? AND value = ?')
        .get(c.id, input.type, input.value);
      if (existing) {
        if (input.tlp !== undefined || input.notes !== undefined) {
          this.deps.db
            .prepare('UPDATE iocs SET tlp = coalesce(?, tlp), notes = coalesce(?, notes), updated_at = ? WHERE id = ?')
            .run(input.tlp ?? null, input.notes ?? null, now, existing.id);
          this.deps.activity.record({
            caseId: c.id,
            action: 'ioc.updated',
            entity: 'ioc',
            entityId: existing.id,
            details: { type: input.type, value: input.value },
          });
        }
        return this.get(input.caseNumber, existing.id);
      }
      const tlp = input.tlp ?? this.deps.cases.get(input.caseNumber).tlp;
      const id = Number(
        this.deps.db
          .prepare('INSERT INTO iocs (case_id, type, value, tlp, notes, source, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
          .run(c.id, input.type, input.value, tlp, input.notes ?? '', input.source ?? 'investigator', now, now).lastInsertRowid,
      );
      this.deps.activity.record({
        caseId: c.id,
        action: 'ioc.added',
        entity: 'ioc',
        entityId: id,
        details: { type: input.type, value: input.value, tlp },
      });
      return this.get(input.caseNumber, id);
    })();
    this.deps.events.emit('caseChanged', { caseNumber: input.caseNumber, what: 'iocs' });
    return record;
  }

  update(input: { caseNumber: string; iocId: number; tlp?: Tlp; notes?: string }): IocRecord {
    const record = this.deps.db.transaction(() => {
      const c = this.deps.cases.requireWritable(input.caseNumber);
      const before = this.get(input.caseNumber, input.iocId);
      this.deps.db
        .prepare('UPDATE iocs SET tlp = ?, notes = ?, updated_at = ? WHERE id = ?')
        .run(input.tlp ?? before.tlp, input.notes ?? before.notes, this.deps.clock.now().toISOString(), input.iocId);
      this.deps.activity.record({
        caseId: c.id,
        action: 'ioc.updated',
        entity: 'ioc',
        entityId: input.iocId,
        details: { tlp: input.tlp, notesChanged: input.notes !== undefined },
      });
      return this.get(input.caseNumber, input.iocId);
    })();
    this.deps.events.emit('caseChanged', { caseNumber: input.caseNumber, what: 'iocs' });
    return record;
  }

  remove(caseNumber: string, iocId: number): { deleted: true } {
    this.deps.db.transaction(() => {
      const c = this.deps.cases.requireWritable(caseNumber);
      const before = this.get(caseNumber, iocId);
      this.deps.db.prepare('DELETE FROM iocs WHERE id = ?').run(iocId);
      this.deps.activity.record({
        caseId: c.id,
        action: 'ioc.deleted',
        entity: 'ioc',
        entityId: iocId,
        details: { type: before.type, value: before.value },
      });
    })();
    this.deps.events.emit('caseChanged', { caseNumber, what: 'iocs' });
    return { deleted: true };
  }
}
