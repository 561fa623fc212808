import type { Db } from '../db/database';
import type { EventBus } from '../core/events';
import { AppError, notFound } from '../core/errors';
import type { ActivityService } from '../activity/activity-service';
import type { CaseService } from '../cases/case-service';
import type {
  TimelineEvent,
  TimelineEventDetail,
  TimelineFilter,
  TimelineHistogram,
  TimelinePage,
  TimelineQuery,
} from '../../common/contract/timeline';
import type { TimelineApi, TimelineEventInput } from './api';
import { EventStore } from './event-store';
import { parseTime, isObj } from './importers/types';
import { buildWhere, type DetectionCondition, decodeCursor, encodeCursor, EVENT_COLUMNS, toEvent, type EventDbRow } from './query';
import { rawContains } from './query';
import { RawReader } from './raw-reader';
import { readRaw, rawValue } from './raw-store';
import { searchOptions } from './search-plan';

/** Bucket widths the histogram picks from: round units an investigator reads at a glance. */
const BUCKETS_MS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800, 2592000].map(
  (s) => s * 1000,
);

const COUNT_CAP = 100_000;
const E_COLUMNS = EVENT_COLUMNS.replace(/(^|, )/g, '$1e.');

/**
 * Reads and annotates the case timeline: filtered keyset pages, counts,
 * single events with their raw record, the investigator's flags and tags,
 * and events appended by Lariat itself (response actions).
 */
export class TimelineService implements TimelineApi {
  private readonly store: EventStore;
  private readonly reader: RawReader;

  /**
   * `highlight`: the highlight of a CloudTrail record Lariat appends (main/detection/highlight.ts), given
   * rather than imported so that a process that only reads the timeline never loads the rule engine.
   */
  constructor(
    private readonly deps: {
      db: Db;
      cases: CaseService;
      activity: ActivityService;
      events: EventBus;
      vaultDir?: string;
      highlight: (eventName: string | null, record: Record<string, unknown>) => string | null;
    },
  ) {
    this.store = new EventStore(deps.db);
    this.reader = new RawReader(deps.vaultDir ?? '/');
    // A search's phrases are confirmed against the record's bytes in the vault copy (see query.ts).
    deps.db.function('lariat_raw_has', { deterministic: true }, (kind, offset, length, vaultPath, term) => {
      if (typeof vaultPath !== 'string' || typeof offset !== 'number' || typeof length !== 'number' || typeof term !== 'string') return 0;
      return rawContains(Number(kind), this.reader.read(vaultPath, offset, length), term) ? 1 : 0;
    });
  }

  /** A page of events; `detection` resolves the rule/level/technique filters (the detection feature's condition). */
  query(q: TimelineQuery, detection?: DetectionCondition): TimelinePage {
    const c = this.deps.cases.require(q.caseNumber);
    const limit = q.limit ?? 100;
    const newest = q.sort === 'newest';
    const { sql, params } = buildWhere(c.id, q, detection, searchOptions(this.deps.db, q.search, true));
    let where = sql;
    if (q.cursor) {
      const [ts, id] = decodeCursor(q.cursor, newest);
      where += newest ? ' AND (e.ts, e.id) < (?, ?)' : ' AND (e.ts, e.id) > (?, ?)';
      params.push(ts, id);
    }
    const order = newest ? 'e.ts DESC, e.id DESC' : 'e.ts, e.id';
    const rows = this.deps.db
      // eslint-disable-next-line no-restricted-syntax -- buildWhere emits fixed fragments from the column whitelist; values are ? parameters
      .prepare<(string | number)[], EventDbRow>(`SELECT ${E_COLUMNS} FROM timeline_events e WHERE ${where} ORDER BY ${order} LIMIT ?`)
      .all(...params, limit + 1);
    const more = rows.length > limit;
    const page = more ? rows.slice(0, limit) : rows;
    const last = page[page.length - 1];
    return { events: page.map(toEvent), nextCursor: more && last ? encodeCursor(last.ts, last.id, newest) : null };
  }

