import type { Services } from '../services';
import type { HandlersFor } from '../ipc/handler-types';
import type { runbooksContract } from '../../common/contract/runbooks';
import * as op from './operations';

/** Runbook channels: validated input into the one operation function each. */
export function runbooksHandlers(s: Services): HandlersFor<typeof runbooksContract> {
  const f = s.runbooks;
  return {
    listRunbooks: (input) => op.listRunbooks(f, input),
    describeRunbook: (input) => op.describeRunbook(f, input),
    planRunbook: (input) => op.planRunbook(f, input),
    startRunbook: (input) => {
      const { jobId, runId } = op.startRunbook(f, input);
      return { jobId, runId };
    },
    getRunbookRun: (input) => op.getRunbookRun(f, input),
    runbookStatus: (input) => op.runbookStatus(f, input),
    followRunbook: (input) => {
      const { jobId, runId } = op.followRunbook(f, input);
      return { jobId, runId };
    },
    stopRunbook: (input) => op.stopRunbook(f, input),
    discardRunbook: (input) => op.discardRunbook(f, input),
    listRunbookRuns: (input) => op.listRunbookRuns(f, input),
  };
}
