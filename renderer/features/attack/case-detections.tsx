import { useCall } from '../../lib/api';
import { caseTabPath, navigate } from '../../lib/router';
import { ErrorBox } from '../../components/error-box';
import { Time } from '../../components/time';
import type { CorrelationDetection } from '../../../common/contract/detection';

/** A correlation's group-by values as one line: `sourceIPAddress 203.0.113.9`. */
const groupText = (g: CorrelationDetection['group']): string =>
  Object.entries(g)
    .map(([k, v]) => `${k} ${v ?? '(none)'}`)
    .join(', ');

/**
 * The case-level detections: correlation detections (each linking to its
 * events: the rule's events within its time window) and the hits per rule.
 * Every line names the rule's author (Detection Rule License 1.1).
 */
export function CaseDetectionsPanel({ caseNumber }: { caseNumber: string }) {
  const d = useCall('listCaseDetections', { caseNumber });
  const timeline = (query: Record<string, string>) => navigate(caseTabPath(caseNumber, 'timeline'), query);
  if (d.error) return <ErrorBox error={d.error} />;
  if (!d.data) return null;
  const rules = d.data.rules.filter((r) => !r.supporting);
  return (
    <>
      <div className="card stack">
        <h2>
          Correlation detections <span className="muted">({d.data.correlations.length})</span>
        </h2>
        {d.data.correlations.length === 0 && <p className="muted small">None in this case.</p>}
        {d.data.correlations.length > 0 && (
          <table className="data-table" aria-label="Correlation detections">
            <thead>
              <tr>
                <th>Level</th>
                <th>Detection</th>
                <th>For</th>
                <th>From</th>
                <th>To</th>
                <th className="right">Events</th>
              </tr>
            </thead>
            <tbody>
              {d.data.correlations.map((c) => (
                <tr key={c.id}>
                  <td>
                    <span className={`chip sev-${c.level}`}>{c.level}</span>
                  </td>
                  <td>
                    {c.title} <span className="muted small">· by {c.author}</span>
                  </td>
                  <td className="mono small">{groupText(c.group)}</td>
                  <td className="nowrap">
                    <Time iso={c.firstSeen} />
                  </td>
                  <td className="nowrap">
                    <Time iso={c.lastSeen} />
                  </td>
                  <td className="right">
                    <button
                      type="button"
                      className="btn btn-ghost btn-xs"
                      title={`The events of this detection (${c.title}) in the timeline`}
                      onClick={() => timeline({ rule: c.ruleId, from: c.firstSeen, to: c.lastSeen })}
                    >
                      {c.events} events →
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      <div className="card stack">
        <h2>
          Rules that matched <span className="muted">({rules.length})</span>
        </h2>
        {rules.length === 0 && <p className="muted small">No rule matched an event of this case.</p>}
        {rules.length > 0 && (
          <table className="data-table" aria-label="Rules that matched">
            <thead>
              <tr>
                <th>Level</th>
                <th>Rule</th>
                <th>Author</th>
                <th>ATT&CK</th>
                <th className="right">Hits</th>
              </tr>
            </thead>
            <tbody>
              {rules.map((r) => (
                <tr key={r.ruleId}>
                  <td>
                    <span className={`chip sev-${r.level}`}>{r.level}</span>
                  </td>
                  <td>{r.title}</td>
                  <td className="small">{r.author}</td>
                  <td className="mono small">{r.techniques.join(' ')}</td>
                  <td className="right">
                    <button
                      type="button"
                      className="btn btn-ghost btn-xs"
                      title={`The events ${r.title} matched, in the timeline`}
                      onClick={() => timeline({ rule: r.ruleId })}
                    >
                      {r.count} hits →
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </>
  );
}
