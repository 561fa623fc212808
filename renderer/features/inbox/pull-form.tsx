import { useState, type FormEvent } from 'react';
import { useAction } from '../../lib/api';
import { ErrorBox } from '../../components/error-box';
import type { FindingSource } from '../../../common/contract/acquire';
import { JobLine, useJob } from '../acquire/use-job';
import { emptyPullForm, pullInput, type PullForm } from './pull-input';

const SEVERITIES = ['informational', 'low', 'medium', 'high', 'critical'] as const;

/**
 * Pulls GuardDuty and Security Hub findings from AWS into the inbox, filtered at the source (severity,
 * type, resource, time, regions, accounts). Triage states survive a new pull; the pull runs as a job.
 */
export function PullFindingsForm({ onEnd }: { onEnd(): void }) {
  const [f, setF] = useState<PullForm>(emptyPullForm());
  const [jobId, setJobId] = useState<string | null>(null);
  const pull = useAction('pullFindings', (r) => setJobId(r.jobId));
  const job = useJob(jobId, onEnd);
  const set = <K extends keyof PullForm>(k: K, v: PullForm[K]) => setF((prev) => ({ ...prev, [k]: v }));
  const toggle = (s: FindingSource, on: boolean) => set('sources', on ? [...new Set([...f.sources, s])] : f.sources.filter((x) => x !== s));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    pull.mutate(pullInput(f));
  };
  return (
    <form className="card stack" aria-label="Pull findings" onSubmit={submit}>
      <div className="acquire-fields">
        <label className="field">
          <span>Regions</span>
          <input value={f.regions} onChange={(e) => set('regions', e.target.value)} placeholder="eu-west-1, us-east-1" required />
        </label>
        <label className="field">
          <span>Minimum severity</span>
          <select value={f.severity} onChange={(e) => set('severity', e.target.value as PullForm['severity'])}>
            <option value="">Any</option>
            {SEVERITIES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Types (comma-separated)</span>
          <input value={f.types} onChange={(e) => set('types', e.target.value)} placeholder="UnauthorizedAccess:EC2/SSHBruteForce" />
        </label>
        <label className="field">
          <span>Resource</span>
          <input value={f.resource} onChange={(e) => set('resource', e.target.value)} placeholder="i-…, bucket, access key, ARN" />
        </label>
        <label className="field">
          <span>Updated from (UTC)</span>
          <input type="datetime-local" value={f.from} onChange={(e) => set('from', e.target.value)} />
        </label>
        <label className="field">
          <span>Updated to (UTC)</span>
          <input type="datetime-local" value={f.to} onChange={(e) => set('to', e.target.value)} />
        </label>
        <label className="field">
          <span>Accounts</span>
          <input value={f.accounts} onChange={(e) => set('accounts', e.target.value)} placeholder="the current account" />
        </label>
        <label className="field">
          <span>Role in other accounts</span>
          <input value={f.roleName} onChange={(e) => set('roleName', e.target.value)} placeholder="LariatResponder" />
        </label>
      </div>
      <div className="row small">
        <label>
          <input type="checkbox" checked={f.sources.includes('guardduty')} onChange={(e) => toggle('guardduty', e.target.checked)} />{' '}
          GuardDuty
        </label>
        <label>
          <input type="checkbox" checked={f.sources.includes('securityhub')} onChange={(e) => toggle('securityhub', e.target.checked)} />{' '}
          Security Hub
        </label>
        <label>
          <input type="checkbox" checked={f.organization} onChange={(e) => set('organization', e.target.checked)} /> Every account of the
          Organization
        </label>
        <span className="grow" />
        <button type="submit" className="btn btn-primary" disabled={pull.isPending || job?.state === 'running' || f.sources.length === 0}>
          Pull findings
        </button>
      </div>
      <ErrorBox error={pull.error} onDismiss={pull.reset} />
      <JobLine job={job} />
    </form>
  );
}
