import type { Db } from '../db/database';
import type { Clock } from '../core/clock';
import type { EventBus } from '../core/events';
import type { ActivityService } from '../activity/activity-service';
import type { Actor } from '../core/actor';
import { AppError, notFound } from '../core/errors';
import type { CaseCreateInput, CaseListInput, CaseRecord, CaseSummary, CaseUpdateInput } from '../../common/contract/cases';
import { type CaseRow, patchColumns, toCaseRecord } from './case-rows';

export interface CaseServiceDeps {
  db: Db;
  clock: Clock;
  activity: ActivityService;
  events: EventBus;
  /** Who is acting (the current investigator identity once one exists). */
  actor: () => Actor;
}

/**
 * Cases: numbering, fields and lifecycle. Other services resolve a case
 * number to its row id through `require`, and refuse writes to read-only
 * (received) cases through `requireWritable`.
 */
export class CaseService {
  private readonly byNumber;
  private readonly nextNumber;
  private readonly insertCase;
  private readonly demoIdentity;

  constructor(private readonly deps: CaseServiceDeps) {
    const { db } = deps;
    this.byNumber = db.prepare<[string], CaseRow>('SELECT * FROM cases WHERE number = ?');
    this.nextNumber = db.prepare<[number], { last: number }>(
      `INSERT INTO case_counters (year, last) VALUES (?, 1)
       ON CONFLICT(year) DO UPDATE SET last = last + 1 RETURNING last`,
    );
    this.insertCase = db.prepare(
      `INSERT INTO cases (number, title, summary, severity, status, tlp, lead, accounts, regions, tags, read_only, demo, opened_at, closed_at, updated_at)
       VALUES (@number, @title, @summary, @severity, @status, @tlp, @lead, @accounts, @regions, @tags, @read_only, @demo, @opened_at, NULL, @opened_at)`,
    );
    this.demoIdentity = db.prepare<[string], { name: string }>('SELECT name FROM investigators WHERE fingerprint = ? AND demo = 1');
  }

  /** Opens a case. `demo` marks the case the demo builds: the only one its demo identity may sign in (migration 014). */
  create(input: CaseCreateInput, options: { readOnly?: boolean; number?: string; demo?: boolean } = {}): CaseRecord {
    const now = this.deps.clock.now();
    if (!options.demo) this.refuseDemoIdentity(false, 'no case was opened');
    const record = this.deps.db.transaction(() => {
      const number = options.number ?? this.allocateNumber(now.getUTCFullYear());
      if (options.number && this.byNumber.get(number)) {
        throw new AppError(
          'case-exists',
          `A case numbered ${number} already exists in this data folder.`,
          'Open the existing case, or import into another data folder.',
        );
      }
      this.insertCase.run({
        number,
        title: input.title,
        summary: input.summary ?? '',
        severity: input.severity,
        status: input.status ?? 'open',
        tlp: input.tlp ?? 'amber',
        lead: input.lead ?? '',
        accounts: JSON.stringify(input.accounts ?? []),
        regions: JSON.stringify(input.regions ?? []),
        tags: JSON.stringify(input.tags ?? []),
        read_only: options.readOnly ? 1 : 0,
        demo: options.demo ? 1 : 0,
        opened_at: now.toISOString(),
      });
      const row = this.byNumber.get(number)!;
      this.deps.activity.record({
        caseId: row.id,
        action: 'case.created',
        entity: 'case',
        entityId: number,
        details: { title: input.title, severity: input.severity },
      });
      return toCaseRecord(row);
    })();
    this.deps.events.emit('caseChanged', { caseNumber: record.number, what: 'case' });
    return record;
  }

  private allocateNumber(year: number): string {
    const { last } = this.nextNumber.get(year)!;
    return `IR-${year}-${String(last).padStart(4, '0')}`;
  }

