import { useCallback, useState } from 'react';
import { useCall } from '../../lib/api';
import { caseTabPath, navigate } from '../../lib/router';
import { useNewItemShortcut } from '../../lib/keyboard';
import { Dialog } from '../../components/dialog';
import { ErrorBox } from '../../components/error-box';
import { SeverityChip, StatusChip, TlpChip } from '../../components/chips';
import { Time } from '../../components/time';
import { formatAge } from '../../components/format';
import { NewCaseForm } from './new-case-form';
import { CaseListExtras, EmptyCaseListExtras } from './case-list-extras';
import { IndicatorSearch } from './indicator-search';

type Status = 'open' | 'contained' | 'eradicated' | 'recovered' | 'closed';
type Severity = 'low' | 'medium' | 'high' | 'critical';

/** All cases in this data folder, searchable and filterable. */
export function CaseList() {
  const [search, setSearch] = useState('');
  const [status, setStatus] = useState<Status | ''>('');
  const [severity, setSeverity] = useState<Severity | ''>('');
  const [creating, setCreating] = useState(false);
  const cases = useCall('listCases', { search: search || undefined, status: status || undefined, severity: severity || undefined });
  useNewItemShortcut(useCallback(() => setCreating(true), []));
  const filtered = !!(search || status || severity);

  return (
    <div className="page">
      <div className="row">
        <h1 className="grow">Cases</h1>
        <CaseListExtras />
        <button type="button" className="btn btn-primary" onClick={() => setCreating(true)}>
          New case <kbd>n</kbd>
        </button>
      </div>
      <div className="toolbar">
        <input
          data-search
          type="search"
          placeholder="Search cases  ( / )"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          aria-label="Search cases"
          style={{ width: 280 }}
        />
        <select value={status} onChange={(e) => setStatus(e.target.value as Status | '')} aria-label="Status filter">
          <option value="">Any status</option>
          {['open', 'contained', 'eradicated', 'recovered', 'closed'].map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
        <select value={severity} onChange={(e) => setSeverity(e.target.value as Severity | '')} aria-label="Severity filter">
          <option value="">Any severity</option>
          {['low', 'medium', 'high', 'critical'].map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
        <span className="muted small">{cases.data ? `${cases.data.length} case${cases.data.length === 1 ? '' : 's'}` : ''}</span>
      </div>
      <ErrorBox error={cases.error} />
      <IndicatorSearch value={search} />
      {cases.data && cases.data.length === 0 && !filtered && (
        <div className="empty-state">
          <h2>No cases yet</h2>
          <p className="muted">
            Open a case when an incident starts: press <kbd>n</kbd> or use New case. To see Lariat at work without AWS, load the demo case.
          </p>
          <div className="row" style={{ justifyContent: 'center' }}>
            <button type="button" className="btn btn-primary" onClick={() => setCreating(true)}>
              New case
            </button>
            <EmptyCaseListExtras />
          </div>
        </div>
      )}
      {cases.data && cases.data.length === 0 && filtered && <p className="muted">No case title or number matches these filters.</p>}
      {cases.data && cases.data.length > 0 && (
        <table className="data-table" aria-label="Cases">
          <thead>
            <tr>
              <th>Number</th>
              <th>Title</th>
              <th>Severity</th>
              <th>Status</th>
              <th>TLP</th>
              <th>Lead</th>
              <th className="right">Open tasks</th>
              <th>Opened</th>
            </tr>
          </thead>
          <tbody>
            {cases.data.map((c) => (
              <tr key={c.number} className="clickable" onClick={() => navigate(caseTabPath(c.number, 'overview'))}>
                <td className="mono nowrap">
                  <a href={`#${caseTabPath(c.number, 'overview')}`}>{c.number}</a>
                </td>
                <td>
                  {c.title}
                  {c.readOnly && <span className="muted small"> · received, read-only</span>}
                  {c.demo && <span className="muted small"> · demo data</span>}
                  {c.tags.length > 0 && <span className="muted small"> · {c.tags.join(', ')}</span>}
                </td>
                <td>
                  <SeverityChip severity={c.severity} />
                </td>
                <td>
                  <StatusChip status={c.status} />
                </td>
                <td>
                  <TlpChip tlp={c.tlp} />
                </td>
                <td>{c.lead}</td>
                <td className="right num">{c.openTasks}</td>
                <td className="nowrap">
                  <Time iso={c.openedAt} /> <span className="muted small">({formatAge(c.openedAt)})</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Dialog open={creating} title="New case" onClose={() => setCreating(false)}>
        <NewCaseForm onDone={() => setCreating(false)} />
      </Dialog>
    </div>
  );
}
