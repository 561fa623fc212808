import { useState } from 'react';
import type { CaseRecord } from '../../../common/contract/cases';
import { useAction } from '../../lib/api';
import { SeverityChip, StatusChip, TlpChip } from '../../components/chips';
import { Time } from '../../components/time';
import { formatAge } from '../../components/format';
import { ErrorBox } from '../../components/error-box';
import { Dialog } from '../../components/dialog';
import { NewCaseForm } from '../cases/new-case-form';

const statuses = ['open', 'contained', 'eradicated', 'recovered', 'closed'] as const;

/** Case number, title, severity/status/TLP chips, lead and age; status changes in place. */
export function CaseHeader({ c }: { c: CaseRecord }) {
  const update = useAction('updateCase');
  const [editing, setEditing] = useState(false);
  const [editingDetails, setEditingDetails] = useState(false);
  return (
    <header className="case-header">
      <div className="row">
        <span className="mono muted">{c.number}</span>
        <h1 className="grow">{c.title}</h1>
        {c.readOnly ? (
          <span className="chip">read-only</span>
        ) : (
          <button type="button" className="btn btn-xs" onClick={() => setEditingDetails(true)}>
            Edit details
          </button>
        )}
      </div>
      <Dialog open={editingDetails} title={`Edit ${c.number}`} onClose={() => setEditingDetails(false)}>
        <NewCaseForm existing={c} onDone={() => setEditingDetails(false)} />
      </Dialog>
      <div className="row small" style={{ marginTop: 6, flexWrap: 'wrap' }}>
        <SeverityChip severity={c.severity} />
        {editing && !c.readOnly ? (
          <select
            autoFocus
            aria-label="Case status"
            value={c.status}
            onBlur={() => setEditing(false)}
            onChange={(e) => {
              update.mutate({ caseNumber: c.number, patch: { status: e.target.value as (typeof statuses)[number] } });
              setEditing(false);
            }}
          >
            {statuses.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        ) : (
          <button
            type="button"
            className="btn btn-ghost btn-xs"
            onClick={() => setEditing(true)}
            disabled={c.readOnly}
            title="Change status"
          >
            <StatusChip status={c.status} />
          </button>
        )}
        <TlpChip tlp={c.tlp} />
        {c.demo && (
          <span className="chip" title="Built from public sample data; the demo identity may sign only here">
            demo
          </span>
        )}
        <span className="muted">Lead: {c.lead || 'not set'}</span>
        <span className="muted">
          Opened <Time iso={c.openedAt} /> ({formatAge(c.openedAt)} ago)
        </span>
        {c.closedAt && (
          <span className="muted">
            Closed <Time iso={c.closedAt} />
          </span>
        )}
        {c.accounts.length > 0 && <span className="mono muted">{c.accounts.join(', ')}</span>}
        {c.regions.length > 0 && <span className="mono muted">{c.regions.join(', ')}</span>}
      </div>
      <ErrorBox error={update.error} />
    </header>
  );
}
