import { IdentityPanel } from '../identity/identity-panel';

/** Settings panels other features add: the investigator identity, the AWS connection. */
export function SettingsExtras() {
  return <IdentityPanel />;
}
