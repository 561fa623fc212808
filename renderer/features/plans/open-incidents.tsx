import { useState } from 'react';
import { useAction, useCall } from '../../lib/api';
import { caseTabPath, navigate } from '../../lib/router';
import { ErrorBox } from '../../components/error-box';
import { Time } from '../../components/time';

/** Open Incident Manager incidents (alarms included), each opened as a linked case in one click. */
export function OpenIncidents() {
  const [region, setRegion] = useState('');
  const [asked, setAsked] = useState('');
  const list = useCall('listOpenIncidents', { region: asked }, { enabled: Boolean(asked) });
  const open = useAction('openIncidentAsCase');
  return (
    <div className="card stack">
      <form
        className="row wrap"
        onSubmit={(e) => {
          e.preventDefault();
          setAsked(region.trim());
        }}
      >
        <h2 className="grow">Open incidents in Incident Manager</h2>
        <input
          className="mono"
          value={region}
          onChange={(e) => setRegion(e.target.value)}
          placeholder="eu-west-1"
          aria-label="Incident Manager region"
          size={12}
        />
        <button type="submit" className="btn btn-xs" disabled={!region.trim()}>
          List open incidents
        </button>
      </form>
      <p className="muted small">
        Without Incident Manager in the account, everything else in Lariat works; this list then says what is missing.
      </p>
      <ErrorBox error={list.error ?? open.error} />
      {list.data && list.data.length === 0 && <p className="muted">No open incidents in {asked}.</p>}
      {list.data && list.data.length > 0 && (
        <table className="data-table" aria-label="Open incidents">
          <thead>
            <tr>
              <th>Impact</th>
              <th>Title</th>
              <th>Started</th>
              <th>Source</th>
              <th>Case</th>
            </tr>
          </thead>
          <tbody>
            {list.data.map((i) => (
              <tr key={i.arn}>
                <td className="num">{i.impact ?? ''}</td>
                <td>
                  {i.title}
                  <div className="mono muted small">{i.arn}</div>
                </td>
                <td>
                  <Time iso={i.createdAt} />
                </td>
                <td className="small">{i.source}</td>
                <td>
                  {i.caseNumber ? (
                    <a href={`#${caseTabPath(i.caseNumber, 'overview')}`}>{i.caseNumber}</a>
                  ) : (
                    <button
                      type="button"
                      className="btn btn-xs"
                      disabled={open.isPending}
                      onClick={() =>
                        open.mutate(
                          { region: asked, incidentArn: i.arn },
                          { onSuccess: (c) => navigate(caseTabPath(c.number, 'overview')) },
                        )
                      }
                    >
                      Open as case
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
