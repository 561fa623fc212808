import type { ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { changeQueue, useCall } from '../lib/api';
import { ErrorBox } from '../components/error-box';
import { IdentitySetup } from '../features/identity/identity-setup';

/**
 * First-run gate: until an investigator identity (name, role, organisation,
 * Ed25519 key) exists, nothing can be recorded in a custody ledger, so the
 * setup form comes first.
 */
export function Gate({ children }: { children: ReactNode }) {
  // While there is none, look again now and then: an identity made outside this window (`lariat identity init`
  // or `lariat demo` on the same data folder) is announced by no event.
  const identity = useCall('getIdentity', {}, { refetchInterval: (q) => (q.state.data === null ? 1500 : false) });
  const client = useQueryClient();
  if (identity.error) {
    return (
      <div className="page">
        <ErrorBox error={identity.error} />
      </div>
    );
  }
  if (identity.isPending) return <div className="page muted">Opening the case store…</div>;
  if (identity.data === null) {
    return <IdentitySetup onDone={() => changeQueue(client).push({ caseNumber: null, what: 'identity' })} />;
  }
  return <>{children}</>;
}
