import type { Db } from '../../db/database';
import type { AttackMatrix, AttackTechniqueCell } from '../../../common/contract/detection';
import { ATTACK_TERMS, ATTACK_VERSION, TACTICS, technique } from './attack-data';
import { guardDutyAttack } from './guardduty-map';

const LINKS = 100;
const SCAN = "(SELECT id FROM detection_scans WHERE case_id = ? AND state = 'current')";

/**
 * The ATT&CK matrix of a case: each tactic a column, each technique seen a
 * cell, from the techniques tagged on the rules that matched (direct hits
 * and correlation detections) and from GuardDuty findings through the
 * shipped type mapping. A technique sits under every tactic ATT&CK lists for
 * it; one missing from the offline table sits under the tactics its rule named.
 */
export function attackMatrix(db: Db, caseId: number, caseNumber: string, supporting: ReadonlySet<string>): AttackMatrix {
  const cells = new Map<string, AttackTechniqueCell & { tactics: string[]; events_: Set<number>; findings_: Set<number> }>();
  const cell = (id: string, ruleTactics: string[]) => {
    let c = cells.get(id);
    if (!c) {
      const t = technique(id, ruleTactics);
      c = {
        id,
        name: t.name,
        known: t.known,
        events: 0,
        findings: 0,
        rules: [],
        findingTypes: [],
        eventIds: [],
        findingIds: [],
        tactics: t.tactics,
        events_: new Set(),
        findings_: new Set(),
      };
      cells.set(id, c);
    }
    return c;
  };
  const rules = db
    .prepare<[number, number], { rule_id: string; title: string; author: string; tags: string; techniques: string; event_id: number }>(
      `SELECT r.rule_id, r.title, r.author, r.tags, r.techniques, x.event_id FROM (
         SELECT h.rule, h.event_id FROM detection_hits h WHERE h.scan_id = ${SCAN}
         UNION ALL
         SELECT c.rule, ce.event_id FROM detection_correlations c JOIN detection_correlation_events ce ON ce.correlation_id = c.id WHERE c.scan_id = ${SCAN}
       ) x JOIN detection_rules r ON r.id = x.rule`,
    )
    .iterate(caseId, caseId);
  for (const r of rules) {
    if (supporting.has(r.rule_id)) continue;
    const techniques = JSON.parse(r.techniques) as string[];
    const tactics = (JSON.parse(r.tags) as string[]).filter((t) => /^attack\.[a-z-]+$/.test(t)).map((t) => t.slice(7));
    for (const id of techniques) {
      const c = cell(id, tactics);
      c.events_.add(r.event_id);
      if (!c.rules.some((x) => x.id === r.rule_id)) c.rules.push({ id: r.rule_id, title: r.title, author: r.author });
    }
  }
  const findings = db
    .prepare<[number], { id: number; type: string }>("SELECT id, type FROM findings WHERE case_id = ? AND source = 'guardduty'")
    .all(caseId);
  for (const f of findings) {
    const { techniques } = guardDutyAttack(f.type);
    for (const id of techniques) {
      const c = cell(id, []);
      c.findings_.add(f.id);
      if (!c.findingTypes.includes(f.type)) c.findingTypes.push(f.type);
    }
  }
  const done = [...cells.values()].map((c) => {
    const { events_, findings_, tactics, ...rest } = c;
    return {
      tactics,
      cell: {
        ...rest,
        events: events_.size,
        findings: findings_.size,
        eventIds: [...events_].sort((a, b) => a - b).slice(0, LINKS),
        findingIds: [...findings_].sort((a, b) => a - b).slice(0, LINKS),
      },
    };
  });
  const known = new Set(TACTICS.map((t) => t.shortName));
  const extra = [...new Set(done.flatMap((d) => d.tactics).filter((t) => !known.has(t)))].map((t) => ({
    id: null,
    shortName: t,
    name: t,
    known: false,
  }));
  return {
    caseNumber,
    attackVersion: ATTACK_VERSION,
    terms: ATTACK_TERMS,
    tactics: [...TACTICS, ...extra].map((t) => ({
      id: t.id,
      shortName: t.shortName,
      name: t.name,
      techniques: done
        .filter((d) => d.tactics.includes(t.shortName))
        .map((d) => d.cell)
        .sort((a, b) => a.id.localeCompare(b.id)),
    })),
  };
}
