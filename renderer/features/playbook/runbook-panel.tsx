import { useEffect, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { onEvent, useAction, useCall } from '../../lib/api';
import { ErrorBox } from '../../components/error-box';
import { Time } from '../../components/time';
import type { CaseRecord } from '../../../common/contract/cases';
import type { RunbookRun } from '../../../common/contract/runbooks';

type Offered = { documentName: string; label: string | null; parameters: Record<string, string | number | boolean> };

function initialParams(query: URLSearchParams): Record<string, string> {
  try {
    const raw = JSON.parse(query.get('params') ?? '{}') as unknown;
    return raw && typeof raw === 'object' ? Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, String(v)])) : {};
  } catch {
    return {};
  }
}

/**
 * SSM Automation runbooks from the case: choose (offered by the plan, or any
 * runbook of the account), fill its parameters, see the exact start request,
 * type its name to start, follow every step live, stop it.
 */
export function RunbookPanel({ caseRecord, offered, query }: { caseRecord: CaseRecord; offered: Offered[]; query: URLSearchParams }) {
  const n = caseRecord.number;
  const client = useQueryClient();
  const runs = useCall('listRunbookRuns', { caseNumber: n });
  const [doc, setDoc] = useState(query.get('runbook') ?? '');
  const [region, setRegion] = useState(caseRecord.regions[0] ?? '');
  const [values, setValues] = useState<Record<string, string>>(() => initialParams(query));
  const [asked, setAsked] = useState<{ region: string; documentName: string } | null>(null);
  const detail = useCall('describeRunbook', asked ?? { region: 'us-east-1', documentName: 'xxx' }, { enabled: Boolean(asked) });
  const plan = useAction('planRunbook');

  useEffect(
    () => onEvent('runbookChanged', (p) => p.caseNumber === n && void client.invalidateQueries({ queryKey: ['listRunbookRuns'] })),
    [client, n],
  );

  const pick = (o: Offered) => {
    setDoc(o.documentName);
    setValues(Object.fromEntries(Object.entries(o.parameters).map(([k, v]) => [k, String(v)])));
  };

  return (
    <section className="card stack" aria-label="Runbooks">
      <h3>SSM Automation runbooks</h3>
      {offered.length > 0 && (
        <div className="row wrap small">
          Offered by the plan:
          {offered.map((o) => (
            <button key={o.documentName} type="button" className="btn btn-xs" onClick={() => pick(o)} title={o.label ?? undefined}>
              {o.documentName}
            </button>
          ))}
        </div>
      )}
      {!caseRecord.readOnly && (
        <form
          className="row wrap"
          aria-label="Choose a runbook"
          onSubmit={(e) => {
            e.preventDefault();
            setAsked({ region: region.trim(), documentName: doc.trim() });
          }}
        >
          <label className="field grow">
            <span>Runbook</span>
            <input className="mono" value={doc} onChange={(e) => setDoc(e.target.value)} placeholder="AWSSupport-ContainEC2Instance" />
          </label>
          <label className="field">
            <span>Region</span>
            <input className="mono" value={region} onChange={(e) => setRegion(e.target.value)} size={12} />
          </label>
          <button type="submit" className="btn btn-xs" disabled={!doc.trim() || !region.trim()}>
            Load parameters
          </button>
        </form>
      )}
      <ErrorBox error={detail.error} />
      {asked && detail.data && (
        <form
          className="stack"
          aria-label="Runbook parameters"
          onSubmit={(e) => {
            e.preventDefault();
            const parameters = Object.fromEntries(
              Object.entries(values)
                .filter(([, v]) => v.trim())
                .map(([k, v]) => [k, [v.trim()]]),
            );
            plan.mutate(
              { caseNumber: n, region: asked.region, documentName: detail.data.name, parameters },
              { onSuccess: () => setAsked(null) },
            );
          }}
        >
          <div className="small muted">{detail.data.description}</div>
          {detail.data.parameters.map((p) => (
            <label key={p.name} className="field">
              <span>
                {p.name}
                {p.required ? ' (required)' : ''} <span className="muted">{p.description}</span>
              </span>
              <input
                className="mono"
                value={values[p.name] ?? ''}
                placeholder={p.defaultValue ?? ''}
                onChange={(e) => setValues({ ...values, [p.name]: e.target.value })}
              />
            </label>
          ))}
          <button type="submit" className="btn" disabled={plan.isPending}>
            Plan run (nothing starts yet)
          </button>
        </form>
      )}
      <ErrorBox error={plan.error} />
      {runs.data?.map((r) => (
        <RunView key={r.id} run={r} readOnly={caseRecord.readOnly} />
      ))}
    </section>
  );
}

