import type { AwsClients } from '../aws/clients';
import type { Clock } from '../core/clock';
import type { Db } from '../db/database';
import type { TimelineApi, TimelineEventInput } from '../timeline/api';
import type { Outbox } from './outbox';
import type { SyncStore } from './sync-store';
import type { IncidentRef } from './push';
import { lariatKeyOf } from './owed-items';

/** More events than any incident should hold; a runaway page loop stops here. */
const MAX_EVENTS = 5000;

const iso = (d: Date | string | undefined): string | null => (d ? new Date(d).toISOString() : null);

interface Summary {
  eventId?: string;
  eventTime?: Date;
  eventUpdatedTime?: Date;
  eventType?: string;
}

/**
 * Reads the incident's timeline. Events Lariat sent are recognised by their
 * event id, or (when the reply was lost) by the dedupe key inside their data,
 * which settles the owed item without sending it again. Events written by
 * others (people, alarms, Incident Manager itself) are copied into the case
 * timeline once each; an event edited since is copied again as an update.
 */
export async function pullTimeline(
  deps: { clients: AwsClients; outbox: Outbox; store: SyncStore; timeline: TimelineApi; db: Db; clock: Clock },
  ref: IncidentRef,
  caseNumber: string,
): Promise<{ pulled: number; reconciled: number }> {
  const { clients, outbox, store, timeline, db, clock } = deps;
  const summaries: Summary[] = [];
  let token: string | undefined;
  do {
    const page = await clients.call<{ nextToken?: string; eventSummaries?: Summary[] }>('ssm-incidents', ref.region, 'ListTimelineEvents', {
      incidentRecordArn: ref.arn,
      sortBy: 'EVENT_TIME',
      sortOrder: 'ASCENDING',
      maxResults: 100,
      ...(token ? { nextToken: token } : {}),
    });
    summaries.push(...(page.eventSummaries ?? []));
    token = summaries.length < MAX_EVENTS ? page.nextToken : undefined;
  } while (token);

  const ours = outbox.remoteIds(ref.caseId);
  const inbox = store.inboxed(ref.caseId);
  const batch: { input: TimelineEventInput; eventId: string; updated: string | null }[] = [];
  let reconciled = 0;
  const commit = () => {
    if (batch.length === 0) return;
    const now = clock.now().toISOString();
    db.transaction(() => {
      timeline.appendEvents(
        caseNumber,
        batch.map((b) => b.input),
      );
      for (const b of batch) store.putInbox(ref.caseId, b.eventId, b.updated, now);
    })();
    batch.length = 0;
  };
  let pulled = 0;
  try {
    for (const s of summaries) {
      if (!s.eventId || ours.has(s.eventId)) continue;
      const updated = iso(s.eventUpdatedTime);
      const seen = inbox.has(s.eventId);
      if (seen && inbox.get(s.eventId) === updated) continue;
      const got = await clients.call<{
        event?: { eventId?: string; eventTime?: Date; eventType?: string; eventData?: string; eventReferences?: unknown[] };
      }>('ssm-incidents', ref.region, 'GetTimelineEvent', { incidentRecordArn: ref.arn, eventId: s.eventId });
      const e = got.event ?? {};
      const key = lariatKeyOf(e.eventData);
      const mine = key ? outbox.byKey(ref.caseId, key) : null;
      if (mine) {
        outbox.markSent(mine.id, s.eventId, clock.now().toISOString());
        reconciled++;
        continue;
      }
      batch.push({
        eventId: s.eventId,
        updated,
        input: {
          time: iso(e.eventTime ?? s.eventTime) ?? clock.now().toISOString(),
          source: 'lariat',
          action: seen ? 'incident-manager.timeline-event-updated' : 'incident-manager.timeline-event',
          actor: 'Incident Manager',
          resource: ref.arn,
          region: ref.region,
          raw: {
            origin: 'incident-manager',
            incidentRecordArn: ref.arn,
            eventId: s.eventId,
            eventType: e.eventType ?? s.eventType ?? null,
            eventTime: iso(e.eventTime ?? s.eventTime),
            eventUpdatedTime: updated,
            eventData: e.eventData ?? null,
            eventReferences: e.eventReferences ?? [],
          },
        },
      });
      pulled++;
      if (batch.length >= 200) commit();
    }
  } finally {
    // Whatever was read before a failure is kept (each event once); the rest is read at the next sync.
    commit();
  }
  return { pulled, reconciled };
}
