import type { FindingRecord, IocType, TimelineEvent } from '../../../common/contract/timeline';

/** A record ready for the events table: the filterable columns of a timeline event plus the raw JSON text. */
export interface EventRow extends Pick<
  TimelineEvent,
  | 'time'
  | 'source'
  | 'actor'
  | 'accessKeyId'
  | 'action'
  | 'eventSource'
  | 'resource'
  | 'sourceIp'
  | 'userAgent'
  | 'region'
  | 'account'
  | 'errorCode'
  | 'severity'
  | 'issues'
  | 'highlight'
> {
  /** Epoch milliseconds of `time` (0 when the record has none), for range queries and ordering. */
  ts: number;
  recordNo: number;
  raw: string;
}

/** A GuardDuty or Security Hub finding normalised for the findings table. */
export interface FindingRow {
  source: 'guardduty' | 'securityhub';
  findingId: string;
  type: string;
  title: string;
  severityLabel: FindingRecord['severityLabel'];
  severityScore: number;
  account: string | null;
  region: string | null;
  resources: { type: string; id: string }[];
  firstSeen: string | null;
  lastSeen: string | null;
  indicators: { type: IocType; value: string }[];
  raw: string;
}

/** What one record became: a timeline event (and for findings, a finding too), or a rejection. */
export type Parsed = { event: EventRow; finding?: FindingRow } | { error: string };

export type Obj = Record<string, unknown>;

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A string field, or null when absent, empty or not a string (wrong types never throw). */
export const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null);

/**
 * Reads a dotted path accepting both camelCase and PascalCase at each step:
 * GuardDuty's API and `get-findings` use PascalCase, EventBridge and S3 exports camelCase.
 */
export function pick(o: unknown, path: string): unknown {
  let cur: unknown = o;
  for (const seg of path.split('.')) {
    if (!isObj(cur)) return undefined;
    const alt = seg[0] === seg[0]!.toUpperCase() ? seg[0]!.toLowerCase() + seg.slice(1) : seg[0]!.toUpperCase() + seg.slice(1);
    cur = seg in cur ? cur[seg] : cur[alt];
  }
  return cur;
}

/**
 * Parses the time spellings seen in real exports (ISO-8601 with or without
 * zone, "YYYY-MM-DD HH:MM:SS[.fffffffff]" as UTC, epoch seconds) to epoch ms.
 */
export function parseTime(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v > 1e12 ? v : v * 1000;
  if (typeof v !== 'string') return null;
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/.exec(v.trim());
  if (!m) return null;
  const frac = m[3] ? m[3].slice(0, 4) : '';
  const ms = Date.parse(`${m[1]}T${m[2]}${frac}${m[4] ?? 'Z'}`);
  return Number.isNaN(ms) ? null : ms;
}
