import { timelineColumnNamed, type TimelineColumn, type TimelineFilter, type TimelineSort } from '../../../common/contract/timeline';
import { DetectionLevel } from '../../../common/contract/detection';

/** Filter of the timeline view minus the case: what the route query holds. */
export type ViewFilter = Omit<TimelineFilter, 'caseNumber'>;

export const COLUMN_LABELS: Record<TimelineColumn, string> = {
  source: 'Source',
  actor: 'Actor',
  accessKeyId: 'Access key',
  action: 'Action',
  eventSource: 'Service',
  resource: 'Resource',
  sourceIp: 'Source IP',
  userAgent: 'User agent',
  region: 'Region',
  account: 'Account',
  errorCode: 'Error',
  severity: 'Severity',
  principal: 'Principal',
  callerAccount: 'Caller account',
  sessionName: 'Session',
  identityType: 'Identity type',
  eventType: 'Event type',
  eventId: 'Event id',
  issue: 'Import issue',
};

/**
 * Reads the filter from the route query, so other tabs can link here:
 * `search=<text>`, `where=<column>=<value>[&<column>=<value>]` (itself
 * URL-encoded), `from`, `to`, `errors=1`, `flagged=1`, `highlight=<rule>`,
 * and the detection filters `rule=<id|any>`, `level=<level>`, `technique=<T-id>`.
 */
export function filterFromQuery(q: URLSearchParams): ViewFilter {
  // Columns by name in any case, or by the log's own field name (eventName, sourceIPAddress...), as the CLI takes them.
  const where = [...new URLSearchParams(q.get('where') ?? '').entries()].flatMap(([c, value]) => {
    const column = timelineColumnNamed(c);
    return column ? [{ column, value }] : [];
  });
  return {
    from: q.get('from') || undefined,
    to: q.get('to') || undefined,
    where: where.length ? where : undefined,
    search: q.get('search') || undefined,
    errorsOnly: q.get('errors') === '1' || undefined,
    flagged: q.get('flagged') === '1' || undefined,
    highlight: q.get('highlight') || undefined,
    rule: q.get('rule') || undefined,
    level: DetectionLevel.safeParse(q.get('level')).data,
    technique: q.get('technique') || undefined,
  };
}

/**
 * The parts of a link's filter that cannot be applied: `where` field names that are no column, a
 * `level` that is no detection level. The view names them above the table instead of dropping them
 * in silence: a mistyped link must not pass for a narrowed timeline (the CLI refuses the same input).
 */
export function unappliedFromQuery(q: URLSearchParams): string[] {
  const fields = [...new URLSearchParams(q.get('where') ?? '').keys()].filter((c) => timelineColumnNamed(c) === null);
  const level = q.get('level');
  return [
    ...fields.map((f) => `"${f}" (not a timeline column)`),
    ...(level && !DetectionLevel.safeParse(level).success ? [`level "${level}" (not one of ${DetectionLevel.options.join(', ')})`] : []),
  ];
}

/** The order of the table, from the route query (`sort=newest`); oldest first unless asked. */
export const sortFromQuery = (q: URLSearchParams): TimelineSort => (q.get('sort') === 'newest' ? 'newest' : 'oldest');

/** The route query for a filter (plus the selected event and the order). */
export function queryFromFilter(
  f: ViewFilter,
  selected?: number | null,
  sort: TimelineSort = 'oldest',
): Record<string, string | undefined> {
  return {
    from: f.from,
    to: f.to,
    where: f.where?.length ? new URLSearchParams(f.where.map((w) => [w.column, w.value])).toString() : undefined,
    search: f.search,
    errors: f.errorsOnly ? '1' : undefined,
    flagged: f.flagged ? '1' : undefined,
    highlight: f.highlight,
    rule: f.rule,
    level: f.level,
    technique: f.technique,
    event: selected ? String(selected) : undefined,
    sort: sort === 'newest' ? 'newest' : undefined,
  };
}

/** Adds (or replaces) an equality filter on a column: the "pivot". */
export function withWhere(f: ViewFilter, column: TimelineColumn, value: string): ViewFilter {
  return { ...f, where: [...(f.where ?? []).filter((w) => w.column !== column), { column, value }] };
}

/** Link parameters for "show this in the timeline" from other tabs (IOCs, assets, findings). */
export function pivotQuery(column: TimelineColumn | 'search', value: string): Record<string, string> {
  return column === 'search' ? { search: value } : { where: new URLSearchParams([[column, value]]).toString() };
}

/** Events without a time are stored at the epoch (0 ms); every timed event is after it. */
const FIRST_TIMED = '1970-01-01T00:00:00.001Z';
const UNTIMED_END = '1970-01-01T00:00:00.000Z';

/**
 * The two queries behind the table: the timed events (in the order asked), then the events without a time
 * as their own group at the end, whatever the order. A `from` bound already leaves untimed events out.
 */
export function splitByTime(f: ViewFilter): { timed: ViewFilter; untimed: ViewFilter | null } {
  return {
    timed: f.from ? f : { ...f, from: FIRST_TIMED },
    untimed: f.from ? null : { ...f, to: UNTIMED_END },
  };
}

/** The time range of histogram buckets `a`..`b` (either order), as from/to bounds that include the last millisecond. */
export function bucketRange(from: number, bucketMs: number, a: number, b: number): { from: string; to: string } {
  const lo = Math.min(a, b);
  const hi = Math.max(a, b);
  return { from: new Date(from + lo * bucketMs).toISOString(), to: new Date(from + (hi + 1) * bucketMs - 1).toISOString() };
}
