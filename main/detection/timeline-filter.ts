import type { DetectionCondition } from '../timeline/query';
import type { DetectionFeature } from './index';
import { detectionWhere } from './queries';
import { guardDutyTypesFor } from './attack/guardduty-map';

/**
 * The timeline's detection filters (`--rule`, `--level`, `--technique`) as
 * one SQL condition. Which rules only feed correlations (`generate: false`,
 * left out of "any detection" and of level/technique filters) depends on the
 * loaded rule files, so the set is computed once per rule settings (folders,
 * disabled ids) rather than on every page, count and histogram query.
 */
export function timelineDetectionCondition(d: DetectionFeature): DetectionCondition {
  let cached: { key: string; supporting: ReadonlySet<string>; known: ReadonlySet<string> } | null = null;
  const rules = () => {
    const key = JSON.stringify([d.service.folders(), d.service.disabledIds()]);
    if (cached?.key !== key) {
      const set = d.service.loadRules().set;
      // Ids and names of every rule the files define, switched on or off: a filter on one is never a typo.
      const known = new Set([...set.metas(), ...set.disabled].flatMap((m) => (m.name ? [m.id, m.name] : [m.id])));
      cached = { key, supporting: set.supporting, known };
    }
    return cached;
  };
  return (caseId, f) => {
    if (!f.rule && !f.level && !f.technique) return null;
    const { supporting, known } = rules();
    return detectionWhere(d.core.db, caseId, f, { supporting, known, findingTypesFor: guardDutyTypesFor });
  };
}
