import type { Db } from '../db/database';
import type { ErrorInfo } from '../../common/contract/errors';

/** A timeline event Lariat owes the incident: CreateTimelineEvent's fields, built once and kept as queued. */
export interface TimelinePayload {
  eventTime: string;
  /** JSON text: `{summary, lariatKey, case, ...}`; the key is how a lost reply is recognised later. */
  eventData: string;
  eventReferences: { resource: string }[];
}

/** A related item Lariat owes the incident: an involved resource or a piece of evidence. */
export interface RelatedItemPayload {
  type: 'INVOLVED_RESOURCE' | 'ATTACHMENT' | 'OTHER';
  value: { arn: string } | { url: string };
  title: string;
}

export interface OutboxItem<P = TimelinePayload | RelatedItemPayload> {
  id: number;
  key: string;
  kind: 'timeline-event' | 'related-item';
  payload: P;
  state: 'pending' | 'unknown' | 'sent';
  attempts: number;
  remoteId: string | null;
}

interface Row {
  id: number;
  key: string;
  kind: 'timeline-event' | 'related-item';
  payload: string;
  state: 'pending' | 'unknown' | 'sent';
  attempts: number;
  remote_id: string | null;
}

const toItem = (r: Row): OutboxItem => ({
  id: r.id,
  key: r.key,
  kind: r.kind,
  payload: JSON.parse(r.payload) as TimelinePayload | RelatedItemPayload,
  state: r.state,
  attempts: r.attempts,
  remoteId: r.remote_id,
});

/**
 * What Lariat owes a linked incident, one row per stable dedupe key
 * (`UNIQUE(case, key)`: queueing the same thing twice is a no-op). An item is
 * marked `unknown` (committed) before its call, so a crash or a lost reply
 * leaves evidence that it may have been applied; `sent` is final (trigger).
 */
export class Outbox {
  constructor(private readonly db: Db) {}

  /** Queues items not queued before; returns how many were new. */
  enqueue(
    caseId: number,
    items: { key: string; kind: OutboxItem['kind']; payload: TimelinePayload | RelatedItemPayload }[],
    at: string,
  ): number {
    const insert = this.db.prepare(
      `INSERT INTO incident_outbox (case_id, key, kind, payload, state, created_at) VALUES (?, ?, ?, ?, 'pending', ?)
       ON CONFLICT(case_id, key) DO NOTHING`,
    );
    let added = 0;
    this.db.transaction(() => {
      for (const i of items) added += insert.run(caseId, i.key, i.kind, JSON.stringify(i.payload), at).changes;
    })();
    return added;
  }

  items(caseId: number, kind: OutboxItem['kind'], states: OutboxItem['state'][]): OutboxItem[] {
    return this.db
      .prepare<[number, string], Row>(
        'SELECT id, key, kind, payload, state, attempts, remote_id FROM incident_outbox WHERE case_id = ? AND kind = ? ORDER BY id',
      )
      .all(caseId, kind)
      .map(toItem)
      .filter((i) => states.includes(i.state));
  }

  byKey(caseId: number, key: string): OutboxItem | null {
    const r = this.db
      .prepare<[number, string], Row>(
        'SELECT id, key, kind, payload, state, attempts, remote_id FROM incident_outbox WHERE case_id = ? AND key = ?',
      )
      .get(caseId, key);
    return r ? toItem(r) : null;
  }

  remoteIds(caseId: number): Set<string> {
    return new Set(
      this.db
        .prepare<[number], { remote_id: string }>('SELECT remote_id FROM incident_outbox WHERE case_id = ? AND remote_id IS NOT NULL')
        .all(caseId)
        .map((r) => r.remote_id),
    );
  }

  /** Committed before the AWS call: from here on, a retry must first look for the item on the incident. */
  markAttempt(id: number): void {
    this.db.prepare("UPDATE incident_outbox SET state = 'unknown', attempts = attempts + 1 WHERE id = ? AND state != 'sent'").run(id);
  }

  markSent(id: number, remoteId: string | null, at: string): void {
    this.db
      .prepare("UPDATE incident_outbox SET state = 'sent', remote_id = ?, sent_at = ?, last_error = NULL WHERE id = ? AND state != 'sent'")
      .run(remoteId, at, id);
  }

  /** AWS refused the call outright (it was not applied): back to pending, with the reason. */
  markRefused(id: number, error: ErrorInfo): void {
    this.db
      .prepare("UPDATE incident_outbox SET state = 'pending', last_error = ? WHERE id = ? AND state != 'sent'")
      .run(JSON.stringify(error), id);
  }

  /** The outcome is not known (network, timeout): stays `unknown`, with the reason. */
  markUnknown(id: number, error: ErrorInfo): void {
    this.db.prepare("UPDATE incident_outbox SET last_error = ? WHERE id = ? AND state != 'sent'").run(JSON.stringify(error), id);
  }

  counts(caseId: number): Record<OutboxItem['kind'], Record<OutboxItem['state'], number>> {
    const out = {
      'timeline-event': { pending: 0, unknown: 0, sent: 0 },
      'related-item': { pending: 0, unknown: 0, sent: 0 },
    };
    for (const r of this.db
      .prepare<[number], { kind: OutboxItem['kind']; state: OutboxItem['state']; n: number }>(
        'SELECT kind, state, count(*) AS n FROM incident_outbox WHERE case_id = ? GROUP BY kind, state',
      )
      .all(caseId))
      out[r.kind][r.state] = r.n;
    return out;
  }
}
