import type { Services } from '../services';
import type { HandlersFor } from '../ipc/handler-types';
import type { fromFindingContract } from '../../common/contract/response-from-finding';
import { suggestContainment } from './from-finding';
import { definedKinds } from './kinds';

/** containmentFromFinding: the inbox finding's resource → the containment that fits, pre-filled (the case must exist). */
export function fromFindingOperations(s: Services): HandlersFor<typeof fromFindingContract> {
  return {
    containmentFromFinding: (input) => {
      s.core.cases.get(input.caseNumber);
      const item = s.acquire.inbox.get(input.inboxId);
      const kinds = new Set(definedKinds());
      return suggestContainment(
        { source: item.source, region: item.region, raw: s.acquire.inbox.raw(input.inboxId) },
        input.caseNumber,
        (k) => kinds.has(k),
      );
    },
  };
}
