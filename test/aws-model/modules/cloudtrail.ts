import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { h, type ModelModule } from '../types';

/** One management event as CloudTrail event history keeps it. */
export interface TrailEvent {
  EventId: string;
  EventName: string;
  EventSource: string;
  /** ISO-8601. */
  EventTime: string;
  Username?: string;
  AccessKeyId?: string;
  ReadOnly?: 'true' | 'false';
  ErrorCode?: string;
  Resources?: { ResourceType?: string; ResourceName?: string }[];
}

export interface CloudTrailState {
  events: TrailEvent[];
}

const KEYS = ['EventId', 'EventName', 'ReadOnly', 'Username', 'ResourceType', 'ResourceName', 'EventSource', 'AccessKeyId'] as const;

/** The CloudTrailEvent JSON string LookupEvents returns for an event (the record as a trail would deliver it). */
export function cloudTrailRecord(e: TrailEvent, region: string, account: string): Record<string, unknown> {
  return {
    eventVersion: '1.08',
    eventID: e.EventId,
    eventTime: e.EventTime.replace(/\.\d+Z$/, 'Z'),
    eventSource: e.EventSource,
    eventName: e.EventName,
    awsRegion: region,
    sourceIPAddress: '198.51.100.7',
    userIdentity: {
      type: 'IAMUser',
      accountId: account,
      ...(e.Username ? { userName: e.Username, arn: `arn:aws:iam::${account}:user/${e.Username}` } : {}),
      ...(e.AccessKeyId ? { accessKeyId: e.AccessKeyId } : {}),
    },
    ...(e.ErrorCode ? { errorCode: e.ErrorCode, errorMessage: `User is not authorized to perform ${e.EventName}` } : {}),
    readOnly: e.ReadOnly !== 'false',
    recipientAccountId: account,
  };
}

/**
 * CloudTrail event history (regional): LookupEvents as AWS answers it. At
 * most one lookup attribute (more is InvalidLookupAttributesException),
 * StartTime after EndTime is InvalidTimeRangeException, newest first,
 * MaxResults up to 50 (default 50), a NextToken that is only valid for the
 * same request. Throttling comes from the model's `throttle` fault with
 * CloudTrail's own code. Seed events with `model.slice<CloudTrailState>('cloudtrail', region).events.push(...)`.
 */
export const cloudtrail: ModelModule<CloudTrailState> = {
  name: 'cloudtrail',
  service: 'cloudtrail',
  client: CloudTrailClient,
  scope: 'regional',
  initial: () => ({ events: [] }),
  throttlingCode: 'ThrottlingException',
  handlers: {
    LookupEvents: h<
      {
        LookupAttributes?: { AttributeKey?: string; AttributeValue?: string }[];
        StartTime?: Date | string;
        EndTime?: Date | string;
        MaxResults?: number;
        NextToken?: string;
      },
      CloudTrailState
    >((i, ctx) => {
      const attrs = i.LookupAttributes ?? [];
      if (attrs.length > 1) return ctx.error('InvalidLookupAttributesException', 'You cannot specify more than one lookup attribute.');
      const attr = attrs[0];
      if (attr && !(KEYS as readonly string[]).includes(attr.AttributeKey ?? ''))
        return ctx.error('InvalidLookupAttributesException', `${attr.AttributeKey ?? ''} is not a valid lookup attribute key.`);
      const start = i.StartTime ? new Date(i.StartTime).getTime() : -Infinity;
      const end = i.EndTime ? new Date(i.EndTime).getTime() : Infinity;
      if (start > end) return ctx.error('InvalidTimeRangeException', 'Start time is after end time.');
      const max = i.MaxResults ?? 50;
      if (max < 1 || max > 50) return ctx.error('InvalidMaxResultsException', 'MaxResults must be between 1 and 50.');
      const matches = ctx.state.events
        .filter((e) => {
          const t = Date.parse(e.EventTime);
          if (t < start || t > end) return false;
          if (!attr) return true;
          const v = attr.AttributeValue;
          switch (attr.AttributeKey) {
            case 'ResourceType':
              return (e.Resources ?? []).some((r) => r.ResourceType === v);
            case 'ResourceName':
              return (e.Resources ?? []).some((r) => r.ResourceName === v);
            case 'ReadOnly':
              return (e.ReadOnly ?? 'true') === v;
            default:
              return e[attr.AttributeKey as 'EventId'] === v;
          }
        })
        .sort((a, b) => Date.parse(b.EventTime) - Date.parse(a.EventTime));
      const token = JSON.stringify({ attr: attr ?? null, start: i.StartTime ?? null, end: i.EndTime ?? null });
      let offset = 0;
      if (i.NextToken) {
        const [off, tok] = i.NextToken.split('|', 2) as [string, string];
        if (tok !== Buffer.from(token).toString('base64url')) return ctx.error('InvalidNextTokenException', 'Invalid NextToken.');
        offset = Number(off);
      }
      const slice = matches.slice(offset, offset + max);
      const next = offset + max < matches.length ? `${offset + max}|${Buffer.from(token).toString('base64url')}` : undefined;
      return {
        Events: slice.map((e) => ({
          EventId: e.EventId,
          EventName: e.EventName,
          ReadOnly: e.ReadOnly ?? 'true',
          AccessKeyId: e.AccessKeyId,
          EventTime: new Date(e.EventTime),
          EventSource: e.EventSource,
          Username: e.Username,
          Resources: e.Resources ?? [],
          CloudTrailEvent: JSON.stringify(cloudTrailRecord(e, ctx.region, ctx.model.account)),
        })),
        ...(next ? { NextToken: next } : {}),
      };
    }),
  },
};
