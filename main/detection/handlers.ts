import type { Services } from '../services';
import type { HandlersFor } from '../ipc/handler-types';
import type { detectionContract } from '../../common/contract/detection';
import * as op from './operations';

/** Detection channels: parse (done by dispatch) and call the one operation function. */
export function detectionHandlers(s: Services): HandlersFor<typeof detectionContract> {
  const d = s.detection;
  return {
    listDetectionRules: (input) => op.listRules(d, input),
    setDetectionRuleEnabled: (input) => op.setRuleEnabled(d, input),
    setDetectionRuleFolders: (input) => op.setRuleFolders(d, input),
    // The app sends no field; the CLI's `--rules DIR` arrives as `extraFolders` through its extended schema.
    testDetectionRules: (input) => op.testRules(d, input),
    rescanCaseDetections: (input) => ({ jobId: op.rescanCase(d, input).jobId }),
    listCaseDetections: (input) => op.listCaseDetections(d, input),
    getEventDetections: (input) => op.getEventDetections(d, input),
    getAttackMatrix: (input) => op.getAttackMatrix(d, input),
    searchIndicator: (input) => op.searchIndicator(d, input),
  };
}
