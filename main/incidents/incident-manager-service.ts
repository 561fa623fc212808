import type { Core } from '../core/core';
import type { AwsSession } from '../aws/session';
import { AppError } from '../core/errors';
import type { TimelineApi } from '../timeline/api';
import type { CaseRecord } from '../../common/contract/cases';
import type { IncidentSummary, IncidentSyncReport, IncidentSyncView } from '../../common/contract/incidents';
import type { CasePlanStore } from '../plans/case-plans';
import { SEVERITY_OF_IMPACT } from '../plans/im-import';
import { Outbox } from './outbox';
import { SyncStore } from './sync-store';
import { impactOf, iso, linkedState, readIncidentToLink, recordStarted, startIncidentCall } from './link';
import { syncView } from './sync-view';
import { runSync, type SyncSources } from './run-sync';
import { readEngagements } from './engagements';
import { explainMissingIncidentManager, maybeNotSetUp } from './probe';

const MAX_LISTED = 500;

export interface IncidentManagerDeps {
  core: Core;
  session: AwsSession;
  timeline: TimelineApi;
  sources: SyncSources;
  casePlans: CasePlanStore;
}

/**
 * Incident Manager, both ways, for accounts that have it: open incidents
 * listed and opened as linked cases, incidents started from a case
 * (idempotent), the two-way sync, impact and resolution. Without Incident
 * Manager every case keeps working; these calls then say what is missing.
 */
export class IncidentManagerService {
  private readonly store: SyncStore;
  private readonly outbox: Outbox;

  constructor(private readonly deps: IncidentManagerDeps) {
    this.store = new SyncStore(deps.core.db);
    this.outbox = new Outbox(deps.core.db);
  }

  view(caseNumber: string): IncidentSyncView {
    const c = this.deps.core.cases.require(caseNumber);
    return syncView(this.store, this.outbox, c.id, caseNumber);
  }

  async listOpen(region: string): Promise<IncidentSummary[]> {
    const clients = await this.deps.session.clients();
    const out: IncidentSummary[] = [];
    let token: string | undefined;
    try {
      do {
        const page = await clients.call<{
          nextToken?: string;
          incidentRecordSummaries?: {
            arn?: string;
            title?: string;
            status?: string;
            impact?: number;
            creationTime?: Date;
            resolvedTime?: Date;
            incidentRecordSource?: { source?: string; createdBy?: string };
          }[];
        }>('ssm-incidents', region, 'ListIncidentRecords', {
          filters: [{ key: 'status', condition: { equals: { stringValues: ['OPEN'] } } }],
          maxResults: 100,
          ...(token ? { nextToken: token } : {}),
        });
        for (const r of page.incidentRecordSummaries ?? []) {
          if (!r.arn) continue;
          out.push({
            arn: r.arn,
            title: r.title ?? '',
            status: r.status ?? 'OPEN',
            impact: r.impact ?? null,
            createdAt: iso(r.creationTime),
            resolvedAt: iso(r.resolvedTime),
            source: r.incidentRecordSource?.source ?? null,
            createdBy: r.incidentRecordSource?.createdBy ?? null,
            caseNumber: this.store.caseOfIncident(r.arn),
          });
        }
        token = out.length < MAX_LISTED ? page.nextToken : undefined;
      } while (token);
    } catch (err) {
      if (maybeNotSetUp(err)) await explainMissingIncidentManager(clients, region, err);
      throw err;
    }
    return out;
  }

  /** A case for the incident: the one already linked to it, or a new one with its title, impact, status and chat channel. */
  async openAsCase(region: string, arn: string): Promise<CaseRecord> {
    const { core } = this.deps;
    const existing = this.store.caseOfIncident(arn);
    if (existing) return core.cases.get(existing);
    const clients = await this.deps.session.clients();
    const r = await readIncidentToLink(clients, region, arn);
    const engagements = await readEngagements(clients, region, arn).catch(() => null);
    const impact = impactOf(r);
    const record = core.db.transaction(() => {
      const again = this.store.caseOfIncident(arn);
      if (again) return core.cases.get(again);
      const c = core.cases.create({
        title: (r.title || arn.split('/').pop() || 'Incident').slice(0, 200),
        severity: impact ? SEVERITY_OF_IMPACT[impact]! : 'medium',
        summary: `Opened from the Incident Manager incident ${arn}.`,
        regions: [region],
        tags: ['incident-manager'],
      });
      const row = core.cases.require(c.number);
      this.store.insertLink(row.id, arn, region, false, core.clock.now().toISOString(), core.actor().name);
      this.store.patch(row.id, {
        ...linkedState(r),
        ...(engagements ? { engagements: JSON.stringify(engagements) } : {}),
      });
      core.activity.record({ caseId: row.id, action: 'incident.opened-as-case', entity: 'incident', entityId: arn, details: { region } });
      this.deps.timeline.appendEvents(c.number, [
        {
          time: iso(r.creationTime) ?? core.clock.now().toISOString(),
          source: 'lariat',
          action: 'incident-manager.incident-opened',
          actor: r.lastModifiedBy ?? 'Incident Manager',
          resource: arn,
          region,
          raw: { origin: 'incident-manager', incidentRecordArn: arn, title: r.title ?? null, status: r.status ?? null, impact },
        },
      ]);
      return core.cases.get(c.number);
    })();
    core.events.emit('caseChanged', { caseNumber: record.number, what: 'incident' });
    return record;
  }

