import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useCall } from '../../lib/api';
import { ErrorBox } from '../../components/error-box';
import { EmptyState } from '../../components/empty-state';
import type { FindingSeverity, FindingSource, TriageState } from '../../../common/contract/acquire';
import { PullFindingsForm } from './pull-form';
import { InboxRow } from './inbox-row';
import '../acquire/acquire.css';
import './inbox.css';

const STATE_VIEWS: { id: string; label: string; states: TriageState[] | undefined }[] = [
  { id: 'open', label: 'New and triaged', states: ['new', 'triaged'] },
  { id: 'new', label: 'New', states: ['new'] },
  { id: 'in-case', label: 'In a case', states: ['in-case'] },
  { id: 'dismissed', label: 'Dismissed', states: ['dismissed'] },
  { id: 'all', label: 'All', states: undefined },
];

/**
 * The findings inbox, outside any case: GuardDuty and Security Hub findings pulled from AWS, most severe
 * first, triaged locally (new, triaged, in a case, dismissed). A finding becomes a case, or joins one, in
 * one click; its JSON is acquired as evidence.
 */
export function InboxPage() {
  const client = useQueryClient();
  const [view, setView] = useState('open');
  const [severity, setSeverity] = useState<FindingSeverity | ''>('');
  const [source, setSource] = useState<FindingSource | ''>('');
  const [search, setSearch] = useState('');
  const [error, setError] = useState<Error | null>(null);
  const states = STATE_VIEWS.find((v) => v.id === view)?.states;
  const list = useCall('listInbox', {
    states,
    severity: severity || undefined,
    source: source || undefined,
    search: search.trim() || undefined,
  });
  const cases = useCall('listCases', {});
  const open = (cases.data ?? []).filter((c) => !c.readOnly && c.status !== 'closed').map((c) => ({ number: c.number, title: c.title }));
  return (
    <div className="page inbox stack">
      <h1>Findings inbox</h1>
      <PullFindingsForm onEnd={() => void client.invalidateQueries({ queryKey: ['listInbox'] })} />
      <div className="toolbar">
        <select aria-label="Triage state" value={view} onChange={(e) => setView(e.target.value)}>
          {STATE_VIEWS.map((v) => (
            <option key={v.id} value={v.id}>
              {v.label}
            </option>
          ))}
        </select>
        <select aria-label="Severity at least" value={severity} onChange={(e) => setSeverity(e.target.value as FindingSeverity | '')}>
          <option value="">Any severity</option>
          {(['critical', 'high', 'medium', 'low', 'informational'] as const).map((s) => (
            <option key={s} value={s}>
              {s} or above
            </option>
          ))}
        </select>
        <select aria-label="Source" value={source} onChange={(e) => setSource(e.target.value as FindingSource | '')}>
          <option value="">GuardDuty and Security Hub</option>
          <option value="guardduty">GuardDuty</option>
          <option value="securityhub">Security Hub</option>
        </select>
        <input
          aria-label="Search findings"
          placeholder="Search title, type, resource, account"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
      </div>
      <ErrorBox error={list.error ?? error} onDismiss={error ? () => setError(null) : undefined} />
      {list.data?.length === 0 && (
        <EmptyState title="No findings here">Pull findings from AWS above, or choose another triage state.</EmptyState>
      )}
      {list.data && list.data.length > 0 && (
        <div className="table-scroll">
          <table className="data-table inbox-table" aria-label="Inbox">
            <thead>
              <tr>
                <th>Severity</th>
                <th>Finding</th>
                <th>Resource</th>
                <th>Last seen</th>
                <th>State</th>
                <th>Actions</th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((item) => (
                <InboxRow key={item.id} item={item} cases={open} onError={setError} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
