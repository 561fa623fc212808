import type { Core } from '../core/core';
import type { CustodyFeature } from '../custody';
import type { TimelineFeature } from '../timeline';
import { AwsSession } from '../aws/session';
import type { Deadline, Sleep } from '../aws/clients';
import { ResponseService } from './response-service';
import { IncidentService } from './incident-service';
import type { ResponseRecords } from './executors';

/** AWS credentials, discovery and response actions (issue 4). */
export interface ResponseFeature {
  /** Who Lariat acts as; credentials never leave it. */
  aws: AwsSession;
  response: ResponseService;
  /** Link to an Incident Manager incident; actions are mirrored to its timeline. */
  incidents: IncidentService;
}

/** Test seams: instant sleeps and polls, a controllable request deadline, short leases. */
export interface ResponseOptions {
  sleep?: Sleep;
  pollMs?: number;
  deadline?: Deadline;
  leaseMs?: number;
  heartbeatMs?: number;
}

/** Evidence and custody look-ups over the custody feature's public listings (no custody internals). */
function recordsOf(custody: CustodyFeature): ResponseRecords {
  return {
    findEvidence: (caseNumber, kind, resource) =>
      custody.vault.list(caseNumber).find((i) => i.kind === kind && i.source.resource === resource)?.id ?? null,
    hasCustody: (caseNumber, evidenceId, action, details) =>
      custody.ledger
        .list(caseNumber, evidenceId)
        .some((e) => e.action === action && Object.entries(details).every(([k, v]) => (e.details as Record<string, unknown>)[k] === v)),
  };
}

export function createResponseFeature(
  core: Core,
  custody: CustodyFeature,
  timeline: TimelineFeature,
  options: ResponseOptions = {},
): ResponseFeature {
  const aws = new AwsSession({ settings: core.settings, env: core.env, sleep: options.sleep, deadline: options.deadline });
  const incidents = new IncidentService({ core, session: aws });
  const response = new ResponseService({
    core,
    evidence: custody.evidence,
    records: recordsOf(custody),
    timeline: timeline.timeline,
    session: aws,
    incidents,
    sleep: options.sleep,
    pollMs: options.pollMs,
    leaseMs: options.leaseMs,
    heartbeatMs: options.heartbeatMs,
  });
  return { aws, response, incidents };
}
