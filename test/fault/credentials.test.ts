import { faultSuite } from './suite';
import { credentialsFull, credentialsRelease, roleSessions, roleSessionsRelease } from './credential-cases';

faultSuite(credentialsFull);
faultSuite(credentialsRelease);
faultSuite(roleSessions);
faultSuite(roleSessionsRelease);
