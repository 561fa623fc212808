import { useEffect, useState, type FormEvent } from 'react';
import { useAction, useCall } from '../../lib/api';
import { ErrorBox } from '../../components/error-box';
import { Time } from '../../components/time';
import { IMPACT_MEANINGS } from '../../../common/contract/plan-schema';
import type { CaseRecord } from '../../../common/contract/cases';
import './plans.css';

const STATE_WORDS = {
  'not-linked': 'not linked',
  'in-sync': 'in sync',
  pending: 'changes waiting to be sent',
  degraded: 'sync failed; will retry',
} as const;

/**
 * The case's Incident Manager incident and the two-way sync: status and
 * impact, what is pending and why, engagements and pages, and the case's
 * resolution. Retries a failed sync on its own once the back-off has passed.
 */
export function IncidentSyncCard({ caseRecord }: { caseRecord: CaseRecord }) {
  const n = caseRecord.number;
  const view = useCall('getIncidentSync', { caseNumber: n });
  const sync = useAction('syncIncident');
  const start = useAction('startIncident');
  const impact = useAction('setIncidentImpact');
  const resolve = useAction('resolveIncident');
  const [planArn, setPlanArn] = useState('');
  const [region, setRegion] = useState(caseRecord.regions[0] ?? '');
  const [resolveIncident, setResolveIncident] = useState(true);
  const v = view.data;

  // Retry later without duplicating: the sync itself never sends an item twice. `mutate` is stable across renders.
  const retry = sync.mutate;
  const busy = sync.isPending;
  useEffect(() => {
    if (!v?.linked || caseRecord.readOnly || v.state === 'in-sync' || busy) return;
    const due = v.nextRetryAt;
    const t = setInterval(() => {
      if (!due || Date.parse(due) <= Date.now()) retry({ caseNumber: n });
    }, 30_000);
    return () => clearInterval(t);
  }, [v?.linked, v?.state, v?.nextRetryAt, caseRecord.readOnly, busy, n, retry]);

  const submitStart = (e: FormEvent) => {
    e.preventDefault();
    start.mutate({
      caseNumber: n,
      ...(region.trim() ? { region: region.trim() } : {}),
      ...(planArn.trim() ? { responsePlanArn: planArn.trim() } : {}),
    });
  };
  const closed = caseRecord.status === 'closed';

  return (
    <section className="card stack incident-card" aria-label="Incident Manager">
      <h2>Incident Manager</h2>
      {v?.linked ? (
        <div className="stack small">
          <div className="mono">{v.incidentArn}</div>
          <div className="row wrap">
            <span className={`chip incident-${(v.remoteStatus ?? 'unknown').toLowerCase()}`}>{v.remoteStatus ?? 'unknown'}</span>
            <label className="row">
              impact
              <select
                aria-label="Incident impact"
                value={v.localImpact ?? v.remoteImpact ?? 3}
                disabled={caseRecord.readOnly}
                onChange={(e) =>
                  impact.mutate({ caseNumber: n, impact: Number(e.target.value) }, { onSuccess: () => sync.mutate({ caseNumber: n }) })
                }
              >
                {[1, 2, 3, 4, 5].map((i) => (
                  <option key={i} value={i}>
                    {i}: {IMPACT_MEANINGS[i as keyof typeof IMPACT_MEANINGS].split(':')[0]}
                  </option>
                ))}
              </select>
            </label>
            <span>{v.title}</span>
          </div>
          <div role="status" aria-label="Sync state">
            Sync: <strong className={`sync-state-${v.state}`}>{STATE_WORDS[v.state]}</strong>
            {' · '}sent {v.sent.timelineEvents} events and {v.sent.relatedItems} related items, copied {v.pulledEvents} events from the
            incident
            {(v.pending.timelineEvents > 0 || v.pending.relatedItems > 0) && (
              <>
                {' · '}pending {v.pending.timelineEvents} events, {v.pending.relatedItems} related items
              </>
            )}
            {v.lastSuccessAt && (
              <>
                {' · '}last synced <Time iso={v.lastSuccessAt} />
              </>
            )}
          </div>
          {v.problem && (
            <div className="notice" role="alert">
              <strong>{v.problem.message}</strong> <span className="muted">(during {v.problem.stage})</span>
              <div className="muted">{v.problem.hint}</div>
              {v.nextRetryAt && (
                <div className="muted">
                  Retrying after <Time iso={v.nextRetryAt} />; nothing already sent is sent again.
                </div>
              )}
            </div>
          )}
          {v.engagements.length > 0 && (
            <ul className="plain-list">
              {v.engagements.map((e) => (
                <li key={e.engagementArn}>
                  Engaged <span className="mono">{e.contactArn.split('/').pop()}</span> at <Time iso={e.startTime} />:{' '}
                  {e.pages
                    .map((p) => `${p.contactArn.split('/').pop()} ${p.readTime ? 'read' : p.deliveryTime ? 'delivered' : 'sent'}`)
                    .join(', ') || 'no pages'}
                </li>
              ))}
            </ul>
          )}
          {v.chatChannel.length > 0 && <div className="muted">Chat channel: {v.chatChannel.join(', ')}</div>}
          {!caseRecord.readOnly && (
            <div className="row">
              <button type="button" className="btn btn-xs" disabled={sync.isPending} onClick={() => sync.mutate({ caseNumber: n })}>
                {sync.isPending ? 'Syncing…' : 'Sync now'}
              </button>
            </div>
          )}
        </div>
      ) : caseRecord.readOnly ? (
        <p className="muted small">Not linked.</p>
      ) : (
        <form className="stack" onSubmit={submitStart} aria-label="Start an incident">
          <p className="muted small">
            Not linked. Without Incident Manager the case works the same; with it, Lariat keeps both timelines in step.
          </p>
          <div className="row wrap">
            <label className="field grow">
              <span>Response plan ARN (empty: the one of the case's plan)</span>
              <input
                className="mono"
                value={planArn}
                onChange={(e) => setPlanArn(e.target.value)}
                placeholder="arn:aws:ssm-incidents::123456789012:response-plan/name"
              />
            </label>
            <label className="field">
              <span>Region</span>
              <input className="mono" value={region} onChange={(e) => setRegion(e.target.value)} size={12} />
            </label>
            <button type="submit" className="btn" disabled={start.isPending}>
              Start incident
            </button>
          </div>
        </form>
      )}
      {!caseRecord.readOnly && (
        <div className="row wrap small">
          {closed ? (
            <>
              <span className="ok">Case resolved (closed).</span>
              {v?.linked && v.localStatus !== 'RESOLVED' && (
                <button
                  type="button"
                  className="btn btn-xs"
                  disabled={resolve.isPending}
                  onClick={() => resolve.mutate({ caseNumber: n, resolveIncident: true })}
                >
                  Resolve the incident too
                </button>
              )}
            </>
          ) : (
            <>
              {v?.linked && (
                <label className="row">
                  <input type="checkbox" checked={resolveIncident} onChange={(e) => setResolveIncident(e.target.checked)} /> also resolve
                  the incident
                </label>
              )}
              <button
                type="button"
                className="btn btn-xs"
                disabled={resolve.isPending}
                onClick={() => resolve.mutate({ caseNumber: n, resolveIncident })}
              >
                Resolve case
              </button>
            </>
          )}
        </div>
      )}
      <ErrorBox error={start.error ?? sync.error ?? impact.error ?? resolve.error ?? view.error} />
    </section>
  );
}
