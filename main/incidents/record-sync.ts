import type { AwsClients } from '../aws/clients';
import type { TimelineEventInput } from '../timeline/api';
import type { SyncPatch, SyncRow } from './sync-store';
import { clientToken } from './sync-store';
import type { IncidentRef } from './push';

export interface RemoteRecord {
  title?: string;
  status?: 'OPEN' | 'RESOLVED';
  impact?: number;
  creationTime?: Date;
  resolvedTime?: Date;
  lastModifiedTime?: Date;
  lastModifiedBy?: string;
  chatChannel?: { chatbotSns?: string[] };
}

const iso = (d: Date | string | undefined): string | null => (d ? new Date(d).toISOString() : null);

export async function getRecord(clients: AwsClients, ref: IncidentRef): Promise<RemoteRecord> {
  const out = await clients.call<{ incidentRecord?: RemoteRecord }>('ssm-incidents', ref.region, 'GetIncidentRecord', { arn: ref.arn });
  return out.incidentRecord ?? {};
}

type Field = 'impact' | 'status';

/**
 * Three-way merge of one field: `base` is the value both sides last agreed on.
 * Only Lariat changed it: send. Only the incident changed it: take it. Both:
 * the later change wins (the incident's lastModifiedTime against when it was
 * changed here), and the loser is named in the case timeline.
 */
export function merge<T>(
  local: T | null,
  base: T | null,
  remote: T | null,
  localChangedAt: string | null,
  remoteModifiedAt: string | null,
) {
  if (remote === null) return { value: local, send: false, adopt: false, conflict: false };
  // Equal, or never synced (a case linked before the sync existed): the incident's value is the common ground.
  if (local === null || base === null || local === remote) return { value: remote, send: false, adopt: false, conflict: false };
  const localMoved = local !== base;
  const remoteMoved = remote !== base;
  if (localMoved && !remoteMoved) return { value: local, send: true, adopt: false, conflict: false };
  if (!localMoved && remoteMoved) return { value: remote, send: false, adopt: true, conflict: false };
  const localWins = Boolean(localChangedAt && remoteModifiedAt && localChangedAt > remoteModifiedAt);
  return { value: localWins ? local : remote, send: localWins, adopt: !localWins, conflict: true };
}

/**
 * Status and impact, both ways. Returns the sync-row patch, what changed on
 * each side (in words), and timeline notes for changes made by others.
 */
export async function syncRecord(
  clients: AwsClients,
  ref: IncidentRef,
  row: SyncRow,
  now: string,
): Promise<{ patch: SyncPatch; remoteChanges: string[]; localChangesSent: string[]; notes: TimelineEventInput[] }> {
  const r = await getRecord(clients, ref);
  const remote: Record<Field, number | string | null> = { impact: r.impact ?? null, status: r.status ?? null };
  const local: Record<Field, number | string | null> = { impact: row.local_impact, status: row.local_status };
  const base: Record<Field, number | string | null> = { impact: row.base_impact, status: row.base_status };
  const remoteModifiedAt = iso(r.lastModifiedTime);
  const who = r.lastModifiedBy ?? 'someone in Incident Manager';
  const send: Partial<Record<Field, number | string>> = {};
  const result: Record<Field, number | string | null> = { impact: null, status: null };
  const remoteChanges: string[] = [];
  const notes: TimelineEventInput[] = [];
  for (const f of ['impact', 'status'] as Field[]) {
    const m = merge(local[f], base[f], remote[f], row.local_changed_at, remoteModifiedAt);
    result[f] = m.value;
    if (m.send && m.value !== null) send[f] = m.value;
    if (m.adopt) {
      const words = `${f} changed from ${String(base[f] ?? local[f])} to ${String(remote[f])} by ${who}${m.conflict ? ' (later than the change made here, which it replaces)' : ''}`;
      remoteChanges.push(words);
      notes.push({
        time: remoteModifiedAt ?? now,
        source: 'lariat',
        action: `incident-manager.${f}-changed`,
        actor: who,
        resource: ref.arn,
        region: ref.region,
        raw: {
          origin: 'incident-manager',
          incidentRecordArn: ref.arn,
          field: f,
          from: base[f] ?? local[f],
          to: remote[f],
          conflict: m.conflict,
        },
      });
    }
  }
  const localChangesSent: string[] = [];
  if (Object.keys(send).length) {
    await clients.call('ssm-incidents', ref.region, 'UpdateIncidentRecord', {
      arn: ref.arn,
      ...send,
      clientToken: clientToken('update', ref.arn, String(send.impact ?? ''), String(send.status ?? ''), row.local_changed_at ?? ''),
    });
    for (const [f, v] of Object.entries(send)) localChangesSent.push(`${f} set to ${String(v)}`);
  }
  const resolvedHere = send.status === 'RESOLVED';
  return {
    patch: {
      title: r.title ?? row.title,
      remote_status: ((send.status ?? remote.status) as 'OPEN' | 'RESOLVED' | null) ?? null,
      remote_impact: ((send.impact ?? remote.impact) as number | null) ?? null,
      remote_created_at: iso(r.creationTime),
      remote_resolved_at: iso(r.resolvedTime) ?? (resolvedHere ? now : null),
      remote_modified_at: Object.keys(send).length ? now : remoteModifiedAt,
      remote_modified_by: Object.keys(send).length ? 'Lariat' : (r.lastModifiedBy ?? null),
      local_status: (result.status as 'OPEN' | 'RESOLVED' | null) ?? row.local_status,
      local_impact: (result.impact as number | null) ?? row.local_impact,
      base_status: (result.status as 'OPEN' | 'RESOLVED' | null) ?? row.base_status,
      base_impact: (result.impact as number | null) ?? row.base_impact,
      chat_channel: JSON.stringify(r.chatChannel?.chatbotSns ?? JSON.parse(row.chat_channel)),
    },
    remoteChanges,
    localChangesSent,
    notes,
  };
}
