import type { CaseRecord } from '../../../common/contract/cases';
import { useCall } from '../../lib/api';
import { caseTabPath } from '../../lib/router';
import { IncidentSyncCard } from '../plans/incident-sync-card';
import { CustodyStatusCard } from './custody-status-card';
import { FlaggedEventsCard } from './flagged-events-card';

/** What is contained and what is not, evidence and custody, the investigator's flags, Incident Manager. */
export function OverviewPanels({ caseRecord }: { caseRecord: CaseRecord }) {
  const assets = useCall('listAssets', { caseNumber: caseRecord.number });
  return (
    <>
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
                <th>Containment</th>
              </tr>
            </thead>
            <tbody>
              {assets.data.map((a) => (
                <tr key={a.id}>
                  <td>{a.kind}</td>
                  <td className="mono">{a.identifier}</td>
                  <td>{a.label}</td>
                  <td>{containment(a.kind, a.details)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      <div className="grid-2">
        <CustodyStatusCard caseNumber={caseRecord.number} />
        <IncidentSyncCard caseRecord={caseRecord} />
      </div>
      <FlaggedEventsCard caseNumber={caseRecord.number} />
    </>
  );
}

/** Instances carry their isolation state in details; other assets cannot be "contained" by Lariat. */
function containment(kind: string, details: Record<string, unknown>) {
  const state = details.isolation ?? details.isolationState;
  if (typeof state === 'string') return <span className={state === 'isolated' ? 'ok' : 'warn'}>{state}</span>;
  if (kind === 'ec2-instance') return <span className="danger">not isolated</span>;
  return <span className="muted">n/a</span>;
}
