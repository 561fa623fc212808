import type { TabProps } from '../case/tab-types';
import { useCall } from '../../lib/api';
import { ErrorBox } from '../../components/error-box';
import { EmptyState } from '../../components/empty-state';
import type { AttackMatrix, AttackTechniqueCell } from '../../../common/contract/detection';
import { attackUrl, showFindingType, showTechniqueEvents } from './attack-links';
import { CaseDetectionsPanel } from './case-detections';
import './attack.css';

/**
 * The case's MITRE ATT&CK view: tactics as columns, each technique seen as a
 * cell with its event and finding counts (from rule hits, correlation
 * detections and GuardDuty finding types through the shipped mapping), each a
 * link to the filtered timeline or to the findings; then the detections.
 */
export function AttackTab({ caseRecord }: TabProps) {
  const caseNumber = caseRecord.number;
  const matrix = useCall('getAttackMatrix', { caseNumber });
  const m = matrix.data;
  const seen = m ? m.tactics.filter((t) => t.techniques.length > 0) : [];
  return (
    <div className="stack">
      <ErrorBox error={matrix.error} />
      {m && seen.length === 0 && (
        <EmptyState title="No ATT&CK technique seen yet">
          Import CloudTrail logs or GuardDuty findings: events matched by the detection rules and mapped findings appear here by tactic.
        </EmptyState>
      )}
      {m && seen.length > 0 && <Matrix caseNumber={caseNumber} matrix={m} />}
      <CaseDetectionsPanel caseNumber={caseNumber} />
      {m && (
        <p className="muted small">
          ATT&CK {m.attackVersion}. {m.terms}
        </p>
      )}
    </div>
  );
}

function Matrix({ caseNumber, matrix }: { caseNumber: string; matrix: AttackMatrix }) {
  // Every tactic of the matrix stays a column, in ATT&CK's order; empty ones are narrow.
  return (
    <div className="attack-matrix" role="table" aria-label="ATT&CK matrix">
      <div role="row" className="attack-row">
        {matrix.tactics.map((t) => (
          <div
            key={t.shortName}
            role="columnheader"
            className={`attack-tactic${t.techniques.length ? '' : ' empty'}`}
            title={t.id ?? t.name}
          >
            <strong>{t.name}</strong>
            <span className="muted small"> {t.techniques.length || ''}</span>
          </div>
        ))}
      </div>
      <div role="row" className="attack-row">
        {matrix.tactics.map((t) => (
          <div key={t.shortName} role="cell" className={`attack-col${t.techniques.length ? '' : ' empty'}`} aria-label={t.name}>
            {t.techniques.map((c) => (
              <TechniqueCell key={c.id} caseNumber={caseNumber} cell={c} />
            ))}
          </div>
        ))}
      </div>
    </div>
  );
}

function TechniqueCell({ caseNumber, cell }: { caseNumber: string; cell: AttackTechniqueCell }) {
  const rules = cell.rules.map((r) => `${r.title} (by ${r.author})`).join('\n');
  return (
    <div className="attack-cell" data-technique={cell.id}>
      <div className="row">
        <a href={attackUrl(cell.id)} target="_blank" rel="noreferrer" className="mono small" title="On attack.mitre.org">
          {cell.id}
        </a>
      </div>
      <div className="attack-name">{cell.known ? cell.name : <span className="muted">(not in the offline table)</span>}</div>
      {cell.events > 0 && (
        <button
          type="button"
          className="btn btn-xs"
          title={`Timeline events of ${cell.id}${rules ? `, matched by:\n${rules}` : ''}`}
          onClick={() => showTechniqueEvents(caseNumber, cell.id)}
        >
          {cell.events} event{cell.events === 1 ? '' : 's'} →
        </button>
      )}
      {cell.findings > 0 &&
        cell.findingTypes.map((type) => (
          <button
            key={type}
            type="button"
            className="btn btn-ghost btn-xs attack-finding"
            title={`GuardDuty finding type ${type}`}
            onClick={() => showFindingType(caseNumber, type)}
          >
            finding: {type.split('/').pop()} →
          </button>
        ))}
      {cell.findings > 0 && cell.events === 0 && (
        <button type="button" className="btn btn-ghost btn-xs" onClick={() => showTechniqueEvents(caseNumber, cell.id)}>
          {cell.findings} finding{cell.findings === 1 ? '' : 's'} in the timeline →
        </button>
      )}
    </div>
  );
}
