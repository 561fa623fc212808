import { IdentityPanel } from '../identity/identity-panel';
import { TrustPanel } from '../custody/trust-panel';
import { AnchorSettingsPanel } from '../custody/anchor-settings';

/** Settings panels other features add: the investigator identity, the trusted keys, the external anchors, the AWS connection. */
export function SettingsExtras() {
  return (
    <>
      <IdentityPanel />
      <TrustPanel />
      <AnchorSettingsPanel />
    </>
  );
}
