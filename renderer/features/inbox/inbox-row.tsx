import { useState } from 'react';
import { useAction } from '../../lib/api';
import { caseTabPath, navigate } from '../../lib/router';
import { SeverityChip } from '../../components/chips';
import { Time } from '../../components/time';
import type { InboxItem } from '../../../common/contract/acquire';
import type { CaseSummary } from './inbox-types';

const SOURCE = { guardduty: 'GuardDuty', securityhub: 'Security Hub' } as const;

/**
 * One finding of the inbox: local triage (never sent to AWS), and the one-click ways into a case. Opening
 * or attaching acquires the finding JSON as evidence with its custody entry, through the finding-to-case flow.
 */
export function InboxRow({ item, cases, onError }: { item: InboxItem; cases: CaseSummary[]; onError(e: Error | null): void }) {
  const [target, setTarget] = useState('');
  const triage = useAction('triageFinding');
  const openCase = useAction('openCaseFromInbox', (r) => navigate(caseTabPath(r.case.number, 'findings')));
  const attach = useAction('attachInboxFinding');
  const busy = triage.isPending || openCase.isPending || attach.isPending;
  const act = <T,>(p: Promise<T>) => {
    onError(null);
    p.catch((e: Error) => onError(e));
  };
  const setState = (state: 'new' | 'triaged' | 'dismissed') => act(triage.mutateAsync({ inboxId: item.id, state }));
  const open = cases.filter((c) => !item.cases.includes(c.number));
  return (
    <tr data-state={item.state} aria-label={item.title}>
      <td className="nowrap">
        <SeverityChip severity={item.severityLabel} /> <span className="num muted">{item.severityScore}</span>
      </td>
      <td>
        <div>{item.title}</div>
        <div className="small muted">
          {SOURCE[item.source]} · <span className="mono">{item.type}</span> · <span className="mono">{item.account}</span> {item.region}
          {item.updatedSinceTriage && <strong className="warn"> · changed in AWS since triage</strong>}
        </div>
      </td>
      <td className="mono small">{item.resource ?? ''}</td>
      <td className="small">
        <Time iso={item.lastSeen} />
      </td>
      <td>
        <span className={`chip triage-${item.state}`}>{item.state === 'in-case' ? `in ${item.cases.join(', ')}` : item.state}</span>
      </td>
      <td className="inbox-actions">
        {item.state !== 'triaged' && item.state !== 'in-case' && (
          <button type="button" className="btn btn-xs" disabled={busy} onClick={() => setState('triaged')}>
            Triaged
          </button>
        )}
        {item.state !== 'dismissed' && item.state !== 'in-case' && (
          <button type="button" className="btn btn-xs btn-ghost" disabled={busy} onClick={() => setState('dismissed')}>
            Dismiss
          </button>
        )}
        {(item.state === 'dismissed' || item.state === 'triaged') && (
          <button type="button" className="btn btn-xs btn-ghost" disabled={busy} onClick={() => setState('new')}>
            Back to new
          </button>
        )}
        <button
          type="button"
          className="btn btn-xs btn-primary"
          disabled={busy}
          onClick={() => act(openCase.mutateAsync({ inboxId: item.id }))}
        >
          Open case
        </button>
        {open.length > 0 && (
          <span className="row">
            <select aria-label={`Case for ${item.findingId}`} value={target} onChange={(e) => setTarget(e.target.value)}>
              <option value="">Attach to…</option>
              {open.map((c) => (
                <option key={c.number} value={c.number}>
                  {c.number} {c.title}
                </option>
              ))}
            </select>
            <button
              type="button"
              className="btn btn-xs"
              disabled={busy || !target}
              onClick={() => act(attach.mutateAsync({ inboxId: item.id, caseNumber: target }))}
            >
              Attach
            </button>
          </span>
        )}
      </td>
    </tr>
  );
}
