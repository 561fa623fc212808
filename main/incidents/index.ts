import type { Core } from '../core/core';
import type { AwsSession } from '../aws/session';
import type { TimelineApi } from '../timeline/api';
import type { CasePlanStore } from '../plans/case-plans';
import { IncidentManagerService } from './incident-manager-service';
import type { SyncSources } from './run-sync';

/** Incident Manager, both ways (issue 16). */
export interface IncidentsFeature {
  incidents: IncidentManagerService;
}

export function createIncidentsFeature(
  core: Core,
  deps: { session: AwsSession; timeline: TimelineApi; sources: SyncSources; casePlans: CasePlanStore },
): IncidentsFeature {
  return { incidents: new IncidentManagerService({ core, ...deps }) };
}
