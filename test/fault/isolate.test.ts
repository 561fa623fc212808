import { faultSuite } from './suite';
import { isolateFull, isolateMinimal, isolateStandby } from './cases';

faultSuite(isolateFull, [{ method: 'importBytes', count: 3 }]);
faultSuite(isolateStandby, [{ method: 'importBytes', count: 3 }]);
faultSuite(isolateMinimal, [{ method: 'importBytes', count: 1 }]);
