import { randomUUID } from 'node:crypto';
import type { AwsMock } from '../response/aws-mock';
import { awsError } from '../response/aws-mock';

export const ACCOUNT = '111122223333';
export const REGION = 'eu-west-1';
export const PLAN_ARN = `arn:aws:ssm-incidents::${ACCOUNT}:response-plan/ec2-compromise`;

export interface FakeEvent {
  eventId: string;
  eventTime: Date;
  eventUpdatedTime: Date;
  eventType: string;
  eventData: string;
  eventReferences?: unknown[];
}

export interface FakeIncident {
  arn: string;
  title: string;
  status: 'OPEN' | 'RESOLVED';
  impact: number;
  creationTime: Date;
  resolvedTime?: Date;
  lastModifiedTime: Date;
  lastModifiedBy: string;
  chatChannel?: { chatbotSns: string[] };
  events: FakeEvent[];
  related: { identifier: { type: string; value: { arn?: string; url?: string } }; title?: string }[];
}

/**
 * A stateful stand-in for Incident Manager and ssm-contacts behind
 * aws-sdk-client-mock: incidents hold timeline events and related items,
 * StartIncident and CreateTimelineEvent honour client tokens the way AWS
 * documents, and faults can be made to happen after a call was applied (the
 * reply is lost) to prove the sync never duplicates.
 */
export class FakeIncidentManager {
  readonly incidents = new Map<string, FakeIncident>();
  private readonly tokens = new Map<string, string>();
  /** Throw this after applying the next call of the named operation (reply lost). */
  private readonly lostReplies = new Map<string, Error[]>();
  replicationSets: string[] = [`arn:aws:ssm-incidents::${ACCOUNT}:replication-set/abc`];
  now = new Date('2026-11-27T10:00:00Z');
  engagements: { EngagementArn: string; ContactArn: string; Sender: string; IncidentId: string; StartTime: Date }[] = [];
  pages = new Map<string, { ContactArn: string; SentTime: Date; DeliveryTime?: Date; ReadTime?: Date }[]>();

  constructor(mock: AwsMock) {
    mock
      .on('ssm-incidents', 'ListReplicationSets', () => ({ replicationSetArns: this.replicationSets }))
      .on('ssm-incidents', 'StartIncident', (i) => this.start(i))
      .on('ssm-incidents', 'GetIncidentRecord', (i) => ({ incidentRecord: this.record(this.get(String(i.arn))) }))
      .on('ssm-incidents', 'ListIncidentRecords', () => ({
        incidentRecordSummaries: [...this.incidents.values()]
          .filter((x) => x.status === 'OPEN')
          .map((x) => ({ ...this.record(x), incidentRecordSource: { source: 'aws.cloudwatch', createdBy: 'arn:aws:iam::1:role/alarm' } })),
      }))
      .on('ssm-incidents', 'UpdateIncidentRecord', (i) => this.applied('UpdateIncidentRecord', () => this.update(i)))
      .on('ssm-incidents', 'CreateTimelineEvent', (i) => this.applied('CreateTimelineEvent', () => this.createEvent(i)))
      .on('ssm-incidents', 'ListTimelineEvents', (i) => this.listEvents(i))
      .on('ssm-incidents', 'GetTimelineEvent', (i) => {
        const e = this.get(String(i.incidentRecordArn)).events.find((x) => x.eventId === i.eventId);
        if (!e) throw awsError('ResourceNotFoundException', 'no such event');
        return { event: { ...e, incidentRecordArn: i.incidentRecordArn } };
      })
      .on('ssm-incidents', 'ListRelatedItems', (i) => ({ relatedItems: this.get(String(i.incidentRecordArn)).related }))
      .on('ssm-incidents', 'UpdateRelatedItems', (i) => this.applied('UpdateRelatedItems', () => this.relate(i)))
      .on('ssm-contacts', 'ListEngagements', (i) => ({ Engagements: this.engagements.filter((e) => e.IncidentId === i.IncidentId) }))
      .on('ssm-contacts', 'ListPagesByEngagement', (i) => ({ Pages: this.pages.get(String(i.EngagementId)) ?? [] }));
  }

  /** The next call of `op` is applied, then fails with `err` as if the reply never arrived. */
  loseReply(op: string, err: Error = Object.assign(new Error('socket hang up'), { name: 'ECONNRESET', code: 'ECONNRESET' })): void {
    this.lostReplies.set(op, [...(this.lostReplies.get(op) ?? []), err]);
  }

  private applied<T>(op: string, fn: () => T): T {
    const out = fn();
    const lost = this.lostReplies.get(op)?.shift();
    if (lost) throw lost;
    return out;
  }

