import type { Core } from '../core/core';
import type { CustodyFeature } from '../custody';
import type { TimelineFeature } from '../timeline';
import type { ResponseFeature } from '../response';

/** Case reports and signed case bundles (issue 6). */
export type ReportsFeature = Record<string, never>;

export function createReportsFeature(_core: Core, _custody: CustodyFeature, _timeline: TimelineFeature, _response: ResponseFeature): ReportsFeature {
  return {};
}
