import { IdentityPanel } from '../identity/identity-panel';
import { TrustPanel } from '../custody/trust-panel';
import { DetectionRulesPanel } from '../detection/rules-panel';

/** Settings panels other features add: the investigator identity, the trusted keys, the AWS connection, the detection rules. */
export function SettingsExtras() {
  return (
    <>
      <IdentityPanel />
      <TrustPanel />
      <DetectionRulesPanel />
    </>
  );
}
