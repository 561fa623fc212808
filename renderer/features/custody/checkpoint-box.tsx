import { useState } from 'react';
import { useAction, useCall } from '../../lib/api';
import { CopyButton } from '../../components/copy-button';
import { ErrorBox } from '../../components/error-box';
import './custody.css';

/**
 * The ledger's signed checkpoint, to hand to someone outside the data folder
 * (a later verification with it proves no entry was removed or rewritten),
 * and the introduction of a colleague's key into this case's ledger.
 */
export function CheckpointBox({ caseNumber, writable }: { caseNumber: string; writable: boolean }) {
  const checkpoint = useAction('getCustodyCheckpoint');
  const introduce = useAction('introduceKey');
  const identities = useCall('listIdentities', {});
  const [key, setKey] = useState('');
  const others = identities.data?.filter((i) => !i.current) ?? [];
  return (
    <details className="card small">
      <summary>Checkpoint and keys</summary>
      <ErrorBox error={checkpoint.error ?? introduce.error} />
      <p className="muted">
        A checkpoint states, signed, which entry the ledger ended with. Give it to counsel or a colleague: verifying later with it proves
        the ledger still holds that entry unchanged.
      </p>
      <button type="button" className="btn btn-xs" onClick={() => checkpoint.mutate({ caseNumber })} disabled={checkpoint.isPending}>
        Sign a checkpoint now
      </button>
      {checkpoint.data && (
        <>
          <pre className="mono checkpoint-text" aria-label="Signed checkpoint">
            {checkpoint.data.text}
          </pre>
          <CopyButton value={checkpoint.data.text} label="Copy checkpoint" />
        </>
      )}
      {writable && others.length > 0 && (
        <form
          className="row"
          aria-label="Introduce a key"
          onSubmit={(e) => {
            e.preventDefault();
            introduce.mutate({ caseNumber, fingerprint: key });
          }}
        >
          <span className="muted">Vouch for a colleague&apos;s key in this ledger (signed):</span>
          <select value={key} onChange={(e) => setKey(e.target.value)} aria-label="Key to introduce">
            <option value="">choose…</option>
            {others.map((i) => (
              <option key={i.fingerprint} value={i.fingerprint}>
                {i.name} {i.fingerprint.slice(0, 12)}…
              </option>
            ))}
          </select>
          <button type="submit" className="btn btn-xs" disabled={!key || introduce.isPending}>
            Introduce
          </button>
          {introduce.data && <span>entry {introduce.data.seq} recorded</span>}
        </form>
      )}
    </details>
  );
}
