import { useState, type FormEvent } from 'react';
import { useAction } from '../../lib/api';
import { ErrorBox } from '../../components/error-box';
import { formatBytes } from '../../components/format';
import type { BucketPlan, LogKind } from '../../../common/contract/acquire';
import { lastDays, listOf, utcInstant } from './form-input';
import { JobLine, useJob } from './use-job';
import { TextField, WindowFields, BucketLogFields } from './fields';

/**
 * A trail's or a bucket's log objects for a window: listed first (count and size, nothing downloaded),
 * downloaded into the vault only when the investigator confirms that plan. The download is a job:
 * progress and Cancel here and in the jobs drawer; an interrupted one resumes from the acquisitions list.
 */
export function BucketForm({ caseNumber, regions, onEnd }: { caseNumber: string; regions: string[]; onEnd(): void }) {
  const initial = lastDays(1);
  const [source, setSource] = useState<'trail' | 'bucket'>('trail');
  const [name, setName] = useState('');
  const [prefix, setPrefix] = useState('');
  const [logKind, setLogKind] = useState<LogKind>('cloudtrail');
  const [accounts, setAccounts] = useState('');
  const [regionText, setRegionText] = useState(regions.join(', '));
  const [from, setFrom] = useState(initial.from);
  const [to, setTo] = useState(initial.to);
  const [digests, setDigests] = useState(true);
  const [plan, setPlan] = useState<BucketPlan | null>(null);
  const [jobId, setJobId] = useState<string | null>(null);
  const planner = useAction('planBucketAcquisition', (p) => setPlan(p));
  const run = useAction('runAcquisition', (r) => setJobId(r.jobId));
  const job = useJob(jobId, onEnd);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setPlan(null);
    setJobId(null);
    const trail = source === 'trail';
    planner.mutate({
      caseNumber,
      window: { from: utcInstant(from), to: utcInstant(to) },
      ...(trail ? { trail: name.trim() } : { bucket: name.trim(), prefix: prefix.trim() || undefined, logKind }),
      accounts: listOf(accounts),
      regions: listOf(regionText),
      digests: (trail || logKind === 'cloudtrail') && digests,
    });
  };
  const total = plan ? plan.logs.count + plan.digests.count : 0;
  return (
    <div className="stack">
      <form className="card stack" aria-label="Log bucket acquisition" onSubmit={submit}>
        <h2>Trail or log bucket</h2>
        <p className="small muted">
          Lists the objects of the window first (s3:ListBucket); nothing is downloaded until you confirm. Digest files and CloudTrail&apos;s
          public keys come too, for offline validation.
        </p>
        <div className="acquire-fields">
          <label className="field">
            <span>From</span>
            <select value={source} onChange={(e) => setSource(e.target.value as 'trail' | 'bucket')}>
              <option value="trail">A trail (its bucket from DescribeTrails)</option>
              <option value="bucket">A bucket and prefix</option>
            </select>
          </label>
          <label className="field">
            <span>{source === 'trail' ? 'Trail name or ARN' : 'Bucket'}</span>
            <input
              value={name}
              onChange={(e) => setName(e.target.value)}
              required
              placeholder={source === 'trail' ? 'management-events' : 'org-trail-logs'}
            />
          </label>
          {source === 'bucket' && (
            <>
              <BucketLogFields prefix={prefix} setPrefix={setPrefix} logKind={logKind} setLogKind={setLogKind} />
            </>
          )}
          <TextField label="Accounts" value={accounts} onChange={setAccounts} placeholder="every account in the bucket" />
          <TextField label="Regions" value={regionText} onChange={setRegionText} placeholder="the case's regions" />
          <WindowFields from={from} to={to} setFrom={setFrom} setTo={setTo} />
        </div>
        <label className="row small">
          <input type="checkbox" checked={digests} onChange={(e) => setDigests(e.target.checked)} /> Digest files and public keys
          (CloudTrail)
        </label>
        <div className="row">
          <button type="submit" className="btn" disabled={planner.isPending}>
            {planner.isPending ? 'Listing…' : 'List objects'}
          </button>
        </div>
        <ErrorBox error={planner.error} onDismiss={planner.reset} />
      </form>
      {plan && (
        <section className="card stack" aria-label="Acquisition plan">
          <h2>Plan: {plan.bucket}</h2>
          <dl className="facts">
            <dt>Prefix</dt>
            <dd className="mono">{plan.prefix || '(bucket root)'}</dd>
            <dt>Accounts</dt>
            <dd className="mono">{plan.accounts.join(', ') || 'none found'}</dd>
            <dt>Regions</dt>
            <dd className="mono">{plan.regions.join(', ') || 'none found'}</dd>
            <dt>Log files</dt>
            <dd>
              <strong>{plan.logs.count.toLocaleString('en-US')}</strong> ({formatBytes(plan.logs.bytes)})
            </dd>
            <dt>Digest files</dt>
            <dd>
              {plan.digests.count.toLocaleString('en-US')} ({formatBytes(plan.digests.bytes)})
            </dd>
            <dt>Public keys</dt>
            <dd>{plan.keyRegions.length ? plan.keyRegions.join(', ') : 'none'}</dd>
            <dt>Outside the window</dt>
            <dd>{plan.outsideWindow} (listed, not downloaded)</dd>
          </dl>
          <div className="row">
            <button
              type="button"
              className="btn btn-primary"
              disabled={total === 0 || run.isPending || Boolean(jobId)}
              onClick={() => run.mutate({ acquisitionId: plan.acquisition.id })}
            >
              Download {total.toLocaleString('en-US')} objects ({formatBytes(plan.logs.bytes + plan.digests.bytes)})
            </button>
            <button type="button" className="btn btn-ghost" onClick={() => setPlan(null)} disabled={Boolean(jobId)}>
              Discard plan
            </button>
          </div>
          <ErrorBox error={run.error} onDismiss={run.reset} />
          <JobLine job={job} />
        </section>
      )}
    </div>
  );
}
