import { useState } from 'react';
import { useAction, useCall } from '../../lib/api';
import { CopyButton } from '../../components/copy-button';
import { ErrorBox } from '../../components/error-box';
import { Time } from '../../components/time';
import type { IdentityInfo } from '../../../common/contract/custody';
import './identity.css';

const storage = (i: IdentityInfo) =>
  i.keyStorage === 'safe-storage'
    ? 'private key in the OS keychain'
    : i.keyStorage === 'key-file'
      ? 'private key in a 0600 key file'
      : 'public key only (signs elsewhere)';

/** Settings panel: the current identity, its public key to hand out, the other identities and counter-parties' keys. */
export function IdentityPanel() {
  const list = useCall('listIdentities', {});
  const use = useAction('useIdentity');
  const add = useAction('addPublicKey');
  const [pem, setPem] = useState('');
  const [name, setName] = useState('');
  const current = list.data?.find((i) => i.current);
  return (
    <section className="card stack" aria-label="Investigator identity">
      <h2>Investigator identity</h2>
      <ErrorBox error={list.error ?? use.error ?? add.error} />
      {current && (
        <>
          <dl className="facts">
            <dt>Name</dt>
            <dd>
              {current.name} {current.demo && <span className="chip">demo</span>}
            </dd>
            <dt>Role</dt>
            <dd>{current.role || '—'}</dd>
            <dt>Organisation</dt>
            <dd>{current.organisation || '—'}</dd>
            <dt>Contact</dt>
            <dd>{current.contact || '—'}</dd>
            <dt>Fingerprint</dt>
            <dd>
              <span className="mono">{current.fingerprint}</span> <CopyButton value={current.fingerprint} />
            </dd>
            <dt>Key</dt>
            <dd>{storage(current)}</dd>
          </dl>
          <details>
            <summary>Public key (PEM) to give to people who verify your custody records</summary>
            <pre className="mono identity-pem">{current.publicKeyPem}</pre>
            <CopyButton value={current.publicKeyPem} label="Copy public key" />
          </details>
        </>
      )}
      {list.data && list.data.length > 1 && (
        <table className="data-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Fingerprint</th>
              <th>Key</th>
              <th>Added</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {list.data.map((i) => (
              <tr key={i.fingerprint}>
                <td>{i.name}</td>
                <td className="mono">{i.fingerprint.slice(0, 16)}…</td>
                <td>{storage(i)}</td>
                <td>
                  <Time iso={i.createdAt} />
                </td>
                <td>
                  {i.current ? (
                    <span className="muted">current</span>
                  ) : i.keyStorage !== 'public-only' ? (
                    <button type="button" className="btn btn-xs" onClick={() => use.mutate({ fingerprint: i.fingerprint })}>
                      Act as
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <details>
        <summary>Add a colleague's public key (for transfers they sign on their own machine)</summary>
        <form
          className="stack"
          aria-label="Add public key"
          onSubmit={(e) => {
            e.preventDefault();
            add.mutate({ name, publicKeyPem: pem }, { onSuccess: () => (setPem(''), setName('')) });
          }}
        >
          <label className="field">
            <span>Name</span>
            <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} />
          </label>
          <label className="field">
            <span>Public key (PEM)</span>
            <textarea
              className="mono"
              rows={4}
              value={pem}
              onChange={(e) => setPem(e.target.value)}
              placeholder="-----BEGIN PUBLIC KEY-----"
              required
            />
          </label>
          <div className="row">
            <span className="grow" />
            <button type="submit" className="btn" disabled={add.isPending}>
              Add key
            </button>
          </div>
        </form>
      </details>
    </section>
  );
}