function RunView({ run, readOnly }: { run: RunbookRun; readOnly: boolean }) {
  const start = useAction('startRunbook');
  const stop = useAction('stopRunbook');
  const follow = useAction('followRunbook');
  const discard = useAction('discardRunbook');
  const [confirm, setConfirm] = useState('');
  const startable = run.state === 'planned' || (run.state === 'starting' && run.unfollowed) || (run.state === 'failed' && !run.executionId);
  return (
    <div className="stack small" aria-label={`Runbook run ${run.id}`}>
      <div className="row wrap">
        <strong>
          #{run.id} {run.documentName}
        </strong>
        <span className={`chip action-${run.state}`}>{run.state}</span>
        {run.awsStatus && <span className="muted">AWS: {run.awsStatus}</span>}
        {run.executionId && <span className="mono muted">{run.executionId}</span>}
        <Time iso={run.startedAt ?? run.createdAt} />
      </div>
      <div className="mono muted">
        ssm:StartAutomationExecution (IAM {run.iamAction}) {JSON.stringify(run.request)}
      </div>
      {run.steps.length > 0 && (
        <table className="data-table" aria-label={`Steps of run ${run.id}`}>
          <tbody>
            {run.steps.map((s) => (
              <tr key={s.stepExecutionId} data-step-status={s.status}>
                <td>{s.name}</td>
                <td className="muted">{s.action}</td>
                <td>{s.status}</td>
                <td className="muted">{s.failure}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {run.failure && <div className="danger">{run.failure}</div>}
      {run.evidenceIds.length > 0 && <div className="ok">Evidence recorded: {run.evidenceIds.map((i) => `#${i}`).join(', ')}</div>}
      {!readOnly && (
        <div className="row wrap">
          {startable && (
            <>
              <input
                className="mono"
                aria-label={`Type ${run.documentName} to start`}
                placeholder={`Type ${run.documentName} to start`}
                value={confirm}
                onChange={(e) => setConfirm(e.target.value)}
              />
              <button
                type="button"
                className="btn btn-primary btn-xs"
                disabled={confirm.trim() !== run.documentName || start.isPending}
                onClick={() => start.mutate({ runId: run.id, confirmDocumentName: confirm.trim() })}
              >
                Start runbook
              </button>
            </>
          )}
          {run.state === 'planned' && (
            <button type="button" className="btn btn-xs" onClick={() => discard.mutate({ runId: run.id })}>
              Discard
            </button>
          )}
          {run.state === 'running' && (
            <button type="button" className="btn btn-danger btn-xs" onClick={() => stop.mutate({ runId: run.id })}>
              Stop
            </button>
          )}
          {run.state === 'running' && run.unfollowed && (
            <button type="button" className="btn btn-xs" onClick={() => follow.mutate({ runId: run.id })}>
              Follow
            </button>
          )}
        </div>
      )}
      <ErrorBox
        error={
          start.error ??
          stop.error ??
          follow.error ??
          discard.error ??
          (run.error ? Object.assign(new Error(run.error.message), { hint: run.error.hint }) : null)
        }
      />
    </div>
  );
}
