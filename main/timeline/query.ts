import { AppError } from '../core/errors';
import type { TimelineColumn, TimelineEvent, TimelineFilter } from '../../common/contract/timeline';
import { parseTime } from './importers/types';

/** The only column names that ever reach SQL: contract names mapped to columns. */
export const COLUMN_SQL: Record<TimelineColumn, string> = {
  source: 'source',
  actor: 'actor',
  accessKeyId: 'access_key_id',
  action: 'action',
  eventSource: 'event_source',
  resource: 'resource',
  sourceIp: 'source_ip',
  userAgent: 'user_agent',
  region: 'region',
  account: 'account',
  errorCode: 'error_code',
  severity: 'severity',
};

export interface EventDbRow {
  id: number;
  ts: number;
  time: string | null;
  source: TimelineEvent['source'];
  actor: string | null;
  access_key_id: string | null;
  action: string | null;
  event_source: string | null;
  resource: string | null;
  source_ip: string | null;
  user_agent: string | null;
  region: string | null;
  account: string | null;
  error_code: string | null;
  severity: string | null;
  flagged: number;
  tags: string;
  issues: string | null;
  highlight: string | null;
  evidence_id: number | null;
  file: string | null;
  record_no: number | null;
}

/** Every column except the raw record: pages never carry raw JSON. */
export const EVENT_COLUMNS =
  'id, ts, time, source, actor, access_key_id, action, event_source, resource, source_ip, user_agent, region, account, error_code, severity, flagged, tags, issues, highlight, evidence_id, file, record_no';

export const toEvent = (r: EventDbRow): TimelineEvent => ({
  id: r.id,
  time: r.time,
  source: r.source,
  actor: r.actor,
  accessKeyId: r.access_key_id,
  action: r.action,
  eventSource: r.event_source,
  resource: r.resource,
  sourceIp: r.source_ip,
  userAgent: r.user_agent,
  region: r.region,
  account: r.account,
  errorCode: r.error_code,
  severity: r.severity,
  flagged: r.flagged === 1,
  tags: JSON.parse(r.tags) as string[],
  issues: r.issues ? r.issues.split(',') : [],
  highlight: r.highlight,
  evidenceId: r.evidence_id,
  file: r.file,
  recordNo: r.record_no,
});

/** Parses a user-typed time bound: ISO-8601, "YYYY-MM-DD HH:MM[:SS]" (UTC), or a date (whole day). */
export function parseBound(v: string, end: boolean): number {
  const t = v.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) return Date.parse(`${t}T00:00:00Z`) + (end ? 86_400_000 - 1 : 0);
  const withSeconds = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}$/.test(t) ? `${t}:00` : t;
  const ms = parseTime(withSeconds);
  if (ms === null)
    throw new AppError(
      'invalid-input',
      `"${v}" is not a time Lariat understands.`,
      'Use UTC like 2024-01-15, 2024-01-15T10:30 or 2024-01-15T10:30:00Z.',
    );
  return ms;
}

/**
 * Turns free text into an FTS5 token query plus substrings to confirm. The
 * index stores tokens only (detail=none), so "1.2.3.4" becomes the tokens
 * 1 AND 2 AND 3 AND 4, and the raw record must then contain "1.2.3.4".
 * Quotes group words; a trailing * is a prefix search.
 */
export function ftsPlan(search: string): { match: string; substrings: string[] } | null {
  const tokens: string[] = [];
  const substrings: string[] = [];
  for (const m of search.matchAll(/"([^"]*)"|(\S+)/g)) {
    const term = (m[1] ?? m[2] ?? '').trim();
    const prefix = term.endsWith('*');
    const body = prefix ? term.slice(0, -1) : term;
    const toks = body.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
    if (toks.length === 0) continue;
    toks.forEach((tok, i) => tokens.push(`"${tok}"${prefix && i === toks.length - 1 ? '*' : ''}`));
    if (toks.length > 1 || toks[0] !== body.toLowerCase()) substrings.push(body.toLowerCase());
  }
  if (tokens.length === 0) return null;
  return { match: [...new Set(tokens)].join(' AND '), substrings };
}

/** The WHERE clause (after the case condition) and its parameters for a filter. */
export function buildWhere(caseId: number, f: TimelineFilter): { sql: string; params: (string | number)[] } {
  const parts = ['e.case_id = ?'];
  const params: (string | number)[] = [caseId];
  if (f.from) {
    parts.push('e.ts >= ?');
    params.push(parseBound(f.from, false));
  }
  if (f.to) {
    parts.push('e.ts <= ?');
    params.push(parseBound(f.to, true));
  }
  for (const w of f.where ?? []) {
    const col = COLUMN_SQL[w.column];
    if (w.value === '') parts.push(`e.${col} IS NULL`);
    else {
      parts.push(`e.${col} = ?`);
      params.push(w.value);
    }
  }
  if (f.errorsOnly) parts.push('e.error_code IS NOT NULL');
  if (f.flagged) parts.push('e.flagged = 1');
  if (f.highlight) {
    if (f.highlight === 'any') parts.push('e.highlight IS NOT NULL');
    else {
      parts.push('e.highlight = ?');
      params.push(f.highlight);
    }
  }
  const plan = f.search ? ftsPlan(f.search) : null;
  if (plan) {
    parts.push('e.id IN (SELECT rowid FROM search.timeline_fts WHERE timeline_fts MATCH ?)');
    params.push(plan.match);
    for (const s of plan.substrings) {
      parts.push('instr(lower((SELECT r.raw FROM timeline_raw r WHERE r.id = e.id)), ?) > 0');
      params.push(s);
    }
  }
  return { sql: parts.join(' AND '), params };
}

/** Keyset cursor on (ts, id): page N costs what page 1 costs. */
export const encodeCursor = (ts: number, id: number): string => `${ts}:${id}`;

export function decodeCursor(c: string): [number, number] {
  const m = /^(-?\d+):(\d+)$/.exec(c);
  if (!m) throw new AppError('invalid-input', 'The timeline cursor is not valid.', 'Reload the timeline from the first page.');
  return [Number(m[1]), Number(m[2])];
}
