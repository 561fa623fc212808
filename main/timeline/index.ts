import type { Core } from '../core/core';
import type { CustodyFeature } from '../custody';
import type { TimelineApi } from './api';

/** Importers, the case timeline, findings, IOCs and assets (issue 5). */
export interface TimelineFeature {
  timeline: TimelineApi;
}

export function createTimelineFeature(_core: Core, _custody: CustodyFeature): TimelineFeature {
  return { timeline: { appendEvents: () => undefined } };
}
