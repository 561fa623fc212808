import type { CaseRecord } from '../../../common/contract/cases';
import { useCall } from '../../lib/api';
import { caseTabPath } from '../../lib/router';

/** Containment (assets and their isolation state); other features add their panels here as they land. */
export function OverviewPanels({ caseRecord }: { caseRecord: CaseRecord }) {
  const assets = useCall('listAssets', { caseNumber: caseRecord.number });
  return (
    <div className="card">
      <h2>Assets and containment</h2>
      {assets.data?.length === 0 && (
        <p className="muted small">
          No assets yet. Find the suspect instance in the <a href={`#${caseTabPath(caseRecord.number, 'assets')}`}>Assets</a> tab.
        </p>
      )}
      {assets.data && assets.data.length > 0 && (
        <table className="data-table" aria-label="Assets and containment">
          <thead>
            <tr>
              <th>Kind</th>
              <th>Identifier</th>
              <th>Label</th>
              <th>State</th>
            </tr>
          </thead>
          <tbody>
            {assets.data.map((a) => (
              <tr key={a.id}>
                <td>{a.kind}</td>
                <td className="mono">{a.identifier}</td>
                <td>{a.label}</td>
                <td>{typeof a.details.isolation === 'string' ? a.details.isolation : <span className="muted">not contained</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
