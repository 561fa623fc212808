import type { Db } from '../db/database';
import type { EventBus } from '../core/events';
import { notFound } from '../core/errors';
import type { ActivityService } from '../activity/activity-service';
import type { CaseService } from '../cases/case-service';
import type { TimelineEvent, TimelineEventDetail, TimelineFilter, TimelinePage, TimelineQuery } from '../../common/contract/timeline';
import type { TimelineApi, TimelineEventInput } from './api';
import { EventStore } from './event-store';
import { highlightFor } from './highlights';
import { parseTime, isObj } from './importers/types';
import { buildWhere, decodeCursor, encodeCursor, EVENT_COLUMNS, toEvent, type EventDbRow } from './query';

const COUNT_CAP = 100_000;
const E_COLUMNS = EVENT_COLUMNS.replace(/(^|, )/g, '$1e.');

/**
 * Reads and annotates the case timeline: filtered keyset pages, counts,
 * single events with their raw record, the investigator's flags and tags,
 * and events appended by Lariat itself (response actions).
 */
export class TimelineService implements TimelineApi {
  private readonly store: EventStore;

  constructor(private readonly deps: { db: Db; cases: CaseService; activity: ActivityService; events: EventBus }) {
    this.store = new EventStore(deps.db);
  }

  query(q: TimelineQuery): TimelinePage {
    const c = this.deps.cases.require(q.caseNumber);
    const limit = q.limit ?? 100;
    const { sql, params } = buildWhere(c.id, q);
    let where = sql;
    if (q.cursor) {
      const [ts, id] = decodeCursor(q.cursor);
      where += ' AND (e.ts, e.id) > (?, ?)';
      params.push(ts, id);
    }
    const rows = this.deps.db
      // eslint-disable-next-line no-restricted-syntax -- buildWhere emits fixed fragments from the column whitelist; values are ? parameters
      .prepare<(string | number)[], EventDbRow>(`SELECT ${E_COLUMNS} FROM timeline_events e WHERE ${where} ORDER BY e.ts, e.id LIMIT ?`)
      .all(...params, limit + 1);
    const more = rows.length > limit;
    const page = more ? rows.slice(0, limit) : rows;
    const last = page[page.length - 1];
    return { events: page.map(toEvent), nextCursor: more && last ? encodeCursor(last.ts, last.id) : null };
  }

  /** Exact up to 100 000 matches; above that "at least", which is all a scrollbar needs. */
  count(f: TimelineFilter): { count: number; exact: boolean } {
    const c = this.deps.cases.require(f.caseNumber);
    const { sql, params } = buildWhere(c.id, f);
    // buildWhere emits fixed fragments from the column whitelist; values are ? parameters.
    const statement = `SELECT count(*) AS n FROM (SELECT 1 FROM timeline_events e WHERE ${sql} LIMIT ${COUNT_CAP + 1})`;
    const { n } = this.deps.db.prepare<(string | number)[], { n: number }>(statement).get(...params)!;
    return { count: Math.min(n, COUNT_CAP), exact: n <= COUNT_CAP };
  }

  get(caseNumber: string, eventId: number): TimelineEventDetail {
    const c = this.deps.cases.require(caseNumber);
    const row = this.deps.db
      .prepare<[number, number], EventDbRow & { raw: string }>(
        `SELECT ${EVENT_COLUMNS}, (SELECT r.raw FROM timeline_raw r WHERE r.id = timeline_events.id) AS raw FROM timeline_events WHERE id = ? AND case_id = ?`,
      )
      .get(eventId, c.id);
    if (!row) throw notFound('Timeline event', eventId, `Event ${eventId} is not part of case ${caseNumber}.`);
    return { ...toEvent(row), raw: JSON.parse(row.raw) as unknown };
  }

  private one(caseId: number, eventId: number, caseNumber: string): TimelineEvent {
    const row = this.deps.db
      .prepare<[number, number], EventDbRow>(`SELECT ${EVENT_COLUMNS} FROM timeline_events WHERE id = ? AND case_id = ?`)
      .get(eventId, caseId);
    if (!row) throw notFound('Timeline event', eventId, `Event ${eventId} is not part of case ${caseNumber}.`);
    return toEvent(row);
  }

  flag(caseNumber: string, eventId: number, flagged: boolean): TimelineEvent {
    const event = this.deps.db.transaction(() => {
      const c = this.deps.cases.requireWritable(caseNumber);
      this.one(c.id, eventId, caseNumber);
      this.deps.db.prepare('UPDATE timeline_events SET flagged = ? WHERE id = ?').run(flagged ? 1 : 0, eventId);
      this.deps.activity.record({
        caseId: c.id,
        action: flagged ? 'timeline.flagged' : 'timeline.unflagged',
        entity: 'event',
        entityId: eventId,
      });
      return this.one(c.id, eventId, caseNumber);
    })();
    this.deps.events.emit('caseChanged', { caseNumber, what: 'timeline' });
    return event;
  }

  tag(caseNumber: string, eventId: number, tags: string[]): TimelineEvent {
    const event = this.deps.db.transaction(() => {
      const c = this.deps.cases.requireWritable(caseNumber);
      const before = this.one(c.id, eventId, caseNumber);
      const unique = [...new Set(tags)];
      this.deps.db.prepare('UPDATE timeline_events SET tags = ? WHERE id = ?').run(JSON.stringify(unique), eventId);
      this.deps.activity.record({
        caseId: c.id,
        action: 'timeline.tagged',
        entity: 'event',
        entityId: eventId,
        details: { from: before.tags, to: unique },
      });
      return this.one(c.id, eventId, caseNumber);
    })();
    this.deps.events.emit('caseChanged', { caseNumber, what: 'timeline' });
    return event;
  }

  /** Lariat's own actions (source `lariat`) into the timeline, beside the evidence. */
  appendEvents(caseNumber: string, events: TimelineEventInput[]): void {
    if (events.length === 0) return;
    this.deps.db.transaction(() => {
      const c = this.deps.cases.requireWritable(caseNumber);
      events.forEach((e, i) => {
        const ts = parseTime(e.time);
        const raw = JSON.stringify(e.raw);
        this.store.addEvent(
          c.id,
          {
            ts: ts ?? 0,
            time: ts === null ? null : new Date(ts).toISOString(),
            source: e.source,
            actor: e.actor ?? null,
            accessKeyId: null,
            action: e.action,
            eventSource: 'lariat',
            resource: e.resource ?? null,
            sourceIp: null,
            userAgent: null,
            region: e.region ?? null,
            account: e.account ?? null,
            errorCode: e.errorCode ?? null,
            severity: e.severity ?? null,
            issues: ts === null ? ['missing-time'] : [],
            highlight: e.source === 'cloudtrail' && isObj(e.raw) ? highlightFor(e.action, e.raw) : null,
            recordNo: i + 1,
            raw,
          },
          { importId: null, evidenceId: null, file: null },
        );
      });
      this.deps.activity.record({
        caseId: c.id,
        action: 'timeline.appended',
        entity: 'timeline',
        details: { count: events.length, actions: [...new Set(events.map((e) => e.action))].slice(0, 20) },
      });
    })();
    this.deps.events.emit('caseChanged', { caseNumber, what: 'timeline' });
  }
}
