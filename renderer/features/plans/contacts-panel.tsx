import { useState } from 'react';
import { useAction, useCall } from '../../lib/api';
import { ErrorBox } from '../../components/error-box';
import { EmptyState } from '../../components/empty-state';

/** Contacts and escalation plans: imported from ssm-contacts or named by plans. */
export function ContactsPanel() {
  const list = useCall('listContacts', {});
  const importContacts = useAction('importContacts');
  const [region, setRegion] = useState('');
  return (
    <div className="card stack">
      <div className="row wrap">
        <h2 className="grow">Contacts</h2>
        <input
          className="mono"
          value={region}
          onChange={(e) => setRegion(e.target.value)}
          placeholder="eu-west-1"
          aria-label="ssm-contacts region"
          size={12}
        />
        <button
          type="button"
          className="btn btn-xs"
          disabled={!region.trim() || importContacts.isPending}
          onClick={() => importContacts.mutate({ region: region.trim() })}
        >
          Import from ssm-contacts
        </button>
      </div>
      <ErrorBox error={importContacts.error ?? list.error} />
      {list.data?.length === 0 && (
        <EmptyState title="No contacts yet">Import them from ssm-contacts, or name them in a plan's engagements.</EmptyState>
      )}
      {list.data && list.data.length > 0 && (
        <table className="data-table" aria-label="Contacts">
          <thead>
            <tr>
              <th>Alias</th>
              <th>Type</th>
              <th>Channels or escalation stages</th>
              <th>Origin</th>
              <th>Used by</th>
            </tr>
          </thead>
          <tbody>
            {list.data.map((c) => (
              <tr key={c.contact.alias}>
                <td className="mono">{c.contact.alias}</td>
                <td>{c.contact.type}</td>
                <td className="small">
                  {c.contact.type === 'escalation'
                    ? c.contact.stages
                        .map((s, i) => `${i + 1}: ${s.targets.map((t) => t.contact).join(', ')} (${s.durationMinutes} min)`)
                        .join(' → ')
                    : c.contact.channels.map((ch) => `${ch.type} ${ch.address}`).join(', ')}
                </td>
                <td>{c.origin}</td>
                <td className="small">{c.usedBy.join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
