import type { Db } from '../db/database';
import { notFound } from '../core/errors';
import type { CaseDetections, CorrelationDetection, DetectionLevel, EventDetection } from '../../common/contract/detection';
import { LEVELS } from './engine/types';
import { RUN_BLOCK } from './store/hit-runs';

interface RuleRow {
  id: number;
  rule_id: string;
  title: string;
  level: DetectionLevel;
  author: string;
  tags: string;
  techniques: string;
  description: string;
  falsepositives: string;
  refs: string;
  origin: EventDetection['origin'];
}

const CURRENT_SCAN = "(SELECT s.id FROM detection_scans s WHERE s.case_id = ? AND s.state = 'current')";

const parse = (s: string): string[] => JSON.parse(s) as string[];

const toDetection = (r: RuleRow, correlationId: number | null): EventDetection => ({
  ruleId: r.rule_id,
  title: r.title,
  level: r.level,
  author: r.author,
  tags: parse(r.tags),
  techniques: parse(r.techniques),
  description: r.description,
  falsepositives: parse(r.falsepositives),
  references: parse(r.refs),
  origin: r.origin,
  correlationId,
});

/** The rules an event matched (in the case's current scan), then the correlation detections it belongs to. */
export function eventDetections(db: Db, caseId: number, eventId: number): EventDetection[] {
  const ok = db
    .prepare<[number, number], { id: number }>('SELECT id FROM timeline_events WHERE id = ? AND case_id = ?')
    .get(eventId, caseId);
  if (!ok) throw notFound('Event', eventId, 'List the timeline to see the event ids of this case.');
  const direct = db
    .prepare<[number, number, number, number, number], RuleRow>(
      // A run stays within one block of RUN_BLOCK ids: only runs starting that close before the event can hold it.
      `SELECT r.* FROM detection_hit_runs h JOIN detection_rules r ON r.id = h.rule
       WHERE h.scan_id = ${CURRENT_SCAN} AND h.first_event BETWEEN ? AND ? AND h.last_event >= ?
         AND EXISTS (SELECT 1 FROM json_each(h.events) j WHERE j.value = ?) ORDER BY r.title`,
    )
    .all(caseId, eventId - RUN_BLOCK + 1, eventId, eventId, eventId);
  const linked = db
    .prepare<[number, number], RuleRow & { correlation_id: number }>(
      `SELECT r.*, c.id AS correlation_id FROM detection_correlation_events ce JOIN detection_correlations c ON c.id = ce.correlation_id
       JOIN detection_rules r ON r.id = c.rule WHERE ce.event_id = ? AND c.scan_id = ${CURRENT_SCAN} ORDER BY c.first_ts`,
    )
    .all(eventId, caseId);
  return [...direct.map((r) => toDetection(r, null)), ...linked.map((r) => toDetection(r, r.correlation_id))];
}

/** Hit counts per rule (every version of a rule counted together) in a case's current scan. */
export function ruleCounts(db: Db, caseId: number): Map<string, number> {
  const rows = db
    .prepare<[number], { rule_id: string; n: number }>(
      `SELECT r.rule_id, sum(x.n) AS n FROM (SELECT h.rule, sum(h.n) AS n FROM detection_hit_runs h WHERE h.scan_id = ${CURRENT_SCAN} GROUP BY h.rule) x
       JOIN detection_rules r ON r.id = x.rule GROUP BY r.rule_id`,
    )
    .all(caseId);
  const out = new Map(rows.map((r) => [r.rule_id, r.n]));
  const corr = db
    .prepare<[number], { rule_id: string; n: number }>(
      `SELECT r.rule_id, count(*) AS n FROM detection_correlations c JOIN detection_rules r ON r.id = c.rule WHERE c.scan_id = ${CURRENT_SCAN} GROUP BY r.rule_id`,
    )
    .all(caseId);
  for (const r of corr) out.set(r.rule_id, (out.get(r.rule_id) ?? 0) + r.n);
  return out;
}

export function correlationDetections(db: Db, caseId: number): CorrelationDetection[] {
  const rows = db
    .prepare<[number], RuleRow & { cid: number; group_key: string; first_ts: number; last_ts: number; events: number }>(
      `SELECT r.*, c.id AS cid, c.group_key, c.first_ts, c.last_ts, c.events FROM detection_correlations c JOIN detection_rules r ON r.id = c.rule
       WHERE c.scan_id = ${CURRENT_SCAN} ORDER BY c.first_ts, c.id`,
    )
    .all(caseId);
  const ids = db.prepare<[number], { event_id: number }>(
    'SELECT event_id FROM detection_correlation_events WHERE correlation_id = ? ORDER BY event_id LIMIT 1000',
  );
  return rows.map((r) => ({
    id: r.cid,
    ruleId: r.rule_id,
    title: r.title,
    level: r.level,
    author: r.author,
    tags: parse(r.tags),
    techniques: parse(r.techniques),
    group: JSON.parse(r.group_key) as Record<string, string | null>,
    firstSeen: new Date(r.first_ts).toISOString(),
    lastSeen: new Date(r.last_ts).toISOString(),
    events: r.events,
    eventIds: ids.all(r.cid).map((x) => x.event_id),
  }));
}

