import type { ReportDetections } from '../reports/report-data';
import type { DetectionFeature } from './index';
import { attackMatrix } from './attack/matrix';
import { TACTICS, technique } from './attack/attack-data';
import { correlationDetections } from './queries';

/** Rule hits the report lists at most (it says how many there were). */
const HIT_LIMIT = 2000;

interface HitRow {
  ts: number;
  time: string | null;
  action: string | null;
  actor: string | null;
  source_ip: string | null;
  rule_id: string;
  title: string;
  level: string;
  author: string;
  origin: string;
  tags: string;
  techniques: string;
}

type Hit = ReportDetections['byTactic'][number]['hits'][number];
type Group = Hit & { actors: Set<string>; ips: Set<string>; actions: Map<string, number> };

/** "AssumeRole ×3, ListBuckets, and 12 other actions": the actions a rule fired on, most frequent first. */
function actionsText(actions: Map<string, number>): string | null {
  const top = [...actions.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  if (top.length === 0) return null;
  const shown = top.slice(0, 3).map(([a, n]) => (n > 1 ? `${a} ×${n}` : a));
  return top.length > 3 ? `${shown.join(', ')} and ${top.length - 3} other actions` : shown.join(', ');
}

/** The tactics of a hit: the rule's `attack.<tactic>` tags, else those ATT&CK lists for its techniques, else "untagged". */
function tacticsOf(tags: string[], techniques: string[]): string[] {
  const tagged = tags.filter((t) => /^attack\.[a-z-]+$/.test(t)).map((t) => t.slice(7));
  if (tagged.length) return tagged;
  const fromTechniques = [...new Set(techniques.flatMap((t) => technique(t).tactics))];
  return fromTechniques.length ? fromTechniques : ['untagged'];
}

const tacticName = (shortName: string): string =>
  TACTICS.find((t) => t.shortName === shortName)?.name ?? (shortName === 'untagged' ? 'No ATT&CK tactic' : shortName);

/**
 * The report's ATT&CK section for one case: the matrix's techniques by tactic,
 * the rule hits of the current scan grouped by tactic in time order (the hits
 * of one rule are one row with a count, a time span and its commonest actions,
 * so a rule firing on hundreds of events stays a line), and the correlation detections. Rules that only feed correlations
 * are left out, as in the app.
 */
export function reportDetections(d: DetectionFeature, caseNumber: string): ReportDetections {
  const c = d.core.cases.require(caseNumber);
  const db = d.core.db;
  const supporting = d.service.loadRules().set.supporting;
  const matrix = attackMatrix(db, c.id, c.number, supporting);
  const total = db
    .prepare<[number], { rule_id: string; n: number }>(
      `SELECT r.rule_id, sum(h.n) AS n FROM detection_hit_runs h JOIN detection_rules r ON r.id = h.rule
       WHERE h.scan_id = (SELECT id FROM detection_scans WHERE case_id = ? AND state = 'current') GROUP BY r.rule_id`,
    )
    .all(c.id)
    .reduce((n, r) => n + (supporting.has(r.rule_id) ? 0 : r.n), 0);
  const rows = db
    .prepare<[number, number], HitRow>(
      `SELECT e.ts, e.time, e.action, e.actor, e.source_ip, r.rule_id, r.title, r.level, r.author, r.origin, r.tags, r.techniques
       FROM detection_hits h JOIN timeline_events e ON e.id = h.event_id JOIN detection_rules r ON r.id = h.rule
       WHERE h.scan_id = (SELECT id FROM detection_scans WHERE case_id = ? AND state = 'current')
       ORDER BY e.ts, e.id, r.title LIMIT ?`,
    )
    .all(c.id, HIT_LIMIT);
  // Per tactic, one row per rule: first and last time, how many hits, on which actions, who and from where.
  const byTactic = new Map<string, Map<string, Group>>();
  let listed = 0;
  for (const r of rows) {
    if (supporting.has(r.rule_id)) continue;
    listed += 1;
    const techniques = JSON.parse(r.techniques) as string[];
    for (const tactic of tacticsOf(JSON.parse(r.tags) as string[], techniques)) {
      const groups = byTactic.get(tactic) ?? new Map<string, Group>();
      const g = groups.get(r.rule_id);
      if (g) {
        g.count += 1;
        g.until = r.time;
        if (r.actor) g.actors.add(r.actor);
        if (r.source_ip) g.ips.add(r.source_ip);
        if (r.action) g.actions.set(r.action, (g.actions.get(r.action) ?? 0) + 1);
      } else {
        groups.set(r.rule_id, {
          time: r.time,
          until: null,
          count: 1,
          rule: r.title,
          level: r.level,
          author: r.author,
          origin: r.origin,
          techniques,
          action: r.action,
          actor: null,
          sourceIp: null,
          actors: new Set(r.actor ? [r.actor] : []),
          ips: new Set(r.source_ip ? [r.source_ip] : []),
          actions: new Map(r.action ? [[r.action, 1]] : []),
        });
      }
      byTactic.set(tactic, groups);
    }
  }
  const one = (values: Set<string>, what: string): string | null =>
    values.size === 0 ? null : values.size === 1 ? [...values][0]! : `${values.size} ${what}`;
  const hitsOf = (tactic: string): Hit[] =>
    [...byTactic.get(tactic)!.values()].map(({ actors, ips, actions, ...h }) => ({
      ...h,
      action: actionsText(actions),
      actor: one(actors, 'principals'),
      sourceIp: one(ips, 'addresses'),
    }));
  const order = [...TACTICS.map((t) => t.shortName), ...[...byTactic.keys()].filter((k) => !TACTICS.some((t) => t.shortName === k)).sort()];
  return {
    attackVersion: matrix.attackVersion,
    terms: matrix.terms,
    tactics: matrix.tactics
      .filter((t) => t.techniques.length > 0)
      .map((t) => ({
        tactic: t.name,
        techniques: t.techniques.map((x) => ({
          id: x.id,
          name: x.name,
          events: x.events,
          findings: x.findings,
          rules: x.rules.map((r) => `${r.title} (${r.author})`),
          findingTypes: x.findingTypes,
        })),
      })),
    byTactic: order.filter((t) => byTactic.has(t)).map((t) => ({ tactic: tacticName(t), hits: hitsOf(t) })),
    correlations: correlationDetections(db, c.id).map((x) => ({
      title: x.title,
      level: x.level,
      author: x.author,
      group: Object.entries(x.group)
        .map(([k, v]) => `${k} ${v ?? '(none)'}`)
        .join(', '),
      firstSeen: x.firstSeen,
      lastSeen: x.lastSeen,
      events: x.events,
    })),
    hits: total,
    listed,
  };
}
