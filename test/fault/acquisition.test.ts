import { faultSuite } from './suite';
import { memory, snapshotShareCopy } from './cases';

faultSuite(snapshotShareCopy, [
  { method: 'registerRemote', count: 2 },
  { method: 'recordCustody', count: 4 },
]);
faultSuite(memory, [{ method: 'registerRemote', count: 1 }]);
