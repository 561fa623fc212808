import type { Services } from '../services';
import type { HandlersFor } from '../ipc/handler-types';
import type { plansContract } from '../../common/contract/plans';
import * as op from './operations';

/** Plans channels: validated input straight into the one operation function each. */
export function plansHandlers(s: Services): HandlersFor<typeof plansContract> {
  const f = s.plans;
  return {
    listPlans: () => op.listPlans(f),
    getPlan: (input) => op.getPlan(f, input),
    importPlan: (input) => op.importPlan(f, input),
    exportPlan: (input) => op.exportPlan(f, input),
    deletePlan: (input) => op.deletePlan(f, input),
    importResponsePlan: (input) => op.importResponsePlan(f, input),
    listContacts: () => op.listContacts(f),
    importContacts: (input) => op.importContacts(f, input),
    createCaseFromPlan: (input) => op.createCaseFromPlan(f, input),
    applyPlanToCase: (input) => op.applyPlanToCase(f, input),
    getCasePlaybook: (input) => op.getCasePlaybook(f, input),
    addPlaybookNote: (input) => op.addPlaybookNote(f, input),
  };
}
