import { useEffect, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { TabProps } from '../case/tab-types';
import { onEvent, useCall } from '../../lib/api';
import { EmptyState } from '../../components/empty-state';
import { ErrorBox } from '../../components/error-box';
import { Time } from '../../components/time';
import { PlanForm } from './plan-form';
import { ActionView } from './action-view';
import { StateChip } from './state-chip';
import { IncidentCard } from './incident-card';
import './actions.css';

/** Response actions of the case: plan (every AWS call shown), confirm by typing the instance id, follow live, resume. */
export function ActionsTab({ caseRecord, query }: TabProps) {
  const n = caseRecord.number;
  const client = useQueryClient();
  const list = useCall('listActions', { caseNumber: n });
  const [selected, setSelected] = useState<number | null>(query.get('action') ? Number(query.get('action')) : null);
  const [planning, setPlanning] = useState(Boolean(query.get('kind')));

  useEffect(
    () =>
      onEvent('actionChanged', (p) => {
        if (p.caseNumber !== n) return;
        void client.invalidateQueries({ queryKey: ['listActions'] });
        void client.invalidateQueries({ queryKey: ['getAction'] });
      }),
    [client, n],
  );

  return (
    <div className="actions-tab">
      <div className="toolbar">
        {!caseRecord.readOnly && (
          <button type="button" className="btn btn-primary" onClick={() => setPlanning(true)} aria-expanded={planning}>
            New plan…
          </button>
        )}
        <span className="muted small">
          Nothing runs until you have seen every AWS call and typed the target (instance id, user, role, bucket, function). Interrupted
          actions resume where they stopped.
        </span>
      </div>
      {planning && (
        <PlanForm
          caseRecord={caseRecord}
          query={query}
          initial={{
            kind: query.get('kind') ?? 'isolate',
            instance: query.get('instance') ?? '',
            // A finding names a user by userName or userArn (main/response/from-finding.ts); a playbook step by user.
            principal: ['accessKeyId', 'userName', 'userArn', 'user', 'role'].map((k) => query.get(k)).find(Boolean) ?? '',
            region: query.get('region') ?? caseRecord.regions[0] ?? '',
          }}
          onPlanned={(id) => {
            setPlanning(false);
            setSelected(id);
          }}
          onCancel={() => setPlanning(false)}
        />
      )}
      <ErrorBox error={list.error} />
      <IncidentCard caseNumber={n} regions={caseRecord.regions} readOnly={caseRecord.readOnly} />
      <div className="actions-layout">
        <nav aria-label="Response actions" className="actions-list">
          {list.data && list.data.length === 0 && !planning && (
            <EmptyState title="No response actions yet">
              Plan one with New plan…, from an instance in the Assets tab, or from a finding.
            </EmptyState>
          )}
          <ul className="plain-list">
            {(list.data ?? []).map((a) => (
              <li key={a.id}>
                <button
                  type="button"
                  className={`action-item${a.id === selected ? ' selected' : ''}`}
                  aria-current={a.id === selected}
                  onClick={() => setSelected(a.id)}
                >
                  <span className="row">
                    <strong>
                      #{a.id} {a.kind}
                    </strong>
                    <StateChip a={a} />
                  </span>
                  <span className="mono small">
                    {a.target.type === 'ec2-instance' ? '' : `${a.target.type} `}
                    {a.instanceId}
                    {a.releaseOf != null ? ` · releases #${a.releaseOf}` : ''}
                  </span>
                  <span className="muted small">
                    {a.stepsDone}/{a.stepsTotal} steps · <Time iso={a.createdAt} />
                  </span>
                </button>
              </li>
            ))}
          </ul>
        </nav>
        <section className="action-main">
          {selected != null ? (
            <ActionView actionId={selected} readOnly={caseRecord.readOnly} onSelect={setSelected} />
          ) : list.data?.length ? (
            <p className="muted">Select an action to see its steps.</p>
          ) : null}
        </section>
      </div>
    </div>
  );
}
