import type { AwsClients } from '../aws/clients';
import { awsErrorCode } from '../aws/errors';
import { isAmbiguous } from '../aws/errors';
import { AppError, toErrorInfo } from '../core/errors';
import type { Clock } from '../core/clock';
import { type Outbox, type OutboxItem, type RelatedItemPayload, type TimelinePayload } from './outbox';
import { clientToken } from './sync-store';

export interface IncidentRef {
  caseId: number;
  arn: string;
  region: string;
}

/**
 * A failure that may have happened after AWS applied the call (connection
 * reset, timeout, a 5xx: the AWS layer's own `isAmbiguous`): the item stays
 * `unknown` and is looked for on the incident before any retry. Any other
 * failure means AWS refused it.
 */
export function outcomeUnknown(err: unknown): boolean {
  return !(err instanceof AppError) || err.code === 'internal' || isAmbiguous(err);
}

function fail(outbox: Outbox, item: OutboxItem, err: unknown): never {
  const info = toErrorInfo(err);
  if (outcomeUnknown(err)) outbox.markUnknown(item.id, info);
  else outbox.markRefused(item.id, info);
  throw err;
}

/**
 * Sends the timeline events still owed. Only `pending` items are sent
 * blindly; an `unknown` one is sent again only when the pull that ran just
 * before found no event carrying its key, and then with the same client
 * token, so AWS itself also treats the retry as the same request.
 */
export async function pushTimeline(
  deps: { clients: AwsClients; outbox: Outbox; clock: Clock },
  ref: IncidentRef,
  retryUnknown: boolean,
): Promise<number> {
  const { clients, outbox, clock } = deps;
  let sent = 0;
  const items = outbox.items(
    ref.caseId,
    'timeline-event',
    retryUnknown ? ['pending', 'unknown'] : ['pending'],
  ) as OutboxItem<TimelinePayload>[];
  for (const item of items) {
    outbox.markAttempt(item.id);
    try {
      const out = await clients.call<{ eventId?: string }>('ssm-incidents', ref.region, 'CreateTimelineEvent', {
        incidentRecordArn: ref.arn,
        eventTime: new Date(item.payload.eventTime),
        eventType: 'Custom Event',
        eventData: item.payload.eventData,
        ...(item.payload.eventReferences.length ? { eventReferences: item.payload.eventReferences } : {}),
        clientToken: clientToken('timeline', item.key),
      });
      outbox.markSent(item.id, out.eventId ?? null, clock.now().toISOString());
      sent++;
    } catch (err) {
      fail(outbox, item, err);
    }
  }
  return sent;
}

const identity = (type: string, value: { arn?: string; url?: string } | undefined): string => `${type}|${value?.arn ?? value?.url ?? ''}`;

/** Adds owed related items, after listing what the incident already has (added by anyone, or by a reply that got lost). */
export async function pushRelatedItems(deps: { clients: AwsClients; outbox: Outbox; clock: Clock }, ref: IncidentRef): Promise<number> {
  const { clients, outbox, clock } = deps;
  const items = outbox.items(ref.caseId, 'related-item', ['pending', 'unknown']) as OutboxItem<RelatedItemPayload>[];
  if (items.length === 0) return 0;
  const existing = new Set<string>();
  let token: string | undefined;
  do {
    const page = await clients.call<{
      nextToken?: string;
      relatedItems?: { identifier?: { type?: string; value?: { arn?: string; url?: string } } }[];
    }>('ssm-incidents', ref.region, 'ListRelatedItems', {
      incidentRecordArn: ref.arn,
      maxResults: 100,
      ...(token ? { nextToken: token } : {}),
    });
    for (const r of page.relatedItems ?? []) existing.add(identity(r.identifier?.type ?? '', r.identifier?.value));
    token = page.nextToken;
  } while (token);
  let added = 0;
  for (const item of items) {
    const now = clock.now().toISOString();
    if (existing.has(identity(item.payload.type, item.payload.value as { arn?: string; url?: string }))) {
      outbox.markSent(item.id, null, now);
      continue;
    }
    outbox.markAttempt(item.id);
    try {
      await clients.call('ssm-incidents', ref.region, 'UpdateRelatedItems', {
        incidentRecordArn: ref.arn,
        relatedItemsUpdate: {
          itemToAdd: { identifier: { type: item.payload.type, value: item.payload.value }, title: item.payload.title },
        },
        clientToken: clientToken('related', item.key),
      });
      outbox.markSent(item.id, null, now);
      added++;
    } catch (err) {
      // Someone (or a lost reply of ours) added it meanwhile: that is the state we wanted.
      if (err instanceof AppError && awsErrorCode(err.cause) === 'ConflictException') {
        outbox.markSent(item.id, null, now);
        continue;
      }
      fail(outbox, item, err);
    }
  }
  return added;
}