  get(arn: string): FakeIncident {
    const x = this.incidents.get(arn);
    if (!x) throw awsError('ResourceNotFoundException', `Incident ${arn} not found`);
    return x;
  }

  /** An incident created by someone else (an alarm, a colleague). */
  add(partial: Partial<FakeIncident> & { title: string }): FakeIncident {
    const arn = `arn:aws:ssm-incidents::${ACCOUNT}:incident-record/ec2-compromise/${randomUUID().slice(0, 8)}`;
    const x: FakeIncident = {
      arn,
      status: 'OPEN',
      impact: 3,
      creationTime: this.now,
      lastModifiedTime: this.now,
      lastModifiedBy: 'arn:aws:iam::1:role/alarm',
      events: [],
      related: [],
      ...partial,
    };
    this.incidents.set(arn, x);
    return x;
  }

  /** A timeline event written by someone else. */
  addEvent(arn: string, data: string, at = this.now, type = 'Custom Event'): FakeEvent {
    const e: FakeEvent = { eventId: randomUUID(), eventTime: at, eventUpdatedTime: at, eventType: type, eventData: data };
    this.get(arn).events.push(e);
    return e;
  }

  private record(x: FakeIncident) {
    const { events: _e, related: _r, ...rest } = x;
    return rest;
  }

  private start(i: Record<string, unknown>) {
    if (this.replicationSets.length === 0) throw awsError('ValidationException', 'The replication set does not exist.');
    const token = String(i.clientToken ?? '');
    const known = token ? this.tokens.get(token) : undefined;
    const arn = known ?? this.add({ title: String(i.title), impact: Number(i.impact ?? 3) }).arn;
    if (token) this.tokens.set(token, arn);
    return this.applied('StartIncident', () => ({ incidentRecordArn: arn }));
  }

  private update(i: Record<string, unknown>) {
    const x = this.get(String(i.arn));
    if (i.impact !== undefined) x.impact = Number(i.impact);
    if (i.status !== undefined) {
      x.status = i.status as 'OPEN' | 'RESOLVED';
      if (x.status === 'RESOLVED') x.resolvedTime = this.now;
    }
    x.lastModifiedTime = this.now;
    x.lastModifiedBy = 'arn:aws:sts::111122223333:assumed-role/LariatResponder/lariat';
    return {};
  }

  private createEvent(i: Record<string, unknown>) {
    const x = this.get(String(i.incidentRecordArn));
    const token = String(i.clientToken ?? '');
    const known = token ? this.tokens.get(token) : undefined;
    if (known) return { incidentRecordArn: x.arn, eventId: known };
    const e: FakeEvent = {
      eventId: randomUUID(),
      eventTime: new Date(i.eventTime as Date),
      eventUpdatedTime: this.now,
      eventType: String(i.eventType),
      eventData: String(i.eventData),
      ...(i.eventReferences ? { eventReferences: i.eventReferences as unknown[] } : {}),
    };
    x.events.push(e);
    if (token) this.tokens.set(token, e.eventId);
    return { incidentRecordArn: x.arn, eventId: e.eventId };
  }

  private listEvents(i: Record<string, unknown>) {
    const x = this.get(String(i.incidentRecordArn));
    const sorted = [...x.events].sort((a, b) => a.eventTime.getTime() - b.eventTime.getTime());
    const start = i.nextToken ? Number(i.nextToken) : 0;
    const size = Number(i.maxResults ?? 100);
    const page = sorted.slice(start, start + size);
    return {
      eventSummaries: page.map(({ eventData: _d, ...s }) => ({ ...s, incidentRecordArn: x.arn })),
      ...(start + size < sorted.length ? { nextToken: String(start + size) } : {}),
    };
  }

  private relate(i: Record<string, unknown>) {
    const x = this.get(String(i.incidentRecordArn));
    const add = (i.relatedItemsUpdate as { itemToAdd?: FakeIncident['related'][number] }).itemToAdd;
    if (!add) return {};
    const id = (r: FakeIncident['related'][number]) => `${r.identifier.type}|${r.identifier.value.arn ?? r.identifier.value.url}`;
    if (x.related.some((r) => id(r) === id(add))) throw awsError('ConflictException', 'Related item already exists');
    x.related.push(add);
    return {};
  }

  /** Events Lariat wrote (they carry its dedupe key). */
  lariatEvents(arn: string): FakeEvent[] {
    return this.get(arn).events.filter((e) => e.eventData.includes('"lariatKey"'));
  }
}
