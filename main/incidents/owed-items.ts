import type { ActionRecord } from '../../common/contract/response';
import type { AssetRecord } from '../../common/contract/assets';
import type { EvidenceItem } from '../../common/contract/custody';
import type { TimelineEvent } from '../../common/contract/timeline';
import type { RelatedItemPayload, TimelinePayload } from './outbox';

/** Incident Manager caps eventData at 12,000 characters; the summary is cut well before that. */
const MAX_EVENT_DATA = 11_000;

export interface Owed<P> {
  key: string;
  payload: P;
}

const prefix = (install: string, caseNumber: string) => `${install}:${caseNumber}`;

function eventData(key: string, caseNumber: string, summary: string, details: Record<string, unknown>): string {
  const text = JSON.stringify({ summary: summary.slice(0, 2000), source: 'Lariat', case: caseNumber, lariatKey: key, ...details });
  return text.length <= MAX_EVENT_DATA
    ? text
    : JSON.stringify({ summary: summary.slice(0, 2000), source: 'Lariat', case: caseNumber, lariatKey: key, truncated: true });
}

/** Reads the dedupe key back out of an event's data, whatever else it holds. */
export function lariatKeyOf(data: string | undefined): string | null {
  if (!data) return null;
  try {
    const v = JSON.parse(data) as unknown;
    return v && typeof v === 'object' && typeof (v as { lariatKey?: unknown }).lariatKey === 'string'
      ? (v as { lariatKey: string }).lariatKey
      : null;
  } catch {
    return null;
  }
}

export function instanceArn(region: string | null, account: string | null, id: string): string | null {
  return region && account ? `arn:aws:ec2:${region}:${account}:instance/${id}` : null;
}

/** One timeline event per finished step of a response action (a failed try and the later success are two events). */
export function stepItems(install: string, caseNumber: string, a: ActionRecord): Owed<TimelinePayload>[] {
  const ref = instanceArn(a.region, a.account, a.instanceId);
  return a.steps
    .filter((s) => (s.state === 'succeeded' || s.state === 'failed') && s.finishedAt)
    .map((s) => {
      const key = `${prefix(install, caseNumber)}:step:${a.id}:${s.index}:${s.state}:${s.finishedAt}`;
      const summary = `Lariat ${a.kind} of ${a.instanceId}: step ${s.index + 1}/${a.stepsTotal} "${s.title}" (${s.service}:${s.operation}) ${s.state}${
        s.error ? `: ${s.error.message}` : ''
      }`;
      return {
        key,
        payload: {
          eventTime: s.finishedAt!,
          eventData: eventData(key, caseNumber, summary, {
            actionId: a.id,
            step: s.index + 1,
            call: `${s.service}:${s.operation}`,
            state: s.state,
          }),
          eventReferences: ref ? [{ resource: ref }] : [],
        },
      };
    });
}

/** Events the investigator flagged in the case timeline (not those copied from the incident itself). */
export function flaggedItems(install: string, caseNumber: string, events: TimelineEvent[]): Owed<TimelinePayload>[] {
  return events
    .filter((e) => e.flagged && e.time && !(e.action ?? '').startsWith('incident-manager.'))
    .map((e) => {
      const key = `${prefix(install, caseNumber)}:event:${e.id}`;
      const summary = `Flagged in ${caseNumber}: ${e.action ?? 'event'}${e.actor ? ` by ${e.actor}` : ''}${e.resource ? ` on ${e.resource}` : ''}${
        e.sourceIp ? ` from ${e.sourceIp}` : ''
      } (${e.source})`;
      return {
        key,
        payload: {
          eventTime: e.time!,
          eventData: eventData(key, caseNumber, summary, { eventId: e.id, source: e.source, region: e.region, account: e.account }),
          eventReferences: [],
        },
      };
    });
}

/** One timeline event per recorded runbook step state. */
export function runbookItems(
  install: string,
  caseNumber: string,
  runs: {
    id: number;
    documentName: string;
    steps: { stepExecutionId: string; name: string; status: string; endedAt: string | null; startedAt: string | null }[];
  }[],
): Owed<TimelinePayload>[] {
  return runs.flatMap((r) =>
    r.steps
      .filter((s) => s.endedAt ?? s.startedAt)
      .map((s) => {
        const key = `${prefix(install, caseNumber)}:runbook:${r.id}:${s.stepExecutionId}:${s.status}`;
        return {
          key,
          payload: {
            eventTime: (s.endedAt ?? s.startedAt)!,
            eventData: eventData(key, caseNumber, `Runbook ${r.documentName}: step "${s.name}" ${s.status}`, { runId: r.id }),
            eventReferences: [],
          },
        };
      }),
  );
}

/** Assets that have an ARN become involved resources; others (IPs, domains, key ids) stay in the case only. */
export function assetItems(install: string, caseNumber: string, assets: AssetRecord[]): Owed<RelatedItemPayload>[] {
  return assets.flatMap((a) => {
    const arn =
      a.kind === 'ec2-instance'
        ? instanceArn(a.region, a.account, a.identifier)
        : a.kind === 's3-bucket'
          ? `arn:aws:s3:::${a.identifier.replace(/^s3:\/\//, '').replace(/\/.*$/, '')}`
          : a.identifier.startsWith('arn:')
            ? a.identifier
            : null;
    if (!arn) return [];
    return [
      {
        key: `${prefix(install, caseNumber)}:asset:${a.id}`,
        payload: { type: 'INVOLVED_RESOURCE' as const, value: { arn }, title: `${a.kind} ${a.label || a.identifier}`.slice(0, 200) },
      },
    ];
  });
}

/** Evidence held in AWS (snapshots, S3 objects) becomes an attachment; local files have no address Incident Manager could open. */
export function evidenceItems(install: string, caseNumber: string, items: EvidenceItem[]): Owed<RelatedItemPayload>[] {
  return items.flatMap((e) => {
    const res = e.source.resource ?? '';
    const title = `Lariat evidence #${e.id}: ${e.description}${e.sha256 ? ` (SHA-256 ${e.sha256.slice(0, 16)}…)` : ''}`.slice(0, 200);
    let value: RelatedItemPayload['value'] | null = null;
    if (/^snap-[0-9a-f]+$/.test(res) && e.source.region) value = { arn: `arn:aws:ec2:${e.source.region}::snapshot/${res}` };
    else if (res.startsWith('arn:')) value = { arn: res };
    else {
      const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(res);
      if (m) value = { url: `https://${m[1]}.s3.amazonaws.com/${m[2]!.split('/').map(encodeURIComponent).join('/')}` };
    }
    if (!value) return [];
    return [{ key: `${prefix(install, caseNumber)}:evidence:${e.id}`, payload: { type: 'ATTACHMENT' as const, value, title } }];
  });
}
