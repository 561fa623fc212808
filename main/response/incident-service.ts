import { createHash } from 'node:crypto';
import type { Core } from '../core/core';
import { AppError } from '../core/errors';
import { toErrorInfo } from '../core/errors';
import type { AwsSession } from '../aws/session';
import type { ActionRecord, IncidentStatus } from '../../common/contract/response';

interface LinkRow {
  incident_arn: string;
  region: string;
  linked_at: string;
}

/** A client token AWS uses to make a retried create idempotent (max 128 characters). */
const token = (...parts: (string | number)[]): string => createHash('sha256').update(parts.join('|')).digest('hex').slice(0, 64);

/**
 * Links a case to an AWS Systems Manager Incident Manager incident (started
 * from a response plan, or an existing one) and keeps the incident's own
 * timeline in step: each response action that ends becomes a custom
 * timeline event there.
 */
export class IncidentService {
  constructor(private readonly deps: { core: Core; session: AwsSession }) {}

  private link(caseNumber: string): LinkRow | null {
    return (
      this.deps.core.db
        .prepare<[string], LinkRow>(
          'SELECT i.incident_arn, i.region, i.linked_at FROM response_incidents i JOIN cases c ON c.id = i.case_id WHERE c.number = ?',
        )
        .get(caseNumber) ?? null
    );
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
    const existing = this.link(input.caseNumber);
    if (existing)
      throw new AppError(
        'incident-already-linked',
        `${input.caseNumber} is already linked to ${existing.incident_arn}.`,
        'One case follows one incident; open the incident in the AWS console to relate others.',
      );
    const clients = await this.deps.session.clients();
    let arn = input.incidentArn;
    if (input.responsePlanArn) {
      const caseRecord = core.cases.get(input.caseNumber);
      const out = await clients.call<{ incidentRecordArn?: string }>('ssm-incidents', input.region, 'StartIncident', {
        responsePlanArn: input.responsePlanArn,
        title: `${caseRecord.number}: ${caseRecord.title}`.slice(0, 200),
        ...(input.impact ? { impact: input.impact } : {}),
        clientToken: token('start', caseRecord.number, input.responsePlanArn),
        triggerDetails: { source: 'lariat', timestamp: core.clock.now(), rawData: JSON.stringify({ case: caseRecord.number }) },
      });
      arn = out.incidentRecordArn;
      if (!arn)
        throw new AppError(
          'aws-error',
          'StartIncident returned no incident ARN.',
          'Check the response plan in Incident Manager and try again.',
        );
    } else {
      // Verifies the incident exists and is readable before linking it.
      await clients.call('ssm-incidents', input.region, 'GetIncidentRecord', { arn });
    }
    core.db.transaction(() => {
      core.db
        .prepare('INSERT INTO response_incidents (case_id, incident_arn, region, started, linked_at, linked_by) VALUES (?, ?, ?, ?, ?, ?)')
        .run(c.id, arn!, input.region, input.responsePlanArn ? 1 : 0, core.clock.now().toISOString(), core.actor().name);
      core.activity.record({
        caseId: c.id,
        action: input.responsePlanArn ? 'incident.started' : 'incident.linked',
        entity: 'incident',
        entityId: arn!,
        details: { region: input.region, responsePlanArn: input.responsePlanArn ?? null },
      });
    })();
    core.events.emit('caseChanged', { caseNumber: input.caseNumber, what: 'incident' });
    return this.status(input.caseNumber);
  }

  async status(caseNumber: string): Promise<IncidentStatus> {
    this.deps.core.cases.get(caseNumber);
    const l = this.link(caseNumber);
    const base: IncidentStatus = {
      linked: Boolean(l),
      incidentArn: l?.incident_arn ?? null,
      region: l?.region ?? null,
      title: null,
      status: null,
      impact: null,
      createdAt: null,
      resolvedAt: null,
      linkedAt: l?.linked_at ?? null,
      unavailable: null,
    };
    if (!l) return base;
    try {
      const clients = await this.deps.session.clients();
      const out = await clients.call<{
        incidentRecord?: { title?: string; status?: string; impact?: number; creationTime?: Date; resolvedTime?: Date };
      }>('ssm-incidents', l.region, 'GetIncidentRecord', { arn: l.incident_arn });
      const r = out.incidentRecord ?? {};
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

  /** Adds an ended action to the linked incident's timeline; never fails the action (the case log has it either way). */
  async recordAction(a: ActionRecord): Promise<void> {
    const l = this.link(a.caseNumber);
    if (!l) return;
    const { core } = this.deps;
    const c = core.cases.require(a.caseNumber);
    try {
      const clients = await this.deps.session.clients();
      const eventData = JSON.stringify({
        summary: `Lariat ${a.kind} of ${a.instanceId} ${a.state} (${a.stepsDone}/${a.stepsTotal} steps)`,
        case: a.caseNumber,
        actionId: a.id,
        region: a.region,
        steps: a.steps.map((s) => `${s.index + 1}. ${s.service}:${s.operation} ${s.state}`),
        error: a.error?.message ?? null,
      }).slice(0, 11_000);
      await clients.call('ssm-incidents', l.region, 'CreateTimelineEvent', {
        incidentRecordArn: l.incident_arn,
        eventTime: new Date(a.finishedAt ?? core.clock.now().toISOString()),
        eventType: 'Custom Event',
        eventData,
        clientToken: token('action', a.id, a.state, a.finishedAt ?? ''),
      });
      core.activity.record({
        caseId: c.id,
        action: 'incident.timeline-event',
        entity: 'incident',
        entityId: l.incident_arn,
        details: { actionId: a.id, state: a.state },
      });
    } catch (err) {
      core.activity.record({
        caseId: c.id,
        action: 'incident.timeline-event-failed',
        entity: 'incident',
        entityId: l.incident_arn,
        details: { actionId: a.id, reason: toErrorInfo(err).message },
      });
    }
  }
}
