import { IdentityPanel } from '../identity/identity-panel';
import { TrustPanel } from '../custody/trust-panel';
import { AnchorSettingsPanel } from '../custody/anchor-settings';
import { DetectionRulesPanel } from '../detection/rules-panel';

/** Settings panels other features add: the investigator identity, the trusted keys, the external anchors, the detection rules. */
export function SettingsExtras() {
  return (
    <>
      <IdentityPanel />
      <TrustPanel />
      <AnchorSettingsPanel />
      <DetectionRulesPanel />
    </>
  );
}
