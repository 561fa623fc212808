import { useState } from 'react';
import { useAction, useCall } from '../../lib/api';
import { caseTabPath, navigate } from '../../lib/router';
import { ErrorBox } from '../../components/error-box';
import { SeverityChip } from '../../components/chips';
import type { CaseRecord } from '../../../common/contract/cases';
import { SOURCE_LABEL, findingKind } from './finding-kind';
import { ContainFromFinding } from './contain-from-finding';
import { rowOf, useEscapeToClose } from '../../lib/escape';

/** The response actions that start from a finding's instance; each opens the plan form filled in (nothing runs yet). */
const INSTANCE_ACTIONS = [
  { kind: 'isolate', label: 'Isolate…', className: 'btn btn-danger' },
  { kind: 'snapshot', label: 'Snapshot volumes…', className: 'btn' },
  { kind: 'memory', label: 'Acquire memory…', className: 'btn' },
] as const;

/**
 * One finding: what to do about its instance (isolate, snapshot, acquire memory: one click to the filled-in
 * plan), its resources and indicators, raw JSON, and the case actions (assets + IOCs, new case, attach).
 */
export function FindingDetailPanel({
  caseRecord,
  findingId,
  onClose,
  onTimeline,
}: {
  caseRecord: CaseRecord;
  findingId: number;
  onClose(): void;
  onTimeline(id: string): void;
}) {
  const caseNumber = caseRecord.number;
  const readOnly = caseRecord.readOnly;
  useEscapeToClose(onClose, () => rowOf('data-finding-id', findingId));
  const f = useCall('getFinding', { caseNumber, findingId });
  const cases = useCall('listCases', {});
  const addAssets = useAction('addFindingAssets');
  const newCase = useAction('caseFromFinding');
  const attach = useAction('attachFinding');
  const [target, setTarget] = useState('');
  const d = f.data;
  return (
    <aside className="finding-side" aria-label="Finding details">
      <div className="row">
        <strong className="grow">{d?.title ?? 'Finding'}</strong>
        <button type="button" className="btn btn-ghost btn-xs" onClick={onClose} aria-label="Close finding">
          Close
        </button>
      </div>
      <ErrorBox error={f.error ?? addAssets.error ?? newCase.error ?? attach.error} />
      {d && (
        <>
          <p className="small">
            <SeverityChip severity={d.severityLabel} /> {findingKind(d) === 'threat' ? 'Threat' : 'Compliance check'} ·{' '}
            {SOURCE_LABEL[d.source]} · <span className="mono">{d.type}</span> · account <span className="mono">{d.account ?? '—'}</span> ·{' '}
            <span className="mono">{d.region ?? '—'}</span>
          </p>
          {!readOnly &&
            d.resources
              .filter((r) => r.type === 'ec2-instance')
              .map((r) => (
                <div key={r.id} className="finding-respond" role="group" aria-label={`Respond on ${r.id}`}>
                  <div className="small">
                    Instance <span className="mono">{r.id}</span>
                    {d.region ? (
                      <>
                        {' '}
                        in <span className="mono">{d.region}</span>
                      </>
                    ) : null}
                  </div>
                  <div className="row wrap">
                    {INSTANCE_ACTIONS.map((a) => (
                      <button
                        key={a.kind}
                        type="button"
                        className={a.className}
                        onClick={() =>
                          navigate(caseTabPath(caseNumber, 'actions'), { kind: a.kind, instance: r.id, region: d.region ?? undefined })
                        }
                      >
                        {a.label}
                      </button>
                    ))}
                  </div>
                  <div className="small muted">Opens the plan with this instance filled in; nothing runs until you confirm.</div>
                </div>
              ))}
          {!readOnly && <ContainFromFinding caseNumber={caseNumber} findingId={findingId} />}
          <div className="row wrap">
            <button
              type="button"
              className="btn"
              disabled={readOnly || addAssets.isPending}
              onClick={() => addAssets.mutate({ caseNumber, findingId })}
            >
              Add assets &amp; IOCs
            </button>
            <button
              type="button"
              className="btn"
              onClick={() => newCase.mutate({ caseNumber, findingId }, { onSuccess: (c) => navigate(caseTabPath(c.number, 'overview')) })}
            >
              Open new case
            </button>
            <button type="button" className="btn btn-ghost" onClick={() => onTimeline(d.findingId)}>
              Show in timeline
            </button>
          </div>
          {addAssets.data && (
            <p className="ok small" role="status">
              Added {addAssets.data.assets} asset(s) and {addAssets.data.iocs} IOC(s).
            </p>
          )}
          <form
            className="row"
            onSubmit={(e) => (e.preventDefault(), target && attach.mutate({ caseNumber, findingId, targetCaseNumber: target }))}
          >
            <select value={target} onChange={(e) => setTarget(e.target.value)} aria-label="Attach to case">
              <option value="">Attach to case…</option>
              {cases.data
                ?.filter((c) => c.number !== caseNumber && !c.readOnly)
                .map((c) => (
                  <option key={c.number} value={c.number}>
                    {c.number} {c.title}
                  </option>
                ))}
            </select>
            <button type="submit" className="btn" disabled={!target || attach.isPending}>
              Attach
            </button>
          </form>
          {attach.data && (
            <p className="ok small" role="status">
              Attached; linked cases: {attach.data.linkedCases.join(', ')}.
            </p>
          )}
          <h3 className="small">Resources</h3>
          <ul className="plain-list small">
            {d.resources.map((r) => (
              <li key={`${r.type}:${r.id}`}>
                <span className="muted">{r.type}</span> <span className="mono">{r.id}</span>
              </li>
            ))}
          </ul>
          <h3 className="small">Indicators</h3>
          {d.indicators.length === 0 ? (
            <p className="muted small">None named in this finding.</p>
          ) : (
            <ul className="plain-list small">
              {d.indicators.map((i) => (
                <li key={`${i.type}:${i.value}`}>
                  <span className="muted">{i.type}</span> <span className="mono">{i.value}</span>
                </li>
              ))}
            </ul>
          )}
          <h3 className="small">Raw finding</h3>
          <pre className="mono small">{JSON.stringify(d.raw, null, 2)}</pre>
        </>
      )}
    </aside>
  );
}
