/**
 * What other features may write into a case timeline. Response actions record
 * each AWS call they make (request and result, secrets redacted) as events of
 * source `lariat`, so the investigator's own actions sit beside the attacker's.
 */
export interface TimelineEventInput {
  /** ISO-8601 UTC. */
  time: string;
  source: 'lariat' | 'cloudtrail' | 'guardduty' | 'securityhub' | 'vpcflow';
  action: string;
  actor?: string;
  resource?: string;
  region?: string;
  account?: string;
  errorCode?: string;
  severity?: string;
  raw: Record<string, unknown>;
}

export interface TimelineApi {
  appendEvents(caseNumber: string, events: TimelineEventInput[]): void;
}
