import type { Core } from '../core/core';
import { AppError } from '../core/errors';
import type { EvidenceApi } from '../custody/api';
import type { TimelineApi, TimelineEventInput } from '../timeline/api';
import type { AwsSession } from '../aws/session';
import type { JobContext } from '../jobs/job-service';
import type { UseCheck } from '../../common/contract/response';
import type { StoredAction } from './kinds';

interface Row {
  id: number;
  action_id: number;
  checked_at: string;
  since: string;
  until: string;
  calls: number;
  denied: number;
  evidence_id: number | null;
  lookup: string;
  actor: string;
}

interface LookupPage {
  Events?: { EventId?: string; EventName?: string; EventSource?: string; EventTime?: Date; Username?: string; CloudTrailEvent?: string }[];
  NextToken?: string;
}

const CHECKABLE = new Set(['credentials', 'role-sessions']);
const DENIED = /AccessDenied|Unauthorized|Forbidden/i;

const toCheck = (r: Row): UseCheck => ({
  id: r.id,
  actionId: r.action_id,
  checkedAt: r.checked_at,
  since: r.since,
  until: r.until,
  calls: r.calls,
  denied: r.denied,
  evidenceId: r.evidence_id,
  lookups: JSON.parse(r.lookup) as string[],
  actor: r.actor,
});

/** The lookups that find a containment's principal in CloudTrail: each contained key, and the user or role name. */
export function lookupsOf(a: StoredAction): { AttributeKey: string; AttributeValue: string }[] {
  const keys = a.kind === 'credentials' ? (((a.options as { accessKeyIds?: string[] }).accessKeyIds ?? []) as string[]) : [];
  return [
    ...keys.map((k) => ({ AttributeKey: 'AccessKeyId', AttributeValue: k })),
    { AttributeKey: 'Username', AttributeValue: a.instanceId },
  ];
}

/**
 * "Is it still being used?" after a credential containment: CloudTrail
 * event history (LookupEvents, one attribute per lookup, every page) for the
 * contained keys and principal since the containment started, in the
 * action's region and us-east-1 (where IAM and STS record global calls).
 * Calls found, denied ones included, are saved as one evidence item (a
 * CloudTrail document of the records as received, with its custody entry)
 * and added to the case timeline; the check itself is recorded (append-only)
 * and shown on the action. Nothing is recorded when a lookup fails.
 */
export class UseCheckService {
  constructor(private readonly deps: { core: Core; evidence: EvidenceApi; timeline: TimelineApi; session: AwsSession; version: string }) {}

  latest(actionId: number): UseCheck | null {
    const r = this.deps.core.db
      .prepare<[number], Row>('SELECT * FROM response_use_checks WHERE action_id = ? ORDER BY id DESC LIMIT 1')
      .get(actionId);
    return r ? toCheck(r) : null;
  }

  /** Refuses what cannot be checked: another kind, or a containment that never ran. */
  requireCheckable(a: StoredAction): void {
    if (!CHECKABLE.has(a.kind))
      throw new AppError(
        'use-check-kind',
        `Action ${a.id} is a ${a.kind}: "still in use?" checks follow credential containments (credentials, role sessions).`,
        'Choose the credentials or role-sessions action of the case.',
      );
    if (!a.startedAt || a.state === 'planned' || a.state === 'discarded')
      throw new AppError('use-check-not-run', `Action ${a.id} has not run: there is no containment time to check from.`, 'Run it first.');
  }