  list(filter: CaseListInput = {}): CaseSummary[] {
    const where: string[] = [];
    const params: Record<string, string> = {};
    if (filter.status) {
      where.push('c.status = @status');
      params.status = filter.status;
    }
    if (filter.severity) {
      where.push('c.severity = @severity');
      params.severity = filter.severity;
    }
    if (filter.search?.trim()) {
      where.push(
        `(c.number LIKE @q ESCAPE '\\' OR c.title LIKE @q ESCAPE '\\' OR c.summary LIKE @q ESCAPE '\\' OR c.tags LIKE @q ESCAPE '\\' OR c.lead LIKE @q ESCAPE '\\')`,
      );
      params.q = `%${filter.search.trim().replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    }
    // Filters are fixed fragments; the search text is a parameter.
    const sql = `SELECT c.*, (SELECT count(*) FROM tasks t WHERE t.case_id = c.id AND t.status != 'done') AS open_tasks
      FROM cases c ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY c.id DESC`;
    return this.deps.db
      .prepare<Record<string, string>, CaseRow & { open_tasks: number }>(sql)
      .all(params)
      .map((r) => ({ ...toCaseRecord(r), openTasks: r.open_tasks }));
  }

  get(number: string): CaseRecord {
    return toCaseRecord(this.require(number));
  }

  /** The case row, or a not-found error naming the number. */
  require(number: string): CaseRow {
    const row = this.byNumber.get(number);
    if (!row) throw notFound('Case', number, 'Run `lariat case list` (or look at the case list) for the numbers in this data folder.');
    return row;
  }

  /**
   * The case row, refusing cases received in a bundle (their record is evidence and stays as received),
   * and refusing every change to a real case while Lariat acts as the demo identity: the demo investigator
   * is not a person and must never appear in a real case's record (a real identity is required first).
   */
  requireWritable(number: string): CaseRow {
    const row = this.require(number);
    if (row.read_only === 1) {
      throw new AppError(
        'case-read-only',
        `Case ${number} was received from another investigator and is read-only.`,
        'Open a new case for your own follow-up work and reference this one.',
      );
    }
    this.refuseDemoIdentity(row.demo === 1, `nothing was recorded in ${row.number}`);
    return row;
  }

  /** Throws when the acting identity is the demo one and the case concerned is not the demo case. */
  private refuseDemoIdentity(demoCase: boolean, consequence: string): void {
    const fingerprint = this.deps.actor().fingerprint;
    if (demoCase || !fingerprint || !this.demoIdentity.get(fingerprint)) return;
    throw new AppError(
      'demo-identity',
      `Lariat is acting as the demo investigator (not a real person), who can only work in the demo case; ${consequence}.`,
      'Create your own investigator identity first (app: Settings, Investigator identity; CLI: lariat identity init --name "..." --role "..." --org "..."), then try again.',
    );
  }

  update(input: CaseUpdateInput): CaseRecord {
    const record = this.deps.db.transaction(() => {
      const row = this.requireWritable(input.caseNumber);
      const sets: string[] = [];
      const params: Record<string, string | number | null> = { id: row.id };
      const changed: Record<string, { from: unknown; to: unknown }> = {};
      const before = toCaseRecord(row);
      for (const [key, column] of Object.entries(patchColumns) as [keyof typeof patchColumns, string][]) {
        const value = input.patch[key];
        if (value === undefined) continue;
        const stored = Array.isArray(value) ? JSON.stringify(value) : value;
        if (JSON.stringify(before[key]) === JSON.stringify(value)) continue;
        sets.push(`${column} = @${column}`);
        params[column] = stored;
        changed[key] = { from: before[key], to: value };
      }
      if (sets.length === 0) return before;
      const now = this.deps.clock.now().toISOString();
      if (input.patch.status) {
        sets.push('closed_at = @closed_at');
        params.closed_at = input.patch.status === 'closed' ? now : null;
      }
      sets.push('updated_at = @updated_at');
      params.updated_at = now;
      // Column names come from the fixed `patchColumns` whitelist; every value is a named parameter.
      // eslint-disable-next-line no-restricted-syntax
      this.deps.db.prepare(`UPDATE cases SET ${sets.join(', ')} WHERE id = @id`).run(params);
      this.deps.activity.record({ caseId: row.id, action: 'case.updated', entity: 'case', entityId: row.number, details: changed });
      return toCaseRecord(this.require(row.number));
    })();
    this.deps.events.emit('caseChanged', { caseNumber: record.number, what: 'case' });
    return record;
  }
}
