import type { Core } from '../core/core';
import { AppError, toErrorInfo } from '../core/errors';
import type { AwsSession } from '../aws/session';
import type { ActionRecord, IncidentStatus } from '../../common/contract/response';
import { SyncStore } from '../incidents/sync-store';
import { linkExistingIncident, recordStarted, startIncidentCall } from '../incidents/link';
import { getRecord } from '../incidents/record-sync';
import { runSync } from '../incidents/run-sync';

/**
 * The response feature's view of Incident Manager: link a case to an
 * incident (start one from a response plan, or link an existing one), read
 * its live status, and hand every step of an ended action to the incident's
 * timeline. The two-way sync itself lives in main/incidents; this class only
 * needs the database and the AWS session, which is all the response feature
 * gives it.
 */
export class IncidentService {
  private readonly store: SyncStore;

  constructor(private readonly deps: { core: Core; session: AwsSession }) {
    this.store = new SyncStore(deps.core.db);
  }

  async linkIncident(input: {
    caseNumber: string;
    region: string;
    responsePlanArn?: string;
    incidentArn?: string;
    impact?: number;
  }): Promise<IncidentStatus> {
    const { core } = this.deps;
    const c = core.cases.requireWritable(input.caseNumber);
    const existing = this.store.linkOf(c.id);
    if (existing)
      throw new AppError(
        'incident-already-linked',
        `${input.caseNumber} is already linked to ${existing.incident_arn}.`,
        'One case follows one incident; open the incident in the AWS console to relate others.',
      );
    const clients = await this.deps.session.clients();
    if (input.responsePlanArn) {
      const arn = await startIncidentCall(core, clients, {
        region: input.region,
        responsePlanArn: input.responsePlanArn,
        caseRecord: core.cases.get(input.caseNumber),
        ...(input.impact ? { impact: input.impact } : {}),
      });
      recordStarted(core, {
        caseNumber: input.caseNumber,
        arn,
        region: input.region,
        responsePlanArn: input.responsePlanArn,
        ...(input.impact ? { impact: input.impact } : {}),
      });
    } else {
      await linkExistingIncident(core, clients, { caseNumber: input.caseNumber, region: input.region, arn: input.incidentArn! });
    }
    return this.status(input.caseNumber);
  }

  async status(caseNumber: string): Promise<IncidentStatus> {
    const c = this.deps.core.cases.require(caseNumber);
    const l = this.store.linkOf(c.id);
    const linkedAt =
      this.deps.core.db.prepare<[number], { linked_at: string }>('SELECT linked_at FROM response_incidents WHERE case_id = ?').get(c.id)
        ?.linked_at ?? null;
    const base: IncidentStatus = {
      linked: Boolean(l),
      incidentArn: l?.incident_arn ?? null,
      region: l?.region ?? null,
      title: null,
      status: null,
      impact: null,
      createdAt: null,
      resolvedAt: null,
      linkedAt,
      unavailable: null,
    };
    if (!l) return base;
    try {
      const clients = await this.deps.session.clients();
      const r = await getRecord(clients, { caseId: c.id, arn: l.incident_arn, region: l.region });
      return {
        ...base,
        title: r.title ?? null,
        status: r.status ?? null,
        impact: r.impact ?? null,
        createdAt: r.creationTime ? new Date(r.creationTime).toISOString() : null,
        resolvedAt: r.resolvedTime ? new Date(r.resolvedTime).toISOString() : null,
      };
    } catch (err) {
      return { ...base, unavailable: toErrorInfo(err).message };
    }
  }

  /**
   * Queues one incident timeline event per finished step of the ended action
   * (stable dedupe keys) and sends those never tried. Never fails the action:
   * what cannot be sent now stays queued for the next sync, and the case log
   * has it either way.
   */
  async recordAction(a: ActionRecord): Promise<void> {
    const { core } = this.deps;
    const c = core.cases.require(a.caseNumber);
    if (!this.store.linkOf(c.id) || c.read_only === 1) return;
    try {
      const report = await runSync({ core, session: this.deps.session }, a.caseNumber, { action: a, quick: true });
      core.activity.record({
        caseId: c.id,
        action: report.view.problem ? 'incident.timeline-event-failed' : 'incident.timeline-event',
        entity: 'incident',
        entityId: report.view.incidentArn,
        details: { actionId: a.id, state: a.state, pushed: report.pushedEvents, reason: report.view.problem?.message ?? null },
      });
    } catch (err) {
      core.activity.record({
        caseId: c.id,
        action: 'incident.timeline-event-failed',
        entity: 'incident',
        details: { actionId: a.id, reason: toErrorInfo(err).message },
      });
    }
  }
}
