import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../../main/ipc/dispatch';
import { ACCOUNT, ID, REGION, setup, stubInstance, type Env } from './fixtures';
import { awsError } from './aws-mock';

let e: Env;
const PLAN = `arn:aws:ssm-incidents::${ACCOUNT}:response-plan/ec2-compromise`;
const INCIDENT = `arn:aws:ssm-incidents::${ACCOUNT}:incident-record/ec2-compromise/0a1b2c3d`;
beforeEach(() => {
  e = setup();
  stubInstance(e.mock);
  e.mock
    .on('ssm-incidents', 'StartIncident', { incidentRecordArn: INCIDENT })
    .on('ssm-incidents', 'GetIncidentRecord', {
      incidentRecord: { arn: INCIDENT, title: 'IR: miner', status: 'OPEN', impact: 2, creationTime: new Date('2026-11-27T10:00:00Z') },
    })
    .on('ssm-incidents', 'CreateTimelineEvent', { incidentRecordArn: INCIDENT, eventId: 'ev-1' });
});
afterEach(() => e.cleanup());

describe('Incident Manager', () => {
  it('starts an incident from a response plan, reports its status, and adds each ended action to its timeline', async () => {
    const linked = await e.feature.incidents.linkIncident({ caseNumber: e.caseNumber, region: REGION, responsePlanArn: PLAN, impact: 2 });
    expect(linked).toMatchObject({ linked: true, incidentArn: INCIDENT, status: 'OPEN', impact: 2, title: 'IR: miner' });
    const start = e.mock.of('ssm-incidents', 'StartIncident')[0]!;
    expect(start).toMatchObject({
      responsePlanArn: PLAN,
      title: `${e.caseNumber}: Miner on web-1`,
      impact: 2,
      triggerDetails: { source: 'lariat' },
    });
    expect(String(start.clientToken)).toMatch(/^[0-9a-f]{64}$/);

    const p = await e.feature.response.plan({
      kind: 'isolate',
      caseNumber: e.caseNumber,
      region: REGION,
      instanceId: ID,
      options: { asgMode: 'detach', disassociateEips: false, profileMode: 'keep', revokeSessions: false, nacl: false, skipEvidence: false },
    });
    await e.feature.response.run(p.id, ID);
    // One incident timeline event per finished step, each carrying its dedupe key (issue 16).
    const events = e.mock.of('ssm-incidents', 'CreateTimelineEvent');
    expect(events).toHaveLength(p.steps.length);
    expect(events[0]).toMatchObject({ incidentRecordArn: INCIDENT, eventType: 'Custom Event' });
    const data = events.map((ev) => JSON.parse(String(ev.eventData)) as { summary: string; lariatKey: string });
    expect(data[0]!.summary).toBe(
      `Lariat isolate of ${ID}: step 1/${p.steps.length} "${p.steps[0]!.title}" (ec2:DescribeInstances) succeeded`,
    );
    expect(new Set(data.map((d) => d.lariatKey)).size).toBe(p.steps.length);
    expect(new Set(events.map((ev) => ev.clientToken)).size).toBe(p.steps.length);
  });

  it('links an existing incident, refuses a second link, and a failed timeline write never fails the action', async () => {
    const r = await dispatch(e.handlers, 'linkIncident', { caseNumber: e.caseNumber, region: REGION, incidentArn: INCIDENT });
    expect(r.ok).toBe(true);
    expect(e.mock.of('ssm-incidents', 'StartIncident')).toEqual([]);
    await expect(
      e.feature.incidents.linkIncident({ caseNumber: e.caseNumber, region: REGION, incidentArn: INCIDENT }),
    ).rejects.toMatchObject({ code: 'incident-already-linked' });
    const bad = await dispatch(e.handlers, 'linkIncident', { caseNumber: e.caseNumber, region: REGION });
    expect(bad.ok).toBe(false);

    e.mock.failNext('ssm-incidents', 'CreateTimelineEvent', awsError('AccessDeniedException'));
    const p = await e.feature.response.plan({
      kind: 'isolate',
      caseNumber: e.caseNumber,
      region: REGION,
      instanceId: ID,
      options: { asgMode: 'detach', disassociateEips: false, profileMode: 'keep', revokeSessions: false, nacl: false, skipEvidence: false },
    });
    const done = await e.feature.response.run(p.id, ID);
    expect(done.state).toBe('succeeded');
    const log = e.s.core.activity.list(e.caseNumber).find((a) => a.action === 'incident.timeline-event-failed');
    expect(String(log?.details.reason)).toContain('ssm-incidents:CreateTimelineEvent');

    e.mock.failNext('ssm-incidents', 'GetIncidentRecord', awsError('AccessDeniedException'));
    const status = await e.feature.incidents.status(e.caseNumber);
    expect(status).toMatchObject({ linked: true, incidentArn: INCIDENT, status: null });
    expect(status.unavailable).toContain('ssm-incidents:GetIncidentRecord');
  });

  it('says when a case is not linked', async () => {
    expect(await e.feature.incidents.status(e.caseNumber)).toMatchObject({ linked: false, incidentArn: null });
    expect(e.mock.calls).toEqual([]);
  });
});

describe('lariat respond incident', () => {
  it('starts and then shows the incident', async () => {
    const { runCli } = await import('../../../main/cli/main');
    const out: string[] = [];
    const io = { out: (t: string) => out.push(t), err: (t: string) => out.push(`ERR ${t}`) };
    const services = () => ({ ...e.s, close: () => undefined });
    expect(
      await runCli(['respond', 'incident', '--case', e.caseNumber, '--region', REGION, '--response-plan', PLAN], { io, env: {}, services }),
    ).toBe(0);
    expect(await runCli(['respond', 'incident', '--case', e.caseNumber], { io, env: {}, services })).toBe(0);
    expect(out.join('\n')).toContain(`incident ${INCIDENT}`);
    expect(out.join('\n')).toContain('status OPEN impact 2 "IR: miner"');
  });
});
