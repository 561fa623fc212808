import type { Core } from '../core/core';
import type { CustodyFeature } from '../custody';
import type { TimelineFeature } from '../timeline';
import { AwsSession } from '../aws/session';
import type { Sleep } from '../aws/clients';
import { ResponseService } from './response-service';
import { IncidentService } from './incident-service';

/** AWS credentials, discovery and response actions (issue 4). */
export interface ResponseFeature {
  /** Who Lariat acts as; credentials never leave it. */
  aws: AwsSession;
  response: ResponseService;
  /** Link to an Incident Manager incident; actions are mirrored to its timeline. */
  incidents: IncidentService;
}

/** Test seams: an instant sleep and poll interval so waits and retries do not slow tests. */
export interface ResponseOptions {
  sleep?: Sleep;
  pollMs?: number;
}

export function createResponseFeature(
  core: Core,
  custody: CustodyFeature,
  timeline: TimelineFeature,
  options: ResponseOptions = {},
): ResponseFeature {
  const aws = new AwsSession({ settings: core.settings, env: core.env, sleep: options.sleep });
  const incidents = new IncidentService({ core, session: aws });
  const response = new ResponseService({
    core,
    evidence: custody.evidence,
    timeline: timeline.timeline,
    session: aws,
    incidents,
    sleep: options.sleep,
    pollMs: options.pollMs,
  });
  return { aws, response, incidents };
}
