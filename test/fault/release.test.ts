import { faultSuite } from './suite';
import { releaseDetach, releaseStandby } from './cases';

faultSuite(releaseDetach);
faultSuite(releaseStandby);
