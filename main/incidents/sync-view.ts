import type { EngagementView, IncidentSyncView } from '../../common/contract/incidents';
import { IMPACT_MEANINGS } from '../../common/contract/plan-schema';
import type { Outbox } from './outbox';
import type { SyncStore } from './sync-store';

/** The sync state of a case as stored after the last sync: no AWS call, cheap enough to poll. */
export function syncView(store: SyncStore, outbox: Outbox, caseId: number, caseNumber: string): IncidentSyncView {
  const row = store.ensureRow(caseId);
  const empty = { timelineEvents: 0, relatedItems: 0, unknown: 0, statusUpdate: false, impactUpdate: false };
  if (!row)
    return {
      caseNumber,
      linked: false,
      incidentArn: null,
      region: null,
      title: null,
      remoteStatus: null,
      remoteImpact: null,
      localStatus: null,
      localImpact: null,
      impactMeaning: null,
      createdAt: null,
      resolvedAt: null,
      lastModifiedBy: null,
      chatChannel: [],
      engagements: [],
      state: 'not-linked',
      problem: null,
      pending: empty,
      sent: { timelineEvents: 0, relatedItems: 0 },
      pulledEvents: 0,
      lastAttemptAt: null,
      lastSuccessAt: null,
      nextRetryAt: null,
    };
  const counts = outbox.counts(caseId);
  const pending = {
    timelineEvents: counts['timeline-event'].pending + counts['timeline-event'].unknown,
    relatedItems: counts['related-item'].pending + counts['related-item'].unknown,
    unknown: counts['timeline-event'].unknown + counts['related-item'].unknown,
    statusUpdate: row.base_status !== null && row.local_status !== row.base_status,
    impactUpdate: row.base_impact !== null && row.local_impact !== null && row.local_impact !== row.base_impact,
  };
  const problem = store.problemOf(row);
  const owes = pending.timelineEvents + pending.relatedItems > 0 || pending.statusUpdate || pending.impactUpdate || !row.last_success_at;
  const impact = row.local_impact ?? row.remote_impact;
  return {
    caseNumber,
    linked: true,
    incidentArn: row.incident_arn,
    region: row.region,
    title: row.title,
    remoteStatus: row.remote_status,
    remoteImpact: row.remote_impact,
    localStatus: row.local_status,
    localImpact: row.local_impact,
    impactMeaning: impact ? IMPACT_MEANINGS[impact as keyof typeof IMPACT_MEANINGS] : null,
    createdAt: row.remote_created_at,
    resolvedAt: row.remote_resolved_at,
    lastModifiedBy: row.remote_modified_by,
    chatChannel: JSON.parse(row.chat_channel) as string[],
    engagements: JSON.parse(row.engagements) as EngagementView[],
    state: problem ? 'degraded' : owes ? 'pending' : 'in-sync',
    problem,
    pending,
    sent: { timelineEvents: counts['timeline-event'].sent, relatedItems: counts['related-item'].sent },
    pulledEvents: store.inboxCount(caseId),
    lastAttemptAt: row.last_attempt_at,
    lastSuccessAt: row.last_success_at,
    nextRetryAt: row.next_retry_at,
  };
}
