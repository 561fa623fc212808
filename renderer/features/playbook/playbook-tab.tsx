import { useState } from 'react';
import { useOptimistic } from '../../lib/optimistic';
import type { TabProps } from '../case/tab-types';
import { useAction, useCall } from '../../lib/api';
import { caseTabPath, navigate } from '../../lib/router';
import { ErrorBox } from '../../components/error-box';
import { EmptyState } from '../../components/empty-state';
import type { PlaybookStep } from '../../../common/contract/plans';
import { RunbookPanel } from './runbook-panel';
import '../plans/plans.css';

/**
 * The playbook the case follows, phase by phase: each step is a case task
 * (tick it done) with a button to what it is bound to, already pre-filled,
 * or, when this build cannot do it, a manual task saying so and what to do.
 */
export function PlaybookTab({ caseRecord, query }: TabProps) {
  const n = caseRecord.number;
  const pb = useCall('getCasePlaybook', { caseNumber: n });
  const plans = useCall('listPlans', {});
  const apply = useAction('applyPlanToCase');
  const [choice, setChoice] = useState('');
  const p = pb.data;
  if (!p) return <ErrorBox error={pb.error} />;
  if (!p.plan)
    return (
      <div className="stack">
        <EmptyState title="This case follows no plan">
          Apply a playbook to get its steps as tasks, each bound to what Lariat can do.
        </EmptyState>
        {!caseRecord.readOnly && (
          <div className="row">
            <select value={choice} onChange={(e) => setChoice(e.target.value)} aria-label="Plan to apply">
              <option value="">Choose a plan…</option>
              {plans.data?.plans.map((x) => (
                <option key={x.name} value={x.name}>
                  {x.title}
                </option>
              ))}
            </select>
            <button
              type="button"
              className="btn btn-primary"
              disabled={!choice || apply.isPending}
              onClick={() => apply.mutate({ caseNumber: n, plan: choice })}
            >
              Apply plan
            </button>
          </div>
        )}
        <ErrorBox error={apply.error} />
        <RunbookPanel caseRecord={caseRecord} offered={[]} query={query} />
      </div>
    );
  const all = p.phases.flatMap((ph) => ph.steps);
  const done = all.filter((s) => s.taskStatus === 'done').length;
  return (
    <div className="stack">
      <div className="card">
        <div className="row">
          <h2 className="grow">{p.plan.title}</h2>
          <span className="muted small" role="status" aria-label="Playbook progress">
            {done}/{all.length} steps done
          </span>
        </div>
        <p className="small muted">
          Impact {p.plan.impact}: {p.plan.impactMeaning} · {p.plan.kind} {p.plan.name} ({p.plan.origin}), applied by {p.plan.appliedBy}
          {p.plan.references.map((r) => (
            <span key={r.url}>
              {' · '}
              {r.title}
            </span>
          ))}
        </p>
      </div>
      {p.phases.map((phase) => (
        <section key={phase.id} className="card phase" aria-label={phase.title}>
          <h3>{phase.title}</h3>
          {phase.steps.map((s) => (
            <Step key={s.id} step={s} caseNumber={n} readOnly={caseRecord.readOnly} />
          ))}
        </section>
      ))}
      {p.engagements.length > 0 && (
        <section className="card" aria-label="Engagements">
          <h3>Engagements</h3>
          <ul className="plain-list small">
            {p.engagements.map((c) => (
              <li key={c.alias}>
                <strong>{c.displayName ?? c.alias}</strong> ({c.type}):{' '}
                {c.type === 'escalation'
                  ? c.stages
                      .map((st, i) => `${i + 1}. ${st.targets.map((t) => t.contact).join(', ')} for ${st.durationMinutes} min`)
                      .join(' → ')
                  : c.channels.map((ch) => `${ch.type} ${ch.address}`).join(', ')}
              </li>
            ))}
          </ul>
        </section>
      )}
      <RunbookPanel caseRecord={caseRecord} offered={p.runbooks} query={query} />
    </div>
  );
}

function Step({ step, caseNumber, readOnly }: { step: PlaybookStep; caseNumber: string; readOnly: boolean }) {
  const update = useAction('updateTask');
  const note = useAction('addPlaybookNote');
  // Shown at once; the task is the truth once the refreshed playbook brings it (or the error says why not).
  const [isDone, setDone, clearDone] = useOptimistic(step.taskStatus === 'done');
  return (
    <div className={`step${isDone ? ' step-done' : ''}`} data-step={step.id}>
      <input
        type="checkbox"
        aria-label={`Done: ${step.title}`}
        checked={isDone}
        disabled={readOnly || step.taskId === null || update.isPending}
        onChange={(e) => {
          setDone(e.target.checked);
          update.mutate(
            { caseNumber, taskId: step.taskId!, patch: { status: e.target.checked ? 'done' : 'todo' } },
            { onError: clearDone },
          );
        }}
      />
      <div>
        <div className="step-title">{step.title}</div>
        {step.description && <div className="muted small">{step.description}</div>}
        {step.label && <div className="small muted">{step.label}</div>}
        {!step.availability.available && (
          <div className="small manual" role="note">
            Manual task: {step.availability.reason}
            {step.manual && <div>{step.manual}</div>}
          </div>
        )}
        <ErrorBox error={update.error ?? note.error} />
      </div>
      <div>
        {step.availability.available && step.target && (
          <button
            type="button"
            className="btn btn-xs"
            onClick={() => navigate(caseTabPath(caseNumber, step.target!.tab), step.target!.query)}
          >
            {buttonLabel(step)}
          </button>
        )}
        {step.availability.available && step.binding?.type === 'note' && !readOnly && (
          <button
            type="button"
            className="btn btn-xs"
            disabled={note.isPending}
            onClick={() => note.mutate({ caseNumber, stepId: step.id }, { onSuccess: () => navigate(caseTabPath(caseNumber, 'notes')) })}
          >
            {step.noteId ? 'Open note' : 'Write note'}
          </button>
        )}
      </div>
    </div>
  );
}

function buttonLabel(s: PlaybookStep): string {
  switch (s.binding?.type) {
    case 'response-action':
      return `Plan ${s.binding.action}…`;
    case 'timeline':
    case 'rule':
      return 'Show in timeline';
    case 'acquisition':
      return 'Acquire…';
    case 'runbook':
      return 'Runbook…';
    case 'incident':
      return s.binding.action === 'resolve' ? 'Resolve…' : 'Incident…';
    case 'analysis':
      return 'Open analysis';
    default:
      return 'Open';
  }
}
