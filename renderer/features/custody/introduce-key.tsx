import { useState } from 'react';
import { useAction, useCall } from '../../lib/api';
import { ErrorBox } from '../../components/error-box';

/**
 * Vouching for a colleague's key in this case's ledger (a signed
 * `introduced` entry): the only way a key that is not a trust anchor comes to
 * be accepted as a signer of this ledger.
 */
export function IntroduceKey({ caseNumber }: { caseNumber: string }) {
  const introduce = useAction('introduceKey');
  const identities = useCall('listIdentities', {});
  const [key, setKey] = useState('');
  const others = identities.data?.filter((i) => !i.current) ?? [];
  if (others.length === 0) return null;
  return (
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
      <ErrorBox error={introduce.error} />
    </form>
  );
}
