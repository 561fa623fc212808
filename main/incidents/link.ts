import type { Core } from '../core/core';
import type { AwsClients } from '../aws/clients';
import { AppError } from '../core/errors';
import type { CaseRecord } from '../../common/contract/cases';
import { SyncStore, clientToken, installationId, type SyncPatch } from './sync-store';
import { getRecord, type RemoteRecord } from './record-sync';
import { explainMissingIncidentManager, maybeNotSetUp } from './probe';

export const iso = (d: Date | string | undefined): string | null => (d ? new Date(d).toISOString() : null);

/** Reads an incident before linking it (GetIncidentRecord), so a typo or a missing permission is caught before anything is recorded. */
export function readIncidentToLink(clients: AwsClients, region: string, arn: string): Promise<RemoteRecord> {
  return getRecord(clients, { caseId: 0, arn, region }).catch((err: unknown) =>
    maybeNotSetUp(err) ? explainMissingIncidentManager(clients, region, err) : Promise.reject(err),
  );
}

/** The incident's impact when it is one Lariat knows (1 to 5). */
export const impactOf = (r: RemoteRecord): number | null => (r.impact && r.impact >= 1 && r.impact <= 5 ? r.impact : null);

/** A new link's sync state from the incident as read: remote, local and base agree, as nothing changed on either side yet. */
export function linkedState(r: RemoteRecord): SyncPatch {
  const impact = impactOf(r);
  return {
    title: r.title ?? null,
    remote_status: r.status ?? null,
    remote_impact: impact,
    local_status: r.status ?? 'OPEN',
    local_impact: impact,
    base_status: r.status ?? 'OPEN',
    base_impact: impact,
    remote_created_at: iso(r.creationTime),
    remote_resolved_at: iso(r.resolvedTime),
    remote_modified_at: iso(r.lastModifiedTime),
    remote_modified_by: r.lastModifiedBy ?? null,
    chat_channel: JSON.stringify(r.chatChannel?.chatbotSns ?? []),
  };
}

/**
 * StartIncident for a case. The client token is derived from this data
 * folder, the case and the response plan, so a retry after a lost reply
 * returns the incident the first call created instead of a second one.
 */
export async function startIncidentCall(
  core: Core,
  clients: AwsClients,
  input: { region: string; responsePlanArn: string; caseRecord: CaseRecord; impact?: number },
): Promise<string> {
  const c = input.caseRecord;
  try {
    const out = await clients.call<{ incidentRecordArn?: string }>('ssm-incidents', input.region, 'StartIncident', {
      responsePlanArn: input.responsePlanArn,
      title: `${c.number}: ${c.title}`.slice(0, 200),
      ...(input.impact ? { impact: input.impact } : {}),
      clientToken: clientToken('start', installationId(core.settings), c.number, input.responsePlanArn),
      triggerDetails: { source: 'lariat', timestamp: core.clock.now(), rawData: JSON.stringify({ case: c.number }) },
    });
    if (!out.incidentRecordArn)
      throw new AppError(
        'aws-error',
        'StartIncident returned no incident ARN.',
        'Check the response plan in Incident Manager and try again.',
      );
    return out.incidentRecordArn;
  } catch (err) {
    if (maybeNotSetUp(err)) await explainMissingIncidentManager(clients, input.region, err);
    throw err;
  }
}

/** Records a started incident: the link, and the status and impact both sides now agree on. */
export function recordStarted(
  core: Core,
  input: { caseNumber: string; arn: string; region: string; responsePlanArn: string; impact?: number },
): void {
  const store = new SyncStore(core.db);
  core.db.transaction(() => {
    const row = core.cases.requireWritable(input.caseNumber);
    if (store.linkOf(row.id)) return;
    store.insertLink(row.id, input.arn, input.region, true, core.clock.now().toISOString(), core.actor().name);
    store.patch(row.id, {
      title: `${row.number}: ${row.title}`.slice(0, 200),
      local_status: 'OPEN',
      base_status: 'OPEN',
      remote_status: 'OPEN',
      ...(input.impact ? { local_impact: input.impact, base_impact: input.impact, remote_impact: input.impact } : {}),
    });
    core.activity.record({
      caseId: row.id,
      action: 'incident.started',
      entity: 'incident',
      entityId: input.arn,
      details: { region: input.region, responsePlanArn: input.responsePlanArn, impact: input.impact ?? null },
    });
  })();
  core.events.emit('caseChanged', { caseNumber: input.caseNumber, what: 'incident' });
}

/** Links an existing incident after reading it (see readIncidentToLink). */
export async function linkExistingIncident(
  core: Core,
  clients: AwsClients,
  input: { caseNumber: string; region: string; arn: string },
): Promise<void> {
  core.cases.requireWritable(input.caseNumber);
  const r = await readIncidentToLink(clients, input.region, input.arn);
  const store = new SyncStore(core.db);
  core.db.transaction(() => {
    const row = core.cases.requireWritable(input.caseNumber);
    store.insertLink(row.id, input.arn, input.region, false, core.clock.now().toISOString(), core.actor().name);
    store.patch(row.id, linkedState(r));
    core.activity.record({
      caseId: row.id,
      action: 'incident.linked',
      entity: 'incident',
      entityId: input.arn,
      details: { region: input.region },
    });
  })();
  core.events.emit('caseChanged', { caseNumber: input.caseNumber, what: 'incident' });
}
