import { useState } from 'react';
import { useAction, useCall } from '../../lib/api';
import { ErrorBox } from '../../components/error-box';
import { Time } from '../../components/time';
import { CopyButton } from '../../components/copy-button';
import './custody.css';

/**
 * Settings panel: the keys this data folder's verifications trust by default
 * (your own, and colleagues' fingerprints you confirmed by another channel).
 * Someone who can write to the data folder can change this list too, so a
 * verification that must not depend on it is given fingerprints directly
 * (`lariat custody verify --trust`, `verify.sh --trust`).
 */
export function TrustPanel() {
  const list = useCall('listTrustedKeys', {});
  const add = useAction('trustKey');
  const remove = useAction('untrustKey');
  const [fingerprint, setFingerprint] = useState('');
  const [name, setName] = useState('');
  const identities = useCall('listIdentities', {});
  const valid = /^[0-9a-f]{64}$/.test(fingerprint.trim());
  const trusted = new Set(list.data?.map((k) => k.fingerprint));
  const known = identities.data?.filter((i) => !trusted.has(i.fingerprint)) ?? [];
  return (
    <section className="card stack" aria-label="Trusted keys">
      <h2>Trusted keys</h2>
      <p className="small muted">
        Custody verification accepts an entry only when its signer is one of these keys, or was introduced by one of them in a signed entry.
        Pin a colleague&apos;s fingerprint only after confirming it with them by phone or in person.
      </p>
      <ErrorBox error={list.error ?? add.error ?? remove.error} />
      {list.data && list.data.length > 0 && (
        <table className="data-table" aria-label="Trusted key list">
          <thead>
            <tr>
              <th>Name</th>
              <th>Fingerprint</th>
              <th>Why</th>
              <th>Since</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {list.data.map((k) => (
              <tr key={k.fingerprint}>
                <td>{k.name}</td>
                <td>
                  <span className="mono signer-fp">{k.fingerprint}</span> <CopyButton value={k.fingerprint} label="Copy fingerprint" />
                </td>
                <td>{k.source === 'own' ? 'your own key' : 'pinned'}</td>
                <td>
                  <Time iso={k.addedAt} />
                </td>
                <td>
                  <button
                    type="button"
                    className="btn btn-xs"
                    aria-label={`Remove ${k.name}`}
                    onClick={() => remove.mutate({ fingerprint: k.fingerprint })}
                  >
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {list.data?.length === 0 && (
        <p className="signer-warning">No key is trusted: every verification here will say &quot;not anchored&quot;.</p>
      )}
      {known.length > 0 && (
        <p className="small">
          Known here but not trusted:{' '}
          {known.map((i) => (
            <span key={i.fingerprint} className="known-key">
              {i.name} <span className="mono">{i.fingerprint.slice(0, 12)}…</span>{' '}
              <button
                type="button"
                className="btn btn-xs"
                aria-label={`Check and trust ${i.name}`}
                onClick={() => {
                  setFingerprint(i.fingerprint);
                  setName(i.name);
                }}
              >
                Check and trust
              </button>{' '}
            </span>
          ))}
        </p>
      )}
      <form
        className="row"
        aria-label="Pin a key"
        onSubmit={(e) => {
          e.preventDefault();
          add.mutate(
            { fingerprint: fingerprint.trim(), ...(name.trim() ? { name: name.trim() } : {}) },
            {
              onSuccess: () => {
                setFingerprint('');
                setName('');
              },
            },
          );
        }}
      >
        <input
          className="grow mono"
          placeholder="Key fingerprint (64 hex characters)"
          value={fingerprint}
          onChange={(e) => setFingerprint(e.target.value)}
          aria-label="Fingerprint to trust"
        />
        <input
          placeholder="Whose key"
          value={name}
          onChange={(e) => setName(e.target.value)}
          aria-label="Name of the key holder"
          maxLength={200}
        />
        <button type="submit" className="btn" disabled={!valid || add.isPending}>
          Trust this key
        </button>
      </form>
    </section>
  );
}
