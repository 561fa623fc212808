import { useState, type FormEvent } from 'react';
import { useAction, useCall } from '../../lib/api';
import { ErrorBox } from '../../components/error-box';
import { Time } from '../../components/time';

/**
 * The case's AWS Incident Manager incident: its live status, or a form to
 * start one from a response plan or link an existing one. Each response
 * action that ends is added to the incident's timeline. Usable in Overview.
 */
export function IncidentCard({ caseNumber, regions, readOnly }: { caseNumber: string; regions: string[]; readOnly: boolean }) {
  const status = useCall('getIncidentStatus', { caseNumber });
  const link = useAction('linkIncident');
  const [arn, setArn] = useState('');
  const [region, setRegion] = useState(regions[0] ?? '');
  const s = status.data;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const v = arn.trim();
    link.mutate({ caseNumber, region: region.trim(), ...(v.includes(':response-plan/') ? { responsePlanArn: v } : { incidentArn: v }) });
  };
  return (
    <section className="card incident-card" aria-label="Incident Manager">
      <h2>Incident Manager</h2>
      {s?.linked ? (
        <div className="small">
          <div className="mono">{s.incidentArn}</div>
          {s.unavailable ? (
            <div className="muted">Status unavailable: {s.unavailable}</div>
          ) : (
            <div>
              <span className={`chip incident-${(s.status ?? 'unknown').toLowerCase()}`}>{s.status ?? 'unknown'}</span> impact{' '}
              {s.impact ?? '?'} · {s.title} · opened <Time iso={s.createdAt} />
              {s.resolvedAt && (
                <>
                  {' '}
                  · resolved <Time iso={s.resolvedAt} />
                </>
              )}
            </div>
          )}
          <div className="muted">Each response action is added to this incident's timeline when it ends.</div>
        </div>
      ) : readOnly ? (
        <p className="muted small">Not linked.</p>
      ) : (
        <form className="row wrap" onSubmit={submit}>
          <label className="field grow">
            <span>Response plan ARN (starts an incident) or incident ARN (links it)</span>
            <input
              className="mono"
              value={arn}
              onChange={(e) => setArn(e.target.value)}
              placeholder="arn:aws:ssm-incidents::123456789012:response-plan/ec2-compromise"
            />
          </label>
          <label className="field">
            <span>Region</span>
            <input className="mono" value={region} onChange={(e) => setRegion(e.target.value)} size={12} />
          </label>
          <button type="submit" className="btn" disabled={link.isPending || !arn.trim() || !region.trim()}>
            {arn.includes(':response-plan/') ? 'Start incident' : 'Link incident'}
          </button>
        </form>
      )}
      <ErrorBox error={link.error ?? status.error} />
    </section>
  );
}
