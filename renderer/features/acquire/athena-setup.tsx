import { useState, type FormEvent } from 'react';
import { useAction } from '../../lib/api';
import { ErrorBox } from '../../components/error-box';
import type { AthenaSetupPlan, LogKind } from '../../../common/contract/acquire';
import { listOf } from './form-input';
import { JobLine, useJob } from './use-job';
import { TextField, BucketLogFields } from './fields';

/**
 * An Athena database and partition-projected table over a trail or flow-log bucket, shown as a plan (the
 * exact statements) before anything is created in the account.
 */
export function AthenaSetup({ caseNumber, onEnd }: { caseNumber: string; onEnd(): void }) {
  const [source, setSource] = useState<'trail' | 'bucket'>('trail');
  const [name, setName] = useState('');
  const [prefix, setPrefix] = useState('');
  const [logKind, setLogKind] = useState<LogKind>('cloudtrail');
  const [accounts, setAccounts] = useState('');
  const [regions, setRegions] = useState('');
  const [workgroup, setWorkgroup] = useState('primary');
  const [output, setOutput] = useState('');
  const [plan, setPlan] = useState<AthenaSetupPlan | null>(null);
  const [jobId, setJobId] = useState<string | null>(null);
  const planner = useAction('planAthenaSetup', setPlan);
  const run = useAction('runAcquisition', (r) => setJobId(r.jobId));
  const job = useJob(jobId, onEnd);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setPlan(null);
    setJobId(null);
    planner.mutate({
      caseNumber,
      ...(source === 'trail' ? { trail: name.trim() } : { bucket: name.trim(), prefix: prefix.trim() || undefined, logKind }),
      accounts: listOf(accounts),
      regions: listOf(regions),
      workgroup: workgroup.trim() || undefined,
      outputLocation: output.trim() || undefined,
    });
  };
  return (
    <div className="stack">
      <form className="card stack" aria-label="Athena setup" onSubmit={submit}>
        <h2>Athena setup</h2>
        <p className="small muted">
          Plans a database and a partition-projected table (athena:StartQueryExecution with the DDL, glue:CreateDatabase, glue:CreateTable).
          Nothing is created until you run the plan.
        </p>
        <div className="acquire-fields">
          <label className="field">
            <span>Over</span>
            <select value={source} onChange={(e) => setSource(e.target.value as 'trail' | 'bucket')}>
              <option value="trail">A trail</option>
              <option value="bucket">A bucket and prefix</option>
            </select>
          </label>
          <label className="field">
            <span>{source === 'trail' ? 'Trail name or ARN' : 'Bucket'}</span>
            <input value={name} onChange={(e) => setName(e.target.value)} required />
          </label>
          {source === 'bucket' && (
            <>
              <BucketLogFields prefix={prefix} setPrefix={setPrefix} logKind={logKind} setLogKind={setLogKind} />
            </>
          )}
          <TextField label="Accounts" value={accounts} onChange={setAccounts} placeholder="the current account" />
          <TextField label="Regions" value={regions} onChange={setRegions} placeholder="the case's regions" />
          <TextField label="Workgroup" value={workgroup} onChange={setWorkgroup} />
          <TextField label="Result location" value={output} onChange={setOutput} placeholder="the workgroup's (s3://bucket/prefix/)" />
        </div>
        <div className="row">
          <button type="submit" className="btn" disabled={planner.isPending}>
            Plan setup
          </button>
        </div>
        <ErrorBox error={planner.error} onDismiss={planner.reset} />
      </form>
      {plan && (
        <section className="card stack" aria-label="Athena setup plan">
          <h2>
            {plan.database}.{plan.table} in {plan.region} ({plan.workgroup})
          </h2>
          <p className="small">
            Over <span className="mono">{plan.location}</span>; results to{' '}
            <span className="mono">{plan.outputLocation ?? "the workgroup's location"}</span>.
            {plan.exists && <strong> Already there with the same location: running the plan changes nothing.</strong>}
          </p>
          <ol className="stack">
            {plan.statements.map((s, i) => (
              <li key={i}>
                <pre className="mono small athena-sql">{s}</pre>
              </li>
            ))}
          </ol>
          <div className="row">
            <button
              type="button"
              className="btn btn-primary"
              disabled={run.isPending || Boolean(jobId)}
              onClick={() => run.mutate({ acquisitionId: plan.acquisition.id })}
            >
              Run {plan.statements.length} statement{plan.statements.length === 1 ? '' : 's'} in Athena
            </button>
          </div>
          <ErrorBox error={run.error} onDismiss={run.reset} />
          <JobLine job={job} />
        </section>
      )}
    </div>
  );
}
