import type { Services } from '../services';
import type { HandlersFor } from '../ipc/handler-types';
import type { acquireContract } from '../../common/contract/acquire';
import * as ops from './operations';

/** Acquisition channels: each one parses nothing more and calls its operation. */
export function acquireHandlers(s: Services): HandlersFor<typeof acquireContract> {
  const d = s.acquire;
  return {
    acquireLookupEvents: (input) => ops.startLookupEvents(d, input),
    planBucketAcquisition: (input) => ops.planBucketAcquisition(d, input),
    runAcquisition: (input) => ops.startAcquisition(d, input.acquisitionId),
    listAcquisitions: (input) => ops.listAcquisitions(d, input.caseNumber),
    getAcquisition: (input) => ops.getAcquisition(d, input.acquisitionId),
    validateCloudTrail: (input) => ops.validateCloudTrail(d, input.caseNumber),
    pullFindings: (input) => ops.startPullFindings(d, input),
    listInbox: (input) => ops.listInbox(d, input),
    triageFinding: (input) => ops.triageFinding(d, input),
    openCaseFromInbox: (input) => ops.openCaseFromInbox(d, input),
    attachInboxFinding: (input) => ops.attachInboxFinding(d, input),
    listAwsAccounts: (input) => ops.listAwsAccounts(d, input),
    loggingCoverage: (input) => ops.loggingCoverage(d, input),
    planAthenaSetup: (input) => ops.planAthenaSetup(d, input),
    listAthenaPlaybook: () => ops.listAthenaPlaybook(),
    planAthenaQuery: (input) => ops.planAthenaQuery(d, input),
  };
}
