import { useAction, useCall } from '../../lib/api';
import { ErrorBox } from '../../components/error-box';
import { Time } from '../../components/time';
import type { IocCandidate, TimelineColumn } from '../../../common/contract/timeline';

/** The timeline column each kind of candidate was read from (its pivot). */
const PIVOT: Record<IocCandidate['type'], TimelineColumn> = {
  ip: 'sourceIp',
  'access-key-id': 'accessKeyId',
  arn: 'actor',
  'user-agent': 'userAgent',
};
const TYPE_LABEL: Record<IocCandidate['type'], string> = {
  ip: 'IP',
  'access-key-id': 'Access key',
  arn: 'ARN',
  'user-agent': 'User agent',
};

/**
 * Values seen in the case's logs that may be indicators (source IPs, access keys, principals, user agents),
 * most frequent first, with first and last seen. They are not IOCs until the investigator adds one; sample
 * findings never contribute (main leaves them out).
 */
export function CandidatesPanel({
  caseNumber,
  readOnly,
  onPivot,
}: {
  caseNumber: string;
  readOnly: boolean;
  onPivot(c: TimelineColumn, v: string): void;
}) {
  const list = useCall('listIocCandidates', { caseNumber, limit: 100 });
  const promote = useAction('promoteCandidate');
  return (
    <section className="tl-candidates" aria-label="IOC candidates">
      <p className="small muted">
        Seen in this case&apos;s logs (sample findings excluded). Not indicators until you add them; “Add as IOC” records one.
      </p>
      <ErrorBox error={list.error ?? promote.error} />
      {list.data?.length === 0 && <p className="small muted">No candidates yet: import logs first.</p>}
      {list.data && list.data.length > 0 && (
        <table className="data-table small" aria-label="IOC candidates">
          <thead>
            <tr>
              <th scope="col">Type</th>
              <th scope="col">Value</th>
              <th scope="col">Events</th>
              <th scope="col">First seen</th>
              <th scope="col">Last seen</th>
              <th scope="col">IOC</th>
            </tr>
          </thead>
          <tbody>
            {list.data.map((c) => (
              <tr key={`${c.type} ${c.value}`}>
                <td>{TYPE_LABEL[c.type]}</td>
                <td className="mono tl-cand-value">
                  <button
                    type="button"
                    className="btn btn-ghost btn-xs"
                    title="Show these events"
                    onClick={() => onPivot(PIVOT[c.type], c.value)}
                  >
                    {c.value}
                  </button>
                </td>
                <td className="num">{c.count.toLocaleString('en-US')}</td>
                <td>
                  <Time iso={c.firstSeen} />
                </td>
                <td>
                  <Time iso={c.lastSeen} />
                </td>
                <td>
                  {c.promoted ? (
                    <span className="ok">IOC ✓</span>
                  ) : (
                    <button
                      type="button"
                      className="btn btn-xs"
                      disabled={readOnly || promote.isPending}
                      aria-label={`Add ${c.value} as IOC`}
                      onClick={() => promote.mutate({ caseNumber, type: c.type, value: c.value })}
                    >
                      Add as IOC
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
