import { IdentityPanel } from '../identity/identity-panel';
import { TrustPanel } from '../custody/trust-panel';

/** Settings panels other features add: the investigator identity, the trusted keys, the AWS connection. */
export function SettingsExtras() {
  return (
    <>
      <IdentityPanel />
      <TrustPanel />
    </>
  );
}
