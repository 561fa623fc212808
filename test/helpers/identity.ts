import type { Services } from '../../main/services';
import type { IdentityInfo } from '../../common/contract/custody';

/**
 * Makes sure the services have a current investigator identity (a key file in
 * the temp data folder), so tests of features that record evidence can sign
 * custody entries. Returns the current identity.
 */
export function ensureTestIdentity(services: Pick<Services, 'custody'>, name = 'Test Investigator'): IdentityInfo {
  return (
    services.custody.identity.current() ??
    services.custody.identity.create({ name, role: 'Analyst', organisation: 'Lariat tests', contact: 'tests@example.invalid' })
  );
}
