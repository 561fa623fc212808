import { AppError } from '../core/errors';
import type { TimelineColumn, TimelineEvent, TimelineFilter } from '../../common/contract/timeline';
import { parseBound } from './time-bounds';
import { searchableRaw } from './raw-text';
import { DOTTED_QUAD, ipToken } from './search-text';

export { parseBound };

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
  principal: 'principal',
  callerAccount: 'caller_account',
  sessionName: 'session_name',
  identityType: 'identity_type',
  eventType: 'event_type',
  eventId: 'event_uid',
  issue: 'issues',
};

/**
 * Columns matched whatever their case, because AWS treats their values so:
 * event names and error codes (the same call in any spelling), service
 * names, regions, source IPs (IPv6 hex), IAM principal names (unique
 * case-insensitively), identity and event types, event ids (UUIDs).
 * The others match exactly: ARNs, access key ids, resource ids, session
 * names and user agents are case-sensitive.
 */
export const NOCASE_COLUMNS = new Set<TimelineColumn>([
  'source',
  'action',
  'eventSource',
  'sourceIp',
  'region',
  'account',
  'errorCode',
  'severity',
  'principal',
  'callerAccount',
  'identityType',
  'eventType',
  'eventId',
]);

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
  principal: string | null;
  caller_account: string | null;
  session_name: string | null;
  identity_type: string | null;
  event_type: string | null;
  event_uid: string | null;
  sample: number;
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
  'id, ts, time, source, actor, access_key_id, action, event_source, resource, source_ip, user_agent, region, account, error_code, severity, principal, caller_account, session_name, identity_type, event_type, event_uid, sample, flagged, tags, issues, highlight, evidence_id, file, record_no';

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
  principal: r.principal,
  callerAccount: r.caller_account,
  sessionName: r.session_name,
  identityType: r.identity_type,
  eventType: r.event_type,
  eventId: r.event_uid,
  sample: r.sample === 1,
  flagged: r.flagged === 1,
  tags: JSON.parse(r.tags) as string[],
  issues: r.issues ? r.issues.split(',') : [],
  highlight: r.highlight,
  evidenceId: r.evidence_id,
  file: r.file,
  recordNo: r.record_no,
});

/**
 * Turns free text into an FTS5 token query plus substrings to confirm. The
 * index stores tokens only (detail=none), so "a.b-c" becomes the tokens
 * a AND b AND c, and the raw record must then contain "a.b-c".
 * Quotes group words; a trailing * is a prefix search. With `ipTokens` (every
 * row of the index carries them, fts-index.ts `hasIpTokens`), an IPv4 address
 * is its one token (search-text.ts `ipToken`): the address as a whole, not
 * inside a longer number ("10.0.1.23" is not found in "110.0.1.23" or
 * "10.0.1.234"), and still confirmed as a phrase.
 */
export function ftsPlan(search: string, ipTokens = false): { match: string; substrings: string[] } | null {
  const tokens: string[] = [];
  const substrings: string[] = [];
  for (const m of search.matchAll(/"([^"]*)"|(\S+)/g)) {
    const term = (m[1] ?? m[2] ?? '').trim();
    const prefix = term.endsWith('*');
    const body = prefix ? term.slice(0, -1) : term;
    if (ipTokens && !prefix && DOTTED_QUAD.test(body)) {
      tokens.push(`"${ipToken(body)}"`);
      substrings.push(body);
      continue;
    }
    const toks = body.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
    if (toks.length === 0) continue;
    toks.forEach((tok, i) => tokens.push(`"${tok}"${prefix && i === toks.length - 1 ? '*' : ''}`));
    if (toks.length > 1 || toks[0] !== body.toLowerCase()) substrings.push(body.toLowerCase());
  }
  if (tokens.length === 0) return null;
  return { match: [...new Set(tokens)].join(' AND '), substrings };
}

/** A phrase made only of ASCII digits, punctuation and inner spaces (an IP, an account id, a port list): no letter, no case. */
const CASELESS_ASCII = /^[\x21-\x40\x5b-\x60\x7b-\x7e](?:[\x20-\x40\x5b-\x60\x7b-\x7e]*[\x21-\x40\x5b-\x60\x7b-\x7e])?$/;

/**
 * Whether a record's search text holds a phrase (lower-cased): exactly
 * `searchableRaw(kind, text).toLowerCase().includes(term)`, the check a
 * search confirms each candidate with. It runs once per candidate the token
 * index gives (tens of thousands for an IP whose numbers are common tokens),
 * so a phrase of ASCII digits and punctuation is looked for in the bytes
 * themselves: lower-casing never makes or removes such characters, an ASCII
 * byte is never part of a multi-byte character, and a record without
 * backslashes or line breaks is its own search text (see canonicalText).
 * Anything else takes the general path.
 */
export function rawContains(kind: number, bytes: Buffer, term: string): boolean {
  if (CASELESS_ASCII.test(term) && bytes.indexOf(0x5c) < 0 && bytes.indexOf(0x0a) < 0 && bytes.indexOf(0x0d) < 0)
    return bytes.includes(term, 0, 'latin1');
  return searchableRaw(kind, bytes.toString('utf8')).toLowerCase().includes(term);
}

