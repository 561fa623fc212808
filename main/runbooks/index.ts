import type { Core } from '../core/core';
import type { AwsSession } from '../aws/session';
import type { Sleep } from '../aws/clients';
import type { EvidenceApi } from '../custody/api';
import type { TimelineApi } from '../timeline/api';
import { RunbookService } from './runbook-service';

/** SSM Automation runbooks run from a case (issue 16). */
export interface RunbooksFeature {
  runbooks: RunbookService;
}

export function createRunbooksFeature(
  core: Core,
  deps: { session: AwsSession; timeline: TimelineApi; evidence: EvidenceApi; sleep?: Sleep; pollMs?: number },
): RunbooksFeature {
  return { runbooks: new RunbookService({ core, ...deps }) };
}
