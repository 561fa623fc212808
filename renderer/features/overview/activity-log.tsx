import { useCall } from '../../lib/api';
import { Time } from '../../components/time';

/** The case's full activity log: who changed what, when, with old and new values. */
export function ActivityLog({ caseNumber }: { caseNumber: string }) {
  const log = useCall('listActivity', { caseNumber, limit: 5000 });
  return (
    <table className="data-table" aria-label="Activity log">
      <thead>
        <tr>
          <th>Time (UTC)</th>
          <th>Who</th>
          <th>What</th>
          <th>Details</th>
        </tr>
      </thead>
      <tbody>
        {log.data?.map((a) => (
          <tr key={a.id}>
            <td className="nowrap">
              <Time iso={a.at} />
            </td>
            <td>{a.actor}</td>
            <td className="nowrap">
              {a.action} {a.entityId && <span className="mono muted">{a.entityId}</span>}
            </td>
            <td className="mono small">{Object.keys(a.details).length ? JSON.stringify(a.details) : ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
