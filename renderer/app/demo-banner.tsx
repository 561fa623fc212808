import { useState } from 'react';
import { useCall } from '../lib/api';
import { Dialog } from '../components/dialog';
import { IdentitySetup } from '../features/identity/identity-setup';

/**
 * Shown while Lariat acts as the demo investigator (made by `lariat demo` in this data folder): that identity
 * is not a person and can sign only in the demo case, so the way to real work is one click away.
 */
export function DemoIdentityBanner() {
  const identity = useCall('getIdentity', {});
  const [creating, setCreating] = useState(false);
  if (!identity.data?.demo) return null;
  return (
    <div className="demo-banner" role="status" aria-label="Acting as the demo investigator">
      <span className="grow">
        Lariat is acting as <strong>{identity.data.name}</strong>, who can only work in the demo case. Create your own identity before
        working on a real case.
      </span>
      <button type="button" className="btn btn-primary btn-xs" onClick={() => setCreating(true)}>
        Create my identity…
      </button>
      <Dialog open={creating} title="Who is investigating?" onClose={() => setCreating(false)}>
        <IdentitySetup embedded onDone={() => setCreating(false)} />
      </Dialog>
    </div>
  );
}
