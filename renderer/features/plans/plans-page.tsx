import { useState } from 'react';
import { useCall } from '../../lib/api';
import { ErrorBox } from '../../components/error-box';
import { EmptyState } from '../../components/empty-state';
import { PlanDetailView } from './plan-detail';
import { PlanImport } from './plan-import';
import { ContactsPanel } from './contacts-panel';
import { OpenIncidents } from './open-incidents';
import './plans.css';

/** Response plans and playbooks (shipped, the organisation's files, stored here), contacts, and open Incident Manager incidents. */
export function PlansPage() {
  const list = useCall('listPlans', {});
  const [selected, setSelected] = useState<string | null>(null);
  const [view, setView] = useState<'plans' | 'contacts' | 'incidents' | 'import'>('plans');
  const plans = list.data?.plans ?? [];
  const current = selected ?? plans[0]?.name ?? null;
  return (
    <div className="page stack">
      <div className="row">
        <h1 className="grow">Plans and playbooks</h1>
        <nav className="row" aria-label="Plans sections">
          {(['plans', 'contacts', 'incidents', 'import'] as const).map((v) => (
            <button
              key={v}
              type="button"
              className={`btn btn-xs${view === v ? ' btn-primary' : ''}`}
              aria-pressed={view === v}
              onClick={() => setView(v)}
            >
              {v === 'plans' ? 'Plans' : v === 'contacts' ? 'Contacts' : v === 'incidents' ? 'Open incidents' : 'Import…'}
            </button>
          ))}
        </nav>
      </div>
      <ErrorBox error={list.error} />
      {view === 'plans' && (
        <div className="plans-layout">
          <nav className="card plans-list" aria-label="Plans">
            {(['playbook', 'plan'] as const).map((kind) => (
              <div key={kind}>
                <h2>{kind === 'playbook' ? 'Playbooks' : 'Response plans'}</h2>
                {plans.filter((p) => p.kind === kind).length === 0 && <p className="muted small">None yet.</p>}
                <ul className="plain-list">
                  {plans
                    .filter((p) => p.kind === kind)
                    .map((p) => (
                      <li key={p.name}>
                        <button type="button" className="plan-item" aria-current={p.name === current} onClick={() => setSelected(p.name)}>
                          <strong>{p.title}</strong>
                          <span className="muted small">
                            {p.name} · {p.steps} steps · {p.origin}
                          </span>
                        </button>
                      </li>
                    ))}
                </ul>
              </div>
            ))}
            {list.data?.problems.map((p) => (
              <p key={p.file} className="small danger" role="status">
                Not loaded: {p.file} ({p.origin}): {p.message}
              </p>
            ))}
          </nav>
          <section aria-label="Plan">
            {current ? <PlanDetailView name={current} /> : <EmptyState title="No plans">Import one with Import…</EmptyState>}
          </section>
        </div>
      )}
      {view === 'contacts' && <ContactsPanel />}
      {view === 'incidents' && <OpenIncidents />}
      {view === 'import' && <PlanImport onImported={(name) => (setSelected(name), setView('plans'))} />}
    </div>
  );
}
