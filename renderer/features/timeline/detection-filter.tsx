import { useState } from 'react';
import { useCall } from '../../lib/api';
import { useRoute } from '../../lib/router';
import type { DetectionLevel } from '../../../common/contract/detection';
import type { ViewFilter } from './filter-state';

const LEVELS: DetectionLevel[] = ['informational', 'low', 'medium', 'high', 'critical'];
const TECHNIQUE = /^T\d{4}(\.\d{3})?$/i;

/**
 * The timeline's detection filters: a rule that matched in this case (or any
 * detection), a minimum level, an ATT&CK technique. The rule list comes from
 * the case's own hits, so every choice finds events. The case is read from the
 * route (the filter bar does not carry it).
 */
export function DetectionFilter({ filter, onChange }: { filter: ViewFilter; onChange(f: ViewFilter): void }) {
  const caseNumber = useRoute().parts[1] ?? '';
  const detections = useCall('listCaseDetections', { caseNumber }, { enabled: caseNumber !== '' });
  const [technique, setTechnique] = useState('');
  const rules = detections.data?.rules.filter((r) => !r.supporting) ?? [];
  const techniques = [...new Set(rules.flatMap((r) => r.techniques))].sort();
  const current = rules.find((r) => r.ruleId === filter.rule);
  const setTech = (t: string) => onChange({ ...filter, technique: t || undefined });
  return (
    <>
      <select
        value={filter.rule ?? ''}
        onChange={(e) => onChange({ ...filter, rule: e.target.value || undefined })}
        aria-label="Detection rule"
        title={current ? `${current.title} (by ${current.author})` : 'Only events a detection rule matched'}
        style={{ maxWidth: 260 }}
      >
        <option value="">Any or no detection</option>
        <option value="any">Any detection</option>
        {filter.rule && filter.rule !== 'any' && !current && <option value={filter.rule}>{filter.rule}</option>}
        {rules.map((r) => (
          <option key={r.ruleId} value={r.ruleId}>
            [{r.level}] {r.title} ({r.count})
          </option>
        ))}
      </select>
      <select
        value={filter.level ?? ''}
        onChange={(e) => onChange({ ...filter, level: (e.target.value || undefined) as DetectionLevel | undefined })}
        aria-label="Minimum detection level"
      >
        <option value="">Any level</option>
        {LEVELS.map((l) => (
          <option key={l} value={l}>
            {l} and above
          </option>
        ))}
      </select>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          if (TECHNIQUE.test(technique.trim())) setTech(technique.trim().toUpperCase());
          setTechnique('');
        }}
      >
        <input
          list="tl-techniques"
          placeholder={filter.technique ?? 'ATT&CK T-id'}
          value={technique}
          onChange={(e) => setTechnique(e.target.value)}
          aria-label="ATT&CK technique"
          title="An ATT&CK technique id such as T1078 (keeps its sub-techniques); Enter to apply"
          style={{ width: 110 }}
        />
        <datalist id="tl-techniques">
          {techniques.map((t) => (
            <option key={t} value={t} />
          ))}
        </datalist>
      </form>
      {filter.technique && (
        <span className="tl-chip">
          Technique <span className="mono">{filter.technique}</span>
          <button type="button" className="btn btn-ghost btn-xs" aria-label="Remove technique filter" onClick={() => setTech('')}>
            ×
          </button>
        </span>
      )}
    </>
  );
}
