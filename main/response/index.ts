import type { Core } from '../core/core';
import type { CustodyFeature } from '../custody';
import type { TimelineFeature } from '../timeline';

/** AWS credentials, discovery and response actions (issue 4). */
export type ResponseFeature = Record<string, never>;

export function createResponseFeature(_core: Core, _custody: CustodyFeature, _timeline: TimelineFeature): ResponseFeature {
  return {};
}
