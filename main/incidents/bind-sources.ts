import type { CustodyFeature } from '../custody';
import type { TimelineFeature } from '../timeline';
import type { ResponseFeature } from '../response';
import type { RunbooksFeature } from '../runbooks';
import type { TimelineEvent } from '../../common/contract/timeline';
import type { SyncSources } from './run-sync';

/** Most flagged events sent to one incident: more is noise in Incident Manager's timeline. */
const MAX_FLAGGED = 2000;

/** Binds what the sync reads to the features that record it, through their own services. */
export function incidentSyncSources(features: {
  custody: CustodyFeature;
  timeline: TimelineFeature;
  response: ResponseFeature;
  runbooks: RunbooksFeature;
}): SyncSources {
  const { custody, timeline, response, runbooks } = features;
  return {
    flaggedEvents: (n) => {
      const out: TimelineEvent[] = [];
      let cursor: string | undefined;
      do {
        const page = timeline.events.query({ caseNumber: n, flagged: true, limit: 500, ...(cursor ? { cursor } : {}) });
        out.push(...page.events);
        cursor = page.nextCursor ?? undefined;
      } while (cursor && out.length < MAX_FLAGGED);
      return out;
    },
    actions: (n) => response.response.list(n).map((a) => response.response.get(a.id)),
    evidence: (n) => custody.vault.list(n),
    runbookRuns: (n) => runbooks.runbooks.listRuns(n).map((r) => ({ id: r.id, documentName: r.documentName, steps: r.steps })),
  };
}