  /** Exact up to 100 000 matches, "at least" above (all a scrollbar needs), or exact whatever the number when asked. */
  count(f: TimelineFilter & { exact?: boolean }, detection?: DetectionCondition): { count: number; exact: boolean } {
    const c = this.deps.cases.require(f.caseNumber);
    const { exact, ...filter } = f;
    const { sql, params } = buildWhere(c.id, filter, detection, searchOptions(this.deps.db, filter.search, false));
    // buildWhere emits fixed fragments from the column whitelist; values are ? parameters.
    const statement = exact
      ? `SELECT count(*) AS n FROM timeline_events e WHERE ${sql}`
      : `SELECT count(*) AS n FROM (SELECT 1 FROM timeline_events e WHERE ${sql} LIMIT ${COUNT_CAP + 1})`;
    const { n } = this.deps.db.prepare<(string | number)[], { n: number }>(statement).get(...params)!;
    return exact ? { count: n, exact: true } : { count: Math.min(n, COUNT_CAP), exact: n <= COUNT_CAP };
  }

  /** Events per time bucket for a filter: about `buckets` buckets of a round width over the matching range. */
  histogram(f: TimelineFilter & { buckets?: number }, detection?: DetectionCondition): TimelineHistogram {
    const c = this.deps.cases.require(f.caseNumber);
    const { buckets = 60, ...filter } = f;
    const { sql, params } = buildWhere(c.id, filter, detection, searchOptions(this.deps.db, filter.search, false));
    const db = this.deps.db;
    // buildWhere emits fixed fragments from the column whitelist; values are ? parameters.
    const range = db
      .prepare<(string | number)[], { lo: number | null; hi: number | null; untimed: number }>(
        // eslint-disable-next-line no-restricted-syntax -- buildWhere emits fixed fragments from the column whitelist
        `SELECT min(CASE WHEN e.ts > 0 THEN e.ts END) AS lo, max(e.ts) AS hi, sum(e.ts = 0) AS untimed FROM timeline_events e WHERE ${sql}`,
      )
      .get(...params)!;
    if (range.lo === null || range.hi === null || range.hi <= 0)
      return { from: null, bucketMs: 0, counts: [], untimed: range.untimed ?? 0 };
    const span = range.hi - range.lo + 1;
    const bucketMs = BUCKETS_MS.find((b) => span / b <= buckets) ?? Math.ceil(span / buckets / 86_400_000) * 86_400_000;
    const from = Math.floor(range.lo / bucketMs) * bucketMs;
    const counts = new Array<number>(Math.floor((range.hi - from) / bucketMs) + 1).fill(0);
    const rows = db
      .prepare<(string | number)[], { b: number; n: number }>(
        // eslint-disable-next-line no-restricted-syntax -- buildWhere emits fixed fragments from the column whitelist
        `SELECT (e.ts - CAST(? AS INTEGER)) / CAST(? AS INTEGER) AS b, count(*) AS n FROM timeline_events e WHERE ${sql} AND e.ts > 0 GROUP BY b`,
      )
      .all(from, bucketMs, ...params);
    for (const r of rows) counts[r.b] = r.n;
    return { from, bucketMs, counts, untimed: range.untimed ?? 0 };
  }

  /** The case an event belongs to. */
  locate(eventId: number): { caseNumber: string; eventId: number } {
    const n = this.deps.db
      .prepare<[number], string>('SELECT c.number FROM timeline_events e JOIN cases c ON c.id = e.case_id WHERE e.id = ?')
      .pluck()
      .get(eventId);
    if (n === undefined)
      throw notFound('Timeline event', eventId, 'List events with `lariat timeline <case>`; the ID column is the event id.');
    return { caseNumber: n, eventId };
  }

  /** One event with its record exactly as it is in its file (read from the vault copy). */
  get(caseNumber: string, eventId: number): TimelineEventDetail {
    const c = this.deps.cases.require(caseNumber);
    const row = this.deps.db
      .prepare<[number, number], EventDbRow>(`SELECT ${EVENT_COLUMNS} FROM timeline_events WHERE id = ? AND case_id = ?`)
      .get(eventId, c.id);
    if (!row) throw notFound('Timeline event', eventId, `Event ${eventId} is not part of case ${caseNumber}.`);
    const raw = readRaw(this.deps.db, this.reader, eventId);
    if (!raw)
      throw new AppError('raw-unavailable', `The record of event ${eventId} is not stored.`, 'Run `lariat db check`; re-import its file.');
    return { ...toEvent(row), raw: rawValue(raw), rawText: raw.text };
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
            principal: null,
            callerAccount: null,
            sessionName: null,
            identityType: null,
            eventType: e.source === 'lariat' ? 'LariatAction' : null,
            eventId: null,
            issues: ts === null ? ['missing-time'] : [],
            highlight: e.source === 'cloudtrail' && isObj(e.raw) ? this.deps.highlight(e.action, e.raw) : null,
            recordNo: i + 1,
            raw,
            ref: null,
            identity: null,
            sample: false,
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
