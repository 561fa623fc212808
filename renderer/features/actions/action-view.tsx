import { useState } from 'react';
import { useAction, useCall } from '../../lib/api';
import { useJobs } from '../jobs/jobs-drawer';
import { ErrorBox } from '../../components/error-box';
import { Progress } from '../../components/progress';
import { Time } from '../../components/time';
import type { StepRecord } from '../../../common/contract/response';
import { StateChip } from './state-chip';
import { ActionFollowUp } from './action-follow-up';

/** One action: every step with its exact AWS call, live state and retries; typed confirmation to run or resume. */
export function ActionView({ actionId, readOnly, onSelect }: { actionId: number; readOnly: boolean; onSelect?(id: number): void }) {
  const action = useCall('getAction', { actionId });
  const run = useAction('runAction');
  const discard = useAction('discardAction');
  const [confirm, setConfirm] = useState('');
  const jobs = useJobs();
  const a = action.data;
  if (action.error) return <ErrorBox error={action.error} />;
  if (!a) return <p className="muted">Loading…</p>;
  const job = jobs.find((j) => j.state === 'running' && j.kind === `response.${a.kind}` && j.label.includes(a.instanceId));
  const runnable = !readOnly && (a.state === 'planned' || a.state === 'failed' || a.interrupted) && !job && !a.runningElsewhere;
  const verb = a.state === 'planned' ? 'Run' : 'Resume';
  const matches = confirm.trim() === a.instanceId;
  const what = a.target.type === 'ec2-instance' ? 'instance id' : `${a.target.type.replace('-', ' ')} name`;
  return (
    <div className="stack action-view" aria-label={`Action ${a.id}`}>
      <div className="row">
        <h2 className="grow">
          #{a.id} {a.kind}
          {a.releaseOf != null ? ` of #${a.releaseOf}` : ''} <span className="mono">{a.instanceId}</span>{' '}
          <span className="muted small">
            {a.region}
            {a.account ? ` · ${a.account}` : ''}
          </span>
        </h2>
        <StateChip a={a} />
      </div>
      <p className="muted small">
        Planned by {a.actor} <Time iso={a.createdAt} />
        {a.startedAt && (
          <>
            {' '}
            · started <Time iso={a.startedAt} />
          </>
        )}
        {a.finishedAt && (
          <>
            {' '}
            · ended <Time iso={a.finishedAt} />
          </>
        )}{' '}
        · {a.stepsDone}/{a.stepsTotal} steps done
      </p>
      {job && (
        <div className="card">
          <div className="small">{job.message}</div>
          <Progress job={job} />
        </div>
      )}
      {a.error && a.state === 'failed' && (
        <div className="error-box" role="alert">
          <div>
            <strong>{a.error.message}</strong>
            <div className="muted">{a.error.hint}</div>
          </div>
        </div>
      )}
      {a.interrupted && (
        <div className="notice">
          This action was interrupted (Lariat closed or lost its connection mid-step). Resume it: succeeded steps are not repeated, and each
          step first checks whether its change is already in place.
        </div>
      )}
      {a.runningElsewhere && (
        <div className="notice" role="status">
          Running in another Lariat (pid {a.runningElsewhere.pid} on {a.runningElsewhere.host}, since{' '}
          <Time iso={a.runningElsewhere.since} />
          ). It can be resumed here only if that Lariat stops renewing its lease (after <Time iso={a.runningElsewhere.expiresAt} />
          ).
        </div>
      )}
      {a.warnings.length > 0 && (
        <div className="notice" aria-label="Plan warnings">
          <strong>Before you confirm:</strong>
          <ul>
            {a.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </div>
      )}
      <table className="data-table steps-table" aria-label="Plan steps">
        <thead>
          <tr>
            <th className="right">#</th>
            <th>Step and exact AWS call</th>
            <th>State</th>
            <th className="right">Attempts</th>
          </tr>
        </thead>
        <tbody>
          {a.steps.map((s) => (
            <StepRow key={s.index} s={s} />
          ))}
        </tbody>
      </table>
      <p className="muted small">
        {'{"$ref": "step.Path"}'} is a value from an earlier step's result; {'{"$now": …}'} is the time the step runs.
      </p>
      {runnable && (
        <form
          className="card confirm-form row wrap"
          onSubmit={(e) => {
            e.preventDefault();
            if (matches) run.mutate({ actionId: a.id, confirm: confirm.trim() }, { onSuccess: () => setConfirm('') });
          }}
        >
          <label className="field grow">
            <span>
              Type <strong className="mono">{a.instanceId}</strong> to {verb.toLowerCase()} {a.stepsTotal - a.stepsDone} step(s) against AWS
            </span>
            <input
              className="mono"
              value={confirm}
              onChange={(e) => setConfirm(e.target.value)}
              aria-label={`Confirm ${what}`}
              autoComplete="off"
              spellCheck={false}
            />
          </label>
          <button
            type="submit"
            className={`btn ${a.kind === 'isolate' ? 'btn-danger' : 'btn-primary'}`}
            disabled={!matches || run.isPending}
          >
            {verb} {a.kind}
          </button>
          {a.state === 'planned' && (
            <button type="button" className="btn" onClick={() => discard.mutate({ actionId: a.id })}>
              Discard plan
            </button>
          )}
        </form>
      )}
      <ActionFollowUp a={a} readOnly={readOnly} onReleasePlanned={onSelect} />
      <ErrorBox error={run.error ?? discard.error} />
    </div>
  );
}

const INLINE_MAX = 600;

/** The exact parameters, in full: inline when short, one click away when long (the memory script). */
function Params({ request }: { request: unknown }) {
  const compact = JSON.stringify(request);
  if (compact.length <= INLINE_MAX) return <code className="mono small params-inline">{compact}</code>;
  return (
    <details>
      <summary className="small">Parameters ({compact.length.toLocaleString('en-US')} characters, including the script)</summary>
      <pre className="mono params">{JSON.stringify(request, null, 2)}</pre>
    </details>
  );
}

function StepRow({ s }: { s: StepRecord }) {
  const detail = s.error ?? (s.result && s.state !== 'pending' ? s.result : null);
  const r = (s.result ?? {}) as { AlreadyInPlace?: boolean; EvidenceNotCaptured?: string };
  return (
    <tr data-step-state={s.state}>
      <td className="right num">{s.index + 1}</td>
      <td>
        <div>{s.title}</div>
        <div className="mono small">
          {s.service === 'lariat' ? 'local: record evidence' : `${s.service}:${s.operation}`} · {s.region} ·{' '}
          <span className="muted">IAM {s.iamAction}</span>
          {s.checks.length > 0 && <span className="muted"> · checks first: {s.checks.join(', ')}</span>}
        </div>
        {r.AlreadyInPlace && s.state === 'succeeded' && (
          <div className="small muted">Already in place: nothing was changed by this step.</div>
        )}
        {r.EvidenceNotCaptured && <div className="small warn">{r.EvidenceNotCaptured}</div>}
        <Params request={s.request} />
        {detail != null && (
          <details open={s.state === 'failed'}>
            <summary className="small">{s.error ? 'Error' : 'Result'}</summary>
            {s.error ? (
              <div className="small">
                <strong className="danger">{s.error.message}</strong>
                <div className="muted">{s.error.hint}</div>
                {s.result != null && <pre className="mono params">{JSON.stringify(s.result, null, 2)}</pre>}
              </div>
            ) : (
              <pre className="mono params">{JSON.stringify(detail, null, 2)}</pre>
            )}
          </details>
        )}
      </td>
      <td className="nowrap">
        <span className={`chip step-${s.state}`}>{s.state}</span>
      </td>
      <td className="right num">{s.attempts > 1 ? `${s.attempts} (${s.attempts - 1} retried)` : s.attempts}</td>
    </tr>
  );
}
