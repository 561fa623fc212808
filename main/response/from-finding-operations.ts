import type { Services } from '../services';
import type { HandlersFor } from '../ipc/handler-types';
import type { fromFindingContract } from '../../common/contract/response-from-finding';
import { suggestContainment, type FindingFacts } from './from-finding';
import { definedKinds } from './kinds';

/** containmentFromFinding: the (inbox or case) finding's resource → the containment that fits, pre-filled (the case must exist). */
export function fromFindingOperations(s: Services): HandlersFor<typeof fromFindingContract> {
  return {
    containmentFromFinding: (input) => {
      s.core.cases.get(input.caseNumber);
      let facts: FindingFacts;
      if (input.findingId !== undefined) {
        const f = s.timeline.findings.get(input.caseNumber, input.findingId);
        facts = { source: f.source, region: f.region ?? s.response.aws.whoAmI().region, raw: (f.raw ?? {}) as Record<string, unknown> };
      } else {
        const inboxId = input.inboxId ?? 0;
        const item = s.acquire.inbox.get(inboxId);
        facts = { source: item.source, region: item.region, raw: s.acquire.inbox.raw(inboxId) };
      }
      const kinds = new Set(definedKinds());
      return suggestContainment(facts, input.caseNumber, (k) => kinds.has(k));
    },
  };
}