/** Per-rule counts and correlations of a case; `supporting` rules (feeding correlations only) are marked. */
export function caseDetections(db: Db, caseId: number, caseNumber: string, supporting: ReadonlySet<string>): CaseDetections {
  const scan = db
    .prepare<[number], { kind: 'import' | 'rescan'; started_at: string; finished_at: string | null; rules: number }>(
      "SELECT kind, started_at, finished_at, rules FROM detection_scans WHERE case_id = ? AND state = 'current'",
    )
    .get(caseId);
  const counts = ruleCounts(db, caseId);
  const latest = db.prepare<[string], RuleRow>('SELECT * FROM detection_rules WHERE rule_id = ? ORDER BY id DESC LIMIT 1');
  const rules = [...counts.entries()]
    .map(([ruleId, count]) => {
      const r = latest.get(ruleId)!;
      return {
        ruleId,
        title: r.title,
        level: r.level,
        author: r.author,
        techniques: parse(r.techniques),
        count,
        supporting: supporting.has(ruleId),
      };
    })
    .sort((a, b) => LEVELS.indexOf(b.level) - LEVELS.indexOf(a.level) || b.count - a.count || a.title.localeCompare(b.title));
  return {
    caseNumber,
    scan: scan ? { kind: scan.kind, startedAt: scan.started_at, finishedAt: scan.finished_at, rules: scan.rules } : null,
    rules,
    correlations: correlationDetections(db, caseId),
  };
}

/** What the timeline query filters on (`lariat timeline --rule/--level/--technique`). */
export interface DetectionFilter {
  /** A rule id or Sigma name; `any` for any detection (supporting rules excluded). */
  rule?: string;
  /** Minimum level: `high` keeps high and critical. */
  level?: DetectionLevel;
  /** ATT&CK technique id; `T1078` also keeps its sub-techniques. GuardDuty findings mapped to it match too. */
  technique?: string;
}

/**
 * The SQL condition the timeline query adds for detection filters, over the
 * events table aliased `e`: `AND`-ed into its WHERE, with its parameters
 * appended in order. Returns null when no detection filter is set. The rule
 * lists are resolved here (a handful of ids), so the SQL stays one indexed
 * subquery on the case's current scan.
 */
export function detectionWhere(
  db: Db,
  caseId: number,
  f: DetectionFilter,
  extra: {
    supporting: ReadonlySet<string>;
    /** Ids and names of the rules the loaded files define (on or off); a rule neither here nor in the catalog is a mistake. */
    known?: ReadonlySet<string>;
    findingTypesFor: (technique: string) => string[];
  },
): { sql: string; params: (string | number)[] } | null {
  if (!f.rule && !f.level && !f.technique) return null;
  const rows = db.prepare<[], { id: number; rule_id: string; name: string | null; level: DetectionLevel; techniques: string }>(
    'SELECT id, rule_id, name, level, techniques FROM detection_rules',
  );
  const minLevel = f.level ? LEVELS.indexOf(f.level) : 0;
  const tech = f.technique?.toUpperCase();
  const all = rows.all();
  // A mistyped rule would otherwise read as "no events match": say so instead.
  if (f.rule && f.rule !== 'any' && !extra.known?.has(f.rule) && !all.some((r) => r.rule_id === f.rule || r.name === f.rule))
    throw notFound(
      'Detection rule',
      f.rule,
      'List the rules with `lariat rules list` (or the Rules tab) and give a rule id or name, or "any".',
    );
  const refs = all
    .filter(
      (r) =>
        (f.rule && f.rule !== 'any' ? r.rule_id === f.rule || r.name === f.rule : !extra.supporting.has(r.rule_id)) &&
        LEVELS.indexOf(r.level) >= minLevel &&
        (!tech || parse(r.techniques).some((t) => t === tech || t.startsWith(`${tech}.`))),
    )
    .map((r) => r.id);
  const parts: string[] = [];
  const params: (string | number)[] = [];
  if (refs.length) {
    parts.push(
      `e.id IN (SELECT h.event_id FROM detection_hits h WHERE h.scan_id = ${CURRENT_SCAN} AND h.rule IN (${refs.map(() => '?').join(',')}))`,
    );
    params.push(caseId, ...refs);
    parts.push(
      `e.id IN (SELECT ce.event_id FROM detection_correlations c JOIN detection_correlation_events ce ON ce.correlation_id = c.id
        WHERE c.scan_id = ${CURRENT_SCAN} AND c.rule IN (${refs.map(() => '?').join(',')}))`,
    );
    params.push(caseId, ...refs);
  }
  const types = tech && !f.rule && !f.level ? extra.findingTypesFor(tech) : [];
  if (types.length) {
    parts.push(`(e.source = 'guardduty' AND e.action IN (${types.map(() => '?').join(',')}))`);
    params.push(...types);
  }
  if (parts.length === 0) return { sql: '0', params: [] };
  return { sql: `(${parts.join(' OR ')})`, params };
}