  /** StartIncident for the case, with the response plan given or the one of the plan the case follows (idempotent). */
  async start(input: { caseNumber: string; region?: string; responsePlanArn?: string; impact?: number }): Promise<IncidentSyncView> {
    const { core } = this.deps;
    const row = core.cases.requireWritable(input.caseNumber);
    if (this.store.linkOf(row.id)) return this.view(input.caseNumber);
    const plan = this.deps.casePlans.get(row.id)?.plan;
    const planArn = input.responsePlanArn ?? plan?.incidentManager?.responsePlanArn;
    if (!planArn)
      throw new AppError(
        'no-response-plan',
        `${input.caseNumber} has no Incident Manager response plan to start an incident with.`,
        'Give one (--response-plan ARN), or start the case from a plan imported from Incident Manager (`lariat plan import --response-plan ARN`).',
      );
    const c = core.cases.get(input.caseNumber);
    const region = input.region ?? plan?.incidentManager?.region ?? c.regions[0] ?? this.deps.session.whoAmI().region;
    const impact = input.impact ?? plan?.incident.impact;
    const clients = await this.deps.session.clients();
    const arn = await startIncidentCall(core, clients, { region, responsePlanArn: planArn, caseRecord: c, ...(impact ? { impact } : {}) });
    recordStarted(core, { caseNumber: c.number, arn, region, responsePlanArn: planArn, ...(impact ? { impact } : {}) });
    return this.view(c.number);
  }

  sync(caseNumber: string): Promise<IncidentSyncReport> {
    return this.deps.core.jobs.run(
      { kind: 'incident.sync', label: `Sync ${caseNumber} with Incident Manager`, caseNumber, unit: 'steps', total: 6 },
      (job) => runSync(this.deps, caseNumber, { job }),
    );
  }

  setImpact(caseNumber: string, impact: number): IncidentSyncView {
    const { core } = this.deps;
    core.db.transaction(() => {
      const row = core.cases.requireWritable(caseNumber);
      const sync = this.store.ensureRow(row.id);
      if (!sync) throw new AppError('incident-not-linked', `${caseNumber} is not linked to an incident.`, 'Start or link one first.');
      this.store.patch(row.id, { local_impact: impact, local_changed_at: core.clock.now().toISOString() });
      core.activity.record({
        caseId: row.id,
        action: 'incident.impact-set',
        entity: 'incident',
        entityId: sync.incident_arn,
        details: { from: sync.local_impact, to: impact },
      });
    })();
    core.events.emit('caseChanged', { caseNumber, what: 'incident' });
    return this.view(caseNumber);
  }

  /** Closes the case and, when asked and linked, resolves the incident (sent now, or at the next sync if Incident Manager is out of reach). */
  async resolve(caseNumber: string, resolveIncident: boolean): Promise<IncidentSyncView> {
    const { core } = this.deps;
    const linked = core.db.transaction(() => {
      const row = core.cases.requireWritable(caseNumber);
      if (core.cases.get(caseNumber).status !== 'closed') core.cases.update({ caseNumber, patch: { status: 'closed' } });
      const sync = this.store.ensureRow(row.id);
      if (!sync || !resolveIncident) return false;
      if (sync.local_status !== 'RESOLVED') {
        this.store.patch(row.id, { local_status: 'RESOLVED', local_changed_at: core.clock.now().toISOString() });
        core.activity.record({ caseId: row.id, action: 'incident.resolve-requested', entity: 'incident', entityId: sync.incident_arn });
      }
      return true;
    })();
    if (linked) await this.sync(caseNumber);
    return this.view(caseNumber);
  }
}