  async check(a: StoredAction, job?: JobContext): Promise<UseCheck> {
    this.requireCheckable(a);
    const { core } = this.deps;
    const c = core.cases.requireWritable(a.caseNumber);
    const clients = await this.deps.session.clients();
    const since = a.startedAt!;
    const until = core.clock.now().toISOString();
    const regions = [...new Set([a.region, 'us-east-1'])];
    const seen = new Map<string, { region: string; event: NonNullable<LookupPage['Events']>[number] }>();
    const lookups: string[] = [];
    const attrs = lookupsOf(a);
    let n = 0;
    for (const region of regions)
      for (const attr of attrs) {
        job?.throwIfCancelled();
        lookups.push(`${attr.AttributeKey}=${attr.AttributeValue} in ${region}`);
        let token: string | undefined;
        do {
          const out = await clients.call<LookupPage>(
            'cloudtrail',
            region,
            'LookupEvents',
            {
              LookupAttributes: [attr],
              StartTime: new Date(since),
              EndTime: new Date(until),
              MaxResults: 50,
              ...(token ? { NextToken: token } : {}),
            },
            { signal: job?.signal },
          );
          for (const e of out.Events ?? []) if (e.EventId && !seen.has(e.EventId)) seen.set(e.EventId, { region, event: e });
          token = out.NextToken;
        } while (token);
        job?.progress(++n, regions.length * attrs.length, lookups.at(-1)!);
      }
    const records = [...seen.values()].map(({ region, event }) => {
      try {
        return JSON.parse(event.CloudTrailEvent ?? '') as Record<string, unknown>;
      } catch {
        return {
          eventID: event.EventId,
          eventName: event.EventName,
          eventSource: event.EventSource,
          awsRegion: region,
          eventTime: event.EventTime?.toISOString(),
        };
      }
    });
    records.sort((x, y) => String(x.eventTime).localeCompare(String(y.eventTime)) || String(x.eventID).localeCompare(String(y.eventID)));
    const denied = records.filter((r) => DENIED.test(String(r.errorCode ?? ''))).length;
    let evidenceId: number | null = null;
    if (records.length) {
      const bytes = new TextEncoder().encode(JSON.stringify({ Records: records }, null, 2));
      const item = await this.deps.evidence.importBytes(
        a.caseNumber,
        `${a.instanceId}-use-since-containment-${a.id}-${until.replace(/[:.]/g, '')}.json`,
        bytes,
        {
          kind: 'file',
          description: `CloudTrail calls by ${a.instanceId} since containment ${a.id} (${since} to ${until}): ${records.length} calls, ${denied} denied`,
          source: { account: a.account ?? undefined, region: a.region, resource: a.instanceId },
          acquisition: { tool: `Lariat ${this.deps.version}`, method: 'cloudtrail:LookupEvents', host: 'aws-api', at: until },
        },
      );
      evidenceId = item.id;
      this.deps.timeline.appendEvents(
        a.caseNumber,
        records.map((r) => toTimeline(r, a)),
      );
    }
    const id = core.db.transaction(() => {
      const row = core.db
        .prepare(
          'INSERT INTO response_use_checks (action_id, checked_at, since, until, calls, denied, evidence_id, lookup, actor) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
        )
        .run(a.id, until, since, until, records.length, denied, evidenceId, JSON.stringify(lookups), core.actor().name);
      core.activity.record({
        caseId: c.id,
        action: 'response.use-checked',
        entity: 'response-action',
        entityId: a.id,
        details: { since, until, calls: records.length, denied, evidenceId },
      });
      return Number(row.lastInsertRowid);
    })();
    return (
      this.latest(a.id) ??
      toCheck({
        id,
        action_id: a.id,
        checked_at: until,
        since,
        until,
        calls: records.length,
        denied,
        evidence_id: evidenceId,
        lookup: JSON.stringify(lookups),
        actor: core.actor().name,
      })
    );
  }
}

function toTimeline(r: Record<string, unknown>, a: StoredAction): TimelineEventInput {
  const who = (r.userIdentity ?? {}) as { userName?: string; arn?: string; accessKeyId?: string };
  const source = String(r.eventSource ?? '').split('.')[0] ?? '';
  return {
    time: String(r.eventTime ?? new Date(0).toISOString()),
    source: 'cloudtrail',
    action: `${source}:${String(r.eventName ?? '')}`,
    actor: who.arn ?? who.userName ?? a.instanceId,
    region: String(r.awsRegion ?? a.region),
    ...(a.account ? { account: a.account } : {}),
    ...(r.errorCode ? { errorCode: String(r.errorCode) } : {}),
    raw: r,
  };
}
