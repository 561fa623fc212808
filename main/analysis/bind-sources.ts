import type { TimelineFeature } from '../timeline';
import type { ResponseFeature } from '../response';
import type { RunbooksFeature } from '../runbooks';
import type { AnalysisSources } from './analysis-service';

const CONTAINMENT_RUNBOOK = /Contain|Isolat|Quarantin|Revoke|Disable/i;

/** Binds what the analysis reads to the features that record it. */
export function analysisSources(features: {
  timeline: TimelineFeature;
  response: ResponseFeature;
  runbooks: RunbooksFeature;
}): AnalysisSources {
  const { timeline, response, runbooks } = features;
  return {
    events: timeline.events,
    actions: (n) =>
      response.response.list(n).map((a) => ({ id: a.id, kind: a.kind, state: a.state, finishedAt: a.finishedAt, target: a.instanceId })),
    containmentRunbooks: (n) =>
      runbooks.runbooks
        .listRuns(n)
        .filter((r) => r.state === 'succeeded' && CONTAINMENT_RUNBOOK.test(r.documentName))
        .map((r) => ({ id: r.id, documentName: r.documentName, finishedAt: r.finishedAt })),
  };
}
