import { useCall } from '../../lib/api';
import { caseTabPath } from '../../lib/router';
import { Time } from '../../components/time';

/** The last events the investigator flagged in the timeline. */
export function FlaggedEventsCard({ caseNumber }: { caseNumber: string }) {
  const page = useCall('queryTimeline', { caseNumber, flagged: true, limit: 8 });
  const events = page.data?.events ?? [];
  return (
    <div className="card" aria-label="Flagged events">
      <h2>Flagged events</h2>
      {events.length === 0 && (
        <p className="muted small">
          None yet. Flag events in the <a href={`#${caseTabPath(caseNumber, 'timeline')}`}>Timeline</a> to keep them here and in the report.
        </p>
      )}
      {events.length > 0 && (
        <table className="data-table" aria-label="Flagged events">
          <tbody>
            {events.map((e) => (
              <tr key={e.id}>
                <td className="nowrap">
                  <Time iso={e.time} />
                </td>
                <td>{e.source}</td>
                <td className="mono">{e.action}</td>
                <td className="mono small">{e.actor}</td>
                <td className="mono small">{e.sourceIp}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {events.length > 0 && (
        <a className="small" href={`#${caseTabPath(caseNumber, 'timeline')}?flagged=1`}>
          All flagged events
        </a>
      )}
    </div>
  );
}
