import { useState, type FormEvent } from 'react';
import { useAction, useCall } from '../../lib/api';
import { caseTabPath, navigate } from '../../lib/router';
import { ErrorBox } from '../../components/error-box';
import { SeverityChip, TlpChip } from '../../components/chips';
import { IMPACT_MEANINGS, PHASES } from '../../../common/contract/plan-schema';

/** One plan: incident defaults, engagements, steps by phase, and "start a case from it". */
export function PlanDetailView({ name }: { name: string }) {
  const plan = useCall('getPlan', { name });
  const exported = useCall('exportPlan', { name }, { enabled: false });
  const create = useAction('createCaseFromPlan');
  const [title, setTitle] = useState('');
  const [region, setRegion] = useState('');
  const p = plan.data?.plan;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(
      { plan: name, title: title.trim(), ...(region.trim() ? { regions: [region.trim()] } : {}) },
      { onSuccess: (c) => navigate(caseTabPath(c.number, 'playbook')) },
    );
  };
  if (!p) return <ErrorBox error={plan.error} />;
  return (
    <div className="stack">
      <div className="card stack">
        <div className="row">
          <h2 className="grow">{p.title}</h2>
          <span className="muted small">
            {p.kind} · {plan.data!.origin}
            {plan.data!.file ? ` · ${plan.data!.file}` : ''}
          </span>
        </div>
        {p.description && <p>{p.description}</p>}
        <div className="row wrap small">
          <span>
            Impact {p.incident.impact}: {IMPACT_MEANINGS[p.incident.impact as keyof typeof IMPACT_MEANINGS]}
          </span>
          <SeverityChip severity={p.incident.severity} />
          <TlpChip tlp={p.incident.tlp} />
          <span className="mono">title: {p.incident.titleTemplate}</span>
        </div>
        <form className="row wrap" onSubmit={submit} aria-label="Start a case from this plan">
          <label className="field grow">
            <span>Case title</span>
            <input value={title} onChange={(e) => setTitle(e.target.value)} placeholder="What happened, in a few words" />
          </label>
          <label className="field">
            <span>Region (optional)</span>
            <input className="mono" value={region} onChange={(e) => setRegion(e.target.value)} size={12} placeholder="eu-west-1" />
          </label>
          <button type="submit" className="btn btn-primary" disabled={!title.trim() || create.isPending}>
            Start a case from this {p.kind}
          </button>
        </form>
        <ErrorBox error={create.error} />
      </div>
      <div className="card">
        <h2>Steps</h2>
        {[...PHASES, { id: undefined, title: 'Other tasks' }].map((phase) => {
          const steps = p.tasks.filter((t) => t.phase === phase.id);
          if (!steps.length) return null;
          return (
            <div className="phase" key={phase.title}>
              <h3>{phase.title}</h3>
              <ul className="plain-list">
                {steps.map((t) => (
                  <li key={t.id}>
                    {t.title} {t.binding && <span className="muted small">[{t.binding.type}]</span>}
                  </li>
                ))}
              </ul>
            </div>
          );
        })}
      </div>
      {p.engagements.length > 0 && (
        <div className="card">
          <h2>Engagements</h2>
          <ul className="plain-list small">
            {p.engagements.map((c) => (
              <li key={c.alias}>
                <strong>{c.displayName ?? c.alias}</strong>{' '}
                {c.type === 'escalation'
                  ? c.stages
                      .map((s, i) => `stage ${i + 1} (${s.durationMinutes} min): ${s.targets.map((t) => t.contact).join(', ')}`)
                      .join(' → ')
                  : c.channels.map((ch) => `${ch.type} ${ch.address}`).join(', ')}
              </li>
            ))}
          </ul>
        </div>
      )}
      <div className="card stack">
        <div className="row">
          <h2 className="grow">Portable JSON</h2>
          <button type="button" className="btn btn-xs" onClick={() => void exported.refetch()}>
            Export JSON
          </button>
        </div>
        {exported.data && <textarea className="json-box" readOnly value={exported.data.json} aria-label="Plan JSON" />}
      </div>
    </div>
  );
}
