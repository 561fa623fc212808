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
  let cached: { key: string; supporting: ReadonlySet<string> } | null = null;
  const supporting = (): ReadonlySet<string> => {
    const key = JSON.stringify([d.service.folders(), d.service.disabledIds()]);
    if (cached?.key !== key) cached = { key, supporting: d.service.loadRules().set.supporting };
    return cached.supporting;
  };
  return (caseId, f) => {
    if (!f.rule && !f.level && !f.technique) return null;
    return detectionWhere(d.core.db, caseId, f, { supporting: supporting(), findingTypesFor: guardDutyTypesFor });
  };
}
