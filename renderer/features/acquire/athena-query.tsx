import { useState, type FormEvent } from 'react';
import { useAction, useCall } from '../../lib/api';
import { ErrorBox } from '../../components/error-box';
import { formatBytes } from '../../components/format';
import type { AcquisitionSummary, AthenaQueryPlan } from '../../../common/contract/acquire';
import { athenaFigures } from './athena-figures';
import { formatUsd, lastDays, listOf, utcInstant } from './form-input';
import { JobLine, useJob } from './use-job';
import { TextField, WindowFields } from './fields';

/**
 * A playbook or own query over a set-up table: planned first with the bytes it may scan and the cost,
 * then run; the statistics after, and the results acquired as evidence (and timeline events when they are).
 */
export function AthenaQuery({ caseNumber, setups, onEnd }: { caseNumber: string; setups: AcquisitionSummary[]; onEnd(): void }) {
  const playbook = useCall('listAthenaPlaybook', {});
  const initial = lastDays(7);
  const [setupId, setSetupId] = useState<number | null>(null);
  const [query, setQuery] = useState('');
  const [sql, setSql] = useState('SELECT eventtime, eventname, useridentity.arn FROM {{table}} WHERE {{partitions}} LIMIT 100');
  const [params, setParams] = useState<Record<string, string>>({});
  const [from, setFrom] = useState(initial.from);
  const [to, setTo] = useState(initial.to);
  const [regions, setRegions] = useState('');
  const [fullScan, setFullScan] = useState(false);
  const [plan, setPlan] = useState<AthenaQueryPlan | null>(null);
  const [jobId, setJobId] = useState<string | null>(null);
  const planner = useAction('planAthenaQuery', setPlan);
  const run = useAction('runAcquisition', (r) => setJobId(r.jobId));
  const after = useAction('getAcquisition');
  const job = useJob(jobId, () => {
    if (plan) after.mutate({ acquisitionId: plan.acquisition.id });
    onEnd();
  });
  const chosen = playbook.data?.find((p) => p.id === query);
  const setup = setupId ?? setups[0]?.id ?? null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (setup == null) return;
    setPlan(null);
    setJobId(null);
    after.reset();
    planner.mutate({
      caseNumber,
      setupId: setup,
      ...(chosen ? { playbook: chosen.id, params: Object.fromEntries(chosen.params.map((p) => [p, params[p] ?? ''])) } : { sql }),
      window: { from: utcInstant(from), to: utcInstant(to) },
      regions: listOf(regions),
      fullScan: fullScan || undefined,
    });
  };
  const figures = after.data ? athenaFigures(after.data) : null;
  if (setups.length === 0)
    return (
      <section className="card" aria-label="Athena query">
        <h2>Athena query</h2>
        <p className="muted">Set up a table first (above); queries run over a finished setup.</p>
      </section>
    );
  return (
    <div className="stack">
      <form className="card stack" aria-label="Athena query" onSubmit={submit}>
        <h2>Athena query</h2>
        <div className="acquire-fields">
          <label className="field">
            <span>Table</span>
            <select value={setup ?? ''} onChange={(e) => setSetupId(Number(e.target.value))}>
              {setups.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.label}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>Query</span>
            <select value={query} onChange={(e) => setQuery(e.target.value)}>
              <option value="">My own SQL</option>
              {playbook.data?.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.title}
                </option>
              ))}
            </select>
          </label>
          {chosen?.params.map((p) => (
            <label key={p} className="field">
              <span>{p}</span>
              <input value={params[p] ?? ''} onChange={(e) => setParams({ ...params, [p]: e.target.value })} required />
            </label>
          ))}
          <WindowFields from={from} to={to} setFrom={setFrom} setTo={setTo} />
          <TextField label="Regions" value={regions} onChange={setRegions} placeholder="the setup's" />
        </div>
        {chosen ? (
          <p className="small muted">
            {chosen.source}. {chosen.events ? 'Rows are events: they enter the timeline.' : ''}
          </p>
        ) : (
          <label className="field">
            <span>
              SQL ({'{{table}}'} and {'{{partitions}}'} are filled in)
            </span>
            <textarea className="mono" rows={4} value={sql} onChange={(e) => setSql(e.target.value)} />
          </label>
        )}
        <label className="row small">
          <input type="checkbox" checked={fullScan} onChange={(e) => setFullScan(e.target.checked)} /> Allow a query that scans the whole
          table
        </label>
        <div className="row">
          <button type="submit" className="btn" disabled={planner.isPending}>
            Estimate cost
          </button>
        </div>
        <ErrorBox error={planner.error ?? playbook.error} onDismiss={planner.reset} />
      </form>
      {plan && (
        <section className="card stack" aria-label="Athena query plan">
          <pre className="mono small athena-sql">{plan.sql}</pre>
          <dl className="facts">
            <dt>Workgroup</dt>
            <dd>{plan.workgroup}</dd>
            <dt>May scan (estimate)</dt>
            <dd>
              {formatBytes(plan.estimatedBytes)} · {formatUsd(plan.estimatedCostUsd)} at ${plan.pricePerTbUsd}/TB
            </dd>
            {figures && (
              <>
                <dt>Scanned</dt>
                <dd>
                  <strong>{formatBytes(figures.bytesScanned)}</strong> · {formatUsd(figures.costUsd ?? 0)} (query{' '}
                  <span className="mono">{figures.queryExecutionId}</span>, {figures.state})
                </dd>
                <dt>Evidence</dt>
                <dd>{after.data?.evidenceIds.map((id) => `#${id}`).join(', ') || 'none'}</dd>
              </>
            )}
          </dl>
          <div className="row">
            <button
              type="button"
              className="btn btn-primary"
              disabled={run.isPending || Boolean(jobId)}
              onClick={() => run.mutate({ acquisitionId: plan.acquisition.id })}
            >
              Run query (about {formatUsd(plan.estimatedCostUsd)})
            </button>
          </div>
          <ErrorBox error={run.error ?? after.error} onDismiss={run.reset} />
          <JobLine job={job} />
        </section>
      )}
    </div>
  );
}