/** The phrase check of a search on a record kept in the database, or (UDF) on its bytes in the vault copy. */
const PHRASE_SQL = `(CASE WHEN coalesce(e.raw_kind, 0) = 0 THEN instr(lower((SELECT r.raw FROM timeline_raw r WHERE r.id = e.id)), ?) > 0
  ELSE lariat_raw_has(e.raw_kind, e.raw_offset, e.raw_length, (SELECT i.vault_path FROM timeline_imports i WHERE i.id = e.import_id), ?) END)`;

/**
 * The SQL condition over events aliased `e` for the detection filters (rule,
 * level, technique), or null when none is set. The detection feature builds it
 * (main/detection/queries.ts `detectionWhere`); the timeline only AND-s it in.
 */
export type DetectionCondition = (
  caseId: number,
  f: Pick<TimelineFilter, 'rule' | 'level' | 'technique'>,
) => { sql: string; params: (string | number)[] } | null;

/** How a search is matched: see ftsPlan (`ipTokens`) and search-plan.ts `searchOptions` (`walk`). */
export interface SearchOptions {
  ipTokens?: boolean;
  walk?: boolean;
}

/**
 * The WHERE clause (after the case condition) and its parameters for a filter.
 * Several values for one column are alternatives (OR); different columns all
 * apply (AND). Detection filters need `detection`: without it they are refused
 * rather than ignored (a filter silently dropped would list every event).
 */
export function buildWhere(
  caseId: number,
  f: TimelineFilter,
  detection?: DetectionCondition,
  search: SearchOptions = {},
): { sql: string; params: (string | number)[] } {
  const parts = ['e.case_id = ?'];
  const params: (string | number)[] = [caseId];
  const from = f.from ? parseBound(f.from, false) : null;
  const to = f.to ? parseBound(f.to, true) : null;
  if (from !== null && to !== null && from > to)
    throw new AppError('invalid-input', `--from ${f.from} is after --to ${f.to}.`, 'Swap them, or widen the range.');
  if (from !== null) {
    parts.push('e.ts >= ?');
    params.push(from);
  }
  if (to !== null) {
    parts.push('e.ts <= ?');
    params.push(to);
  }
  const byColumn = new Map<TimelineColumn, string[]>();
  for (const w of f.where ?? []) byColumn.set(w.column, [...(byColumn.get(w.column) ?? []), w.value]);
  for (const [column, values] of byColumn) {
    const col = `e.${COLUMN_SQL[column]}`;
    const collate = NOCASE_COLUMNS.has(column) ? ' COLLATE NOCASE' : '';
    const alternatives = [...new Set(values)].map((v) => {
      if (v === '') return `${col} IS NULL`;
      if (column === 'issue') {
        // A comma-separated list of issue codes: one of them, whatever its case.
        params.push(`,${v.toLowerCase()},`);
        return `instr(',' || lower(${col}) || ',', ?) > 0`;
      }
      params.push(v);
      return `${col} = ?${collate}`;
    });
    parts.push(alternatives.length === 1 ? alternatives[0]! : `(${alternatives.join(' OR ')})`);
    // Implied by every issue code asked for; stated so the planner reads the few flagged events' index (migration 18).
    if (column === 'issue' && !values.includes('')) parts.push(`${col} IS NOT NULL`);
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
  if (f.rule || f.level || f.technique) {
    if (!detection)
      throw new AppError(
        'unavailable',
        'Detection filters (rule, level, technique) are not available here.',
        'Run the query through Lariat (the app or `lariat timeline`), which loads the detection rules.',
      );
    const d = detection(caseId, { rule: f.rule, level: f.level, technique: f.technique });
    if (d) {
      parts.push(d.sql);
      params.push(...d.params);
    }
  }
  const text = f.search?.trim();
  if (text) {
    const plan = ftsPlan(text, search.ipTokens);
    if (!plan)
      throw new AppError(
        'invalid-input',
        `The search "${text}" has no letters or digits, so it cannot be matched (it would match every event).`,
        'Search for a word, number, IP, ARN or id; to match a column exactly use --where column=value.',
      );
    // `+e.id` keeps SQLite from looking each candidate up by id: it walks an index in time order instead.
    parts.push(`${search.walk ? '+e.id' : 'e.id'} IN (SELECT rowid FROM search.timeline_fts WHERE timeline_fts MATCH ?)`);
    params.push(plan.match);
    for (const s of plan.substrings) {
      parts.push(PHRASE_SQL);
      params.push(s, s);
    }
  }
  return { sql: parts.join(' AND '), params };
}

/** Keyset cursor on (ts, id): page N costs what page 1 costs. Newest-first cursors start with `n`. */
export const encodeCursor = (ts: number, id: number, newest = false): string => `${newest ? 'n' : ''}${ts}:${id}`;

export function decodeCursor(c: string, newest = false): [number, number] {
  const m = /^(n?)(-?\d+):(\d+)$/.exec(c);
  if (!m)
    throw new AppError(
      'invalid-input',
      'The timeline cursor is not valid.',
      'Start again from the first page: reload the timeline in the app, or run the command without --cursor.',
    );
  if ((m[1] === 'n') !== newest)
    throw new AppError(
      'invalid-input',
      `The cursor continues a ${m[1] ? 'newest' : 'oldest'}-first listing, not this one.`,
      'Give the same --sort as the page it came from.',
    );
  return [Number(m[2]), Number(m[3])];
}
