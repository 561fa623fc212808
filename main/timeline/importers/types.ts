import type { FindingRecord, IocType, TimelineEvent } from '../../../common/contract/timeline';

/** Where a record's exact bytes sit in its (decompressed) file: JSON text, or one flow log line. */
export const RAW_JSON = 1;
export const RAW_LINE = 3;
export interface RawRef {
  offset: number;
  length: number;
  kind: typeof RAW_JSON | typeof RAW_LINE;
}

/** A record ready for the events table: the filterable columns of a timeline event plus its raw text. */
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
  | 'principal'
  | 'callerAccount'
  | 'sessionName'
  | 'identityType'
  | 'eventType'
  | 'eventId'
  | 'issues'
  | 'highlight'
> {
  /** Epoch milliseconds of `time` (0 when the record has none), for range queries and ordering. */
  ts: number;
  recordNo: number;
  /**
   * The record's text as the full-text index sees it (its JSON, or its flow log line); stored in the
   * database only when `ref` is null (records with no slice of their own in a file).
   */
  raw: string;
  /**
   * The record's bytes in the file when `raw` is exactly their UTF-8 text (set by the reader): the
   * parse thread copies them into the full-text batch instead of encoding `raw` back to UTF-8.
   */
  rawBytes?: Uint8Array;
  /** Where the record's exact bytes are in its file (set by the reader); null: `raw` is stored. */
  ref: RawRef | null;
  /** The record's identity for de-duplication (see dedup.ts), or null when it has none. */
  identity: string | null;
  /** A sample finding (GuardDuty "sample": true): shown, never turned into indicators. */
  sample: boolean;
  /** Detection rules the record matched at import (indexes into the import's rule set); absent when none ran. */
  hits?: number[];
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
  sample: boolean;
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

/** Columns every normaliser fills the same way when it has nothing for them. */
export const NO_IDENTITY = { principal: null, callerAccount: null, sessionName: null, identityType: null } as const;

/**
 * Parses the time spellings seen in real exports (ISO-8601 with or without
 * zone, "YYYY-MM-DD HH:MM:SS[.fffffffff]" as UTC, epoch seconds or ms) to epoch ms.
 */
export function parseTime(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return afterEpoch(inDateRange(v > 1e12 ? v : v * 1000));
  if (typeof v !== 'string') return null;
  if (v.length === 20) {
    const ms = cloudTrailTime(v);
    if (ms !== undefined) return ms;
  }
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/.exec(v.trim());
  if (!m || !realDay(m[1]!)) return null;
  const frac = m[3] ? m[3].slice(0, 4) : '';
  const ms = Date.parse(`${m[1]}T${m[2]}${frac}${m[4] ?? 'Z'}`);
  return Number.isNaN(ms) ? null : afterEpoch(ms);
}

/** Two ASCII digits at `i` as a number, or -1. */
function twoDigits(v: string, i: number): number {
  const a = v.charCodeAt(i) - 48;
  const b = v.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * `YYYY-MM-DDTHH:MM:SSZ`, CloudTrail's own spelling of eventTime, read by character codes: the general path
 * (a pattern, then Date.parse, which tokenises the text again) was a visible share of parsing a record.
 * `undefined` for anything else, or anything this path does not decide on its own (a year before 1970, hour 24,
 * an impossible day): the general path then gives the answer, so both agree on every string.
 */
function cloudTrailTime(v: string): number | null | undefined {
  if (v.charCodeAt(4) !== 45 || v.charCodeAt(7) !== 45 || v.charCodeAt(10) !== 84) return undefined;
  if (v.charCodeAt(13) !== 58 || v.charCodeAt(16) !== 58 || v.charCodeAt(19) !== 90) return undefined;
  const c = twoDigits(v, 0);
  const y = twoDigits(v, 2);
  const mo = twoDigits(v, 5);
  const d = twoDigits(v, 8);
  const h = twoDigits(v, 11);
  const mi = twoDigits(v, 14);
  const s = twoDigits(v, 17);
  if (c < 19 || y < 0 || h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 59) return undefined;
  const year = c * 100 + y;
  if (year < 1970 || !isRealDay(year, mo, d)) return undefined;
  return afterEpoch(Date.UTC(year, mo - 1, d, h, mi, s));
}

/**
 * A time after 1970-01-01T00:00:00Z, or null. Events without a time are kept at 0 and listed as their own group
 * after the timed ones; a record dated `0000-01-01` or `1969-12-31` was listed in that group with its date, as if
 * it had none. Nothing AWS logs is older than 2006: such a date is a wrong one, flagged like any other.
 */
const afterEpoch = (ms: number | null): number | null => (ms !== null && ms > 0 ? ms : null);

/** The range a JavaScript date holds (±100,000,000 days from 1970): past it a time cannot be shown or stored. */
export const MAX_TIME_MS = 8.64e15;

/** Epoch ms a date can hold, or null: a record's `1e300` is not a time, and must not stop the file at formatting. */
export const inDateRange = (ms: number): number | null => (Math.abs(ms) <= MAX_TIME_MS ? ms : null);

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Whether `YYYY-MM-DD` names a day of the calendar. Date.parse rolls `2024-02-30` over to March 1st: a record
 * that says an impossible day is flagged for its time, never shown at another day than it says.
 */
function realDay(date: string): boolean {
  return isRealDay(Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10)));
}

function isRealDay(y: number, mo: number, d: number): boolean {
  if (mo < 1 || mo > 12 || d < 1) return false;
  const leap = mo === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  return d <= DAYS_IN_MONTH[mo - 1]! + (leap ? 1 : 0);
}

/** Flagged on a record `DuplicateFinder.find` answers `REUSED` for (the spelling is shared with the app). */
export { REUSED_ISSUE } from '../../../common/import-issues';

/**
 * `find`'s answer for a CloudTrail record whose eventID, account, time and event name are those of an event the
 * case holds, but which says something else (another source IP, user agent, error code, service or access key, or a
 * field both copies carry, such as requestParameters, with another value):
 * not a copy. Test data that reuses ids, or a forged or altered copy of a real event, looks like this; merging
 * would drop what it says, so it is kept and flagged.
 */
export const REUSED = 'reused' as const;
