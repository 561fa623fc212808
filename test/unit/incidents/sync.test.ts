import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { awsError } from '../response/aws-mock';
import { PLAN_ARN, REGION, ACCOUNT } from './fake-im';
import { pulledEvents, setup, type Env } from './fixture';

let e: Env;
beforeEach(() => {
  e = setup();
});
afterEach(() => e.cleanup());

const inc = () => e.incidents.incidents;

/** A CloudTrail event in the case timeline, flagged by the investigator. */
function flaggedEvent(action = 'CreateAccessKey', time = '2026-11-27T09:00:00.000Z'): number {
  e.s.timeline.timeline.appendEvents(e.caseNumber, [{ time, source: 'cloudtrail', action, actor: 'mallory', raw: { eventName: action } }]);
  const ev = e.s.timeline.events.query({ caseNumber: e.caseNumber, where: [{ column: 'action', value: action }] }).events[0]!;
  e.s.timeline.events.flag(e.caseNumber, ev.id, true);
  return ev.id;
}

async function startLinked(impact = 2): Promise<string> {
  const v = await inc().start({ caseNumber: e.caseNumber, region: REGION, responsePlanArn: PLAN_ARN, impact });
  return v.incidentArn!;
}

describe('Incident Manager: start and repeated syncs', () => {
  it('starts once (client token), then repeated syncs send each event and related item exactly once', async () => {
    flaggedEvent();
    e.s.core.assets.upsert({
      caseNumber: e.caseNumber,
      kind: 'ec2-instance',
      identifier: 'i-0abc1234def567890',
      account: ACCOUNT,
      region: REGION,
    });
    const arn = await startLinked();
    const start = e.mock.of('ssm-incidents', 'StartIncident');
    expect(start).toHaveLength(1);
    expect(start[0]).toMatchObject({ responsePlanArn: PLAN_ARN, impact: 2, title: `${e.caseNumber}: Miner on web-1` });
    expect(String(start[0]!.clientToken)).toMatch(/^[0-9a-f]{64}$/);
    // Starting again is "already done": no second incident.
    await inc().start({ caseNumber: e.caseNumber, region: REGION, responsePlanArn: PLAN_ARN });
    expect(e.mock.of('ssm-incidents', 'StartIncident')).toHaveLength(1);

    const first = await inc().sync(e.caseNumber);
    expect(first).toMatchObject({ pushedEvents: 1, relatedItemsAdded: 1, pulledEvents: 0 });
    expect(first.view.state).toBe('in-sync');
    for (let i = 0; i < 3; i++) {
      const again = await inc().sync(e.caseNumber);
      expect(again).toMatchObject({ pushedEvents: 0, relatedItemsAdded: 0, pulledEvents: 0, reconciledEvents: 0 });
    }
    expect(e.mock.of('ssm-incidents', 'CreateTimelineEvent')).toHaveLength(1);
    expect(e.mock.of('ssm-incidents', 'UpdateRelatedItems')).toHaveLength(1);
    expect(e.im.get(arn).events).toHaveLength(1);
    expect(e.im.get(arn).related).toEqual([
      {
        identifier: { type: 'INVOLVED_RESOURCE', value: { arn: `arn:aws:ec2:${REGION}:${ACCOUNT}:instance/i-0abc1234def567890` } },
        title: expect.any(String),
      },
    ]);
    const data = JSON.parse(e.im.get(arn).events[0]!.eventData) as { summary: string; lariatKey: string };
    expect(data.summary).toContain('CreateAccessKey by mallory');
    expect(data.lariatKey).toContain(`${e.caseNumber}:event:`);
    expect(pulledEvents(e)).toEqual([]);
  });

  it('a reply lost after AWS applied the call is found on the incident, never sent twice', async () => {
    flaggedEvent();
    const arn = await startLinked();
    e.im.loseReply('CreateTimelineEvent');
    const lost = await inc().sync(e.caseNumber);
    expect(lost.view.state).toBe('degraded');
    expect(lost.view.problem).toMatchObject({ code: 'aws-unreachable', stage: 'push timeline' });
    expect(lost.view.pending).toMatchObject({ timelineEvents: 1, unknown: 1 });
    expect(e.im.get(arn).events).toHaveLength(1);
    // Even with AWS's own token memory gone, the next sync recognises the event by its key.
    (e.im as unknown as { tokens: Map<string, string> }).tokens.clear();
    const next = await inc().sync(e.caseNumber);
    expect(next).toMatchObject({ reconciledEvents: 1, pushedEvents: 0, pulledEvents: 0 });
    expect(next.view).toMatchObject({ state: 'in-sync', problem: null });
    expect(e.mock.of('ssm-incidents', 'CreateTimelineEvent')).toHaveLength(1);
    expect(e.im.get(arn).events).toHaveLength(1);
    expect(pulledEvents(e)).toEqual([]);
  });

  it('a StartIncident reply lost after the incident was created yields the same incident on retry', async () => {
    e.im.loseReply('StartIncident');
    await expect(inc().start({ caseNumber: e.caseNumber, region: REGION, responsePlanArn: PLAN_ARN })).rejects.toMatchObject({
      code: 'aws-unreachable',
    });
    expect(inc().view(e.caseNumber).linked).toBe(false);
    const v = await inc().start({ caseNumber: e.caseNumber, region: REGION, responsePlanArn: PLAN_ARN });
    const tokens = e.mock.of('ssm-incidents', 'StartIncident').map((c) => c.clientToken);
    expect(tokens).toHaveLength(2);
    expect(tokens[0]).toBe(tokens[1]);
    expect(e.im.incidents.size).toBe(1);
    expect(v.incidentArn).toBe([...e.im.incidents.keys()][0]);
  });
});

describe('Incident Manager: the incident as others change it', () => {
  it('copies events written by others into the case timeline once, and an edited event once more as an update', async () => {
    const arn = await startLinked();
    const other = e.im.addEvent(arn, '"Paged the database on-call"', new Date('2026-11-27T10:05:00Z'));
    expect((await inc().sync(e.caseNumber)).pulledEvents).toBe(1);
    expect((await inc().sync(e.caseNumber)).pulledEvents).toBe(0);
    let pulled = pulledEvents(e);
    expect(pulled).toHaveLength(1);
    expect(pulled[0]).toMatchObject({ action: 'incident-manager.timeline-event', resource: arn, time: '2026-11-27T10:05:00.000Z' });
    const raw = e.s.timeline.events.get(e.caseNumber, pulled[0]!.id).raw as { eventData: string; eventId: string };
    expect(raw).toMatchObject({ eventData: '"Paged the database on-call"', eventId: other.eventId });

    other.eventData = '"Paged the database on-call (acknowledged)"';
    other.eventUpdatedTime = new Date('2026-11-27T10:20:00Z');
    expect((await inc().sync(e.caseNumber)).pulledEvents).toBe(1);
    expect((await inc().sync(e.caseNumber)).pulledEvents).toBe(0);
    pulled = pulledEvents(e);
    expect(pulled.map((p) => p.action)).toEqual(['incident-manager.timeline-event', 'incident-manager.timeline-event-updated']);
    expect(inc().view(e.caseNumber).pulledEvents).toBe(1);
  });

  it('takes an impact changed by someone else between two syncs, sends one changed here, and lets the later change win a conflict', async () => {
    const arn = await startLinked(2);
    await inc().sync(e.caseNumber);
    const x = e.im.get(arn);
    x.impact = 1;
    x.lastModifiedBy = 'arn:aws:iam::111122223333:user/alice';
    x.lastModifiedTime = new Date('2026-11-27T10:30:00Z');
    const r = await inc().sync(e.caseNumber);
    expect(r.remoteChanges).toEqual(['impact changed from 2 to 1 by arn:aws:iam::111122223333:user/alice']);
    expect(e.mock.of('ssm-incidents', 'UpdateIncidentRecord')).toEqual([]);
    expect(r.view).toMatchObject({ localImpact: 1, remoteImpact: 1, state: 'in-sync' });
    expect(pulledEvents(e).map((p) => p.action)).toEqual(['incident-manager.impact-changed']);

    e.clock.set('2026-11-27T10:40:00Z');
    expect(inc().setImpact(e.caseNumber, 3).pending.impactUpdate).toBe(true);
    const sent = await inc().sync(e.caseNumber);
    expect(sent.localChangesSent).toEqual(['impact set to 3']);
    expect(e.mock.of('ssm-incidents', 'UpdateIncidentRecord')).toEqual([expect.objectContaining({ arn, impact: 3 })]);
    expect(x.impact).toBe(3);
    await inc().sync(e.caseNumber);
    expect(e.mock.of('ssm-incidents', 'UpdateIncidentRecord')).toHaveLength(1);

    // Both sides change: the incident's change is later, so it wins and nothing is sent.
    e.clock.set('2026-11-27T11:00:00Z');
    inc().setImpact(e.caseNumber, 4);
    x.impact = 5;
    x.lastModifiedTime = new Date('2026-11-27T11:05:00Z');
    const conflict = await inc().sync(e.caseNumber);
    expect(conflict.view.localImpact).toBe(5);
    expect(conflict.remoteChanges[0]).toContain('later than the change made here');
    expect(e.mock.of('ssm-incidents', 'UpdateIncidentRecord')).toHaveLength(1);
    // The change here is later: it wins and is sent.
    e.clock.set('2026-11-27T12:00:00Z');
    inc().setImpact(e.caseNumber, 2);
    x.impact = 4;
    x.lastModifiedTime = new Date('2026-11-27T11:30:00Z');
    const mine = await inc().sync(e.caseNumber);
    expect(mine.localChangesSent).toEqual(['impact set to 2']);
    expect(x.impact).toBe(2);
  });

  it('resolves the incident on request when the case is resolved, and adopts a resolution made in Incident Manager', async () => {
    const arn = await startLinked();
    const v = await inc().resolve(e.caseNumber, true);
    expect(e.s.core.cases.get(e.caseNumber).status).toBe('closed');
    expect(e.mock.of('ssm-incidents', 'UpdateIncidentRecord')).toEqual([expect.objectContaining({ arn, status: 'RESOLVED' })]);
    expect(e.im.get(arn).status).toBe('RESOLVED');
    expect(v).toMatchObject({ localStatus: 'RESOLVED', remoteStatus: 'RESOLVED', state: 'in-sync' });

    const other = e.s.core.cases.create({ title: 'Second', severity: 'low', regions: [REGION] }).number;
    const x = e.im.add({ title: 'alarm' });
    await inc()
      .openAsCase(REGION, x.arn)
      .then((c) => expect(c.number).not.toBe(other));
    const linked = e.im.add({ title: 'kept open' });
    const c3 = await inc().openAsCase(REGION, linked.arn);
    await inc().resolve(c3.number, false);
    expect(e.s.core.cases.get(c3.number).status).toBe('closed');
    expect(linked.status).toBe('OPEN');

    // Resolved by someone in Incident Manager: adopted at the next sync, the case itself is left to the investigator.
    const c2 = await inc().openAsCase(REGION, x.arn);
    x.status = 'RESOLVED';
    x.resolvedTime = new Date('2026-11-27T10:50:00Z');
    x.lastModifiedTime = new Date('2026-11-27T10:50:00Z');
    const r = await inc().sync(c2.number);
    expect(r.view).toMatchObject({ localStatus: 'RESOLVED', remoteStatus: 'RESOLVED', resolvedAt: '2026-11-27T10:50:00.000Z' });
    expect(e.s.core.cases.get(c2.number).status).toBe('open');
  });
});

describe('Incident Manager: degrading cleanly', () => {
  it('says plainly when the account has no Incident Manager, and the case keeps working', async () => {
    e.im.replicationSets = [];
    await expect(inc().start({ caseNumber: e.caseNumber, region: REGION, responsePlanArn: PLAN_ARN })).rejects.toMatchObject({
      code: 'incident-manager-not-set-up',
      message: expect.stringContaining('no replication set'),
    });
    expect(inc().view(e.caseNumber)).toMatchObject({ linked: false, state: 'not-linked' });
    expect(e.s.tasks.add({ caseNumber: e.caseNumber, title: 'carry on' }).title).toBe('carry on');
    await expect(inc().sync(e.caseNumber)).rejects.toMatchObject({ code: 'incident-not-linked' });
    await expect(inc().listOpen(REGION)).resolves.toEqual([]);
  });

  it('a linked incident whose Incident Manager disappeared: degraded, pending kept, retried later without duplicates', async () => {
    flaggedEvent();
    const arn = await startLinked();
    const kept = e.im.get(arn);
    e.im.incidents.clear();
    e.im.replicationSets = [];
    const r = await inc().sync(e.caseNumber);
    expect(r.view).toMatchObject({ state: 'degraded', pending: { timelineEvents: 1 } });
    expect(r.view.problem).toMatchObject({ code: 'incident-manager-not-set-up', stage: 'status and impact' });
    expect(r.view.nextRetryAt).toBe('2026-11-27T10:00:30.000Z');
    expect(e.s.tasks.add({ caseNumber: e.caseNumber, title: 'still works' }).id).toBeGreaterThan(0);
    // Back again: the next sync sends what was pending, once.
    e.im.incidents.set(arn, kept);
    e.im.replicationSets = ['x'];
    const back = await inc().sync(e.caseNumber);
    expect(back).toMatchObject({ pushedEvents: 1 });
    expect(back.view).toMatchObject({ state: 'in-sync', problem: null, nextRetryAt: null });
    expect(kept.events).toHaveLength(1);
  });

  it('retries throttling, and when throttling persists keeps the item pending and backs off', async () => {
    flaggedEvent();
    const arn = await startLinked();
    e.mock.failNext('ssm-incidents', 'CreateTimelineEvent', awsError('ThrottlingException', 'Rate exceeded'));
    e.mock.failNext('ssm-incidents', 'CreateTimelineEvent', awsError('ThrottlingException', 'Rate exceeded'));
    const ok = await inc().sync(e.caseNumber);
    expect(ok.pushedEvents).toBe(1);
    expect(e.mock.of('ssm-incidents', 'CreateTimelineEvent')).toHaveLength(3);

    flaggedEvent('DeleteTrail', '2026-11-27T09:30:00.000Z');
    for (let i = 0; i < 5; i++) e.mock.failNext('ssm-incidents', 'CreateTimelineEvent', awsError('ThrottlingException', 'Rate exceeded'));
    const throttled = await inc().sync(e.caseNumber);
    expect(throttled.view).toMatchObject({ state: 'degraded', pending: { timelineEvents: 1, unknown: 0 } });
    expect(throttled.view.problem).toMatchObject({ code: 'aws-throttled', stage: 'push timeline' });
    expect(throttled.view.problem!.message).toContain('ssm-incidents:CreateTimelineEvent');
    const second = await inc().sync(e.caseNumber);
    expect(second.view.nextRetryAt).toBeNull();
    expect(e.im.lariatEvents(arn)).toHaveLength(2);
  });

  it('AccessDenied names the IAM action at the stage that needed it', async () => {
    await startLinked();
    for (const [op, stage] of [
      ['GetIncidentRecord', 'status and impact'],
      ['ListTimelineEvents', 'pull timeline'],
    ] as const) {
      e.mock.failNext('ssm-incidents', op, awsError('AccessDeniedException', 'not authorized'));
      const r = await inc().sync(e.caseNumber);
      expect(r.view.problem).toMatchObject({ code: 'aws-access-denied', stage });
      expect(r.view.problem!.message).toContain(`ssm-incidents:${op}`);
    }
    e.mock.failNext('ssm-contacts', 'ListEngagements', awsError('AccessDeniedException', 'not authorized'));
    const r = await inc().sync(e.caseNumber);
    expect(r.view.problem).toMatchObject({ code: 'aws-access-denied', stage: 'engagements' });
    expect(r.view.problem!.message).toContain('ssm-contacts:ListEngagements');
    expect((await inc().sync(e.caseNumber)).view.state).toBe('in-sync');
  });

  it('offline: the sync says what is pending and changes nothing', async () => {
    flaggedEvent();
    await startLinked();
    e.mock.failNext(
      'ssm-incidents',
      'GetIncidentRecord',
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:443'), { name: 'Error', code: 'ECONNREFUSED' }),
    );
    const r = await inc().sync(e.caseNumber);
    expect(r.view).toMatchObject({ state: 'degraded', pending: { timelineEvents: 1, unknown: 0 } });
    expect(r.view.problem).toMatchObject({ code: 'aws-unreachable' });
    expect(e.mock.of('ssm-incidents', 'CreateTimelineEvent')).toEqual([]);
  });
});

describe('Incident Manager: open incidents, engagements and pages', () => {
  it('lists open incidents (alarms included), opens one as a linked case once, and shows who was paged', async () => {
    const x = e.im.add({ title: 'CPU alarm on web-1', impact: 2, chatChannel: { chatbotSns: [`arn:aws:sns:${REGION}:${ACCOUNT}:chat`] } });
    e.im.add({ title: 'old', status: 'RESOLVED' });
    e.im.engagements.push({
      EngagementArn: `arn:aws:ssm-contacts:${REGION}:${ACCOUNT}:engagement/oncall/1`,
      ContactArn: `arn:aws:ssm-contacts:${REGION}:${ACCOUNT}:contact/oncall`,
      Sender: 'Incident Manager',
      IncidentId: x.arn,
      StartTime: new Date('2026-11-27T10:01:00Z'),
    });
    e.im.pages.set(`arn:aws:ssm-contacts:${REGION}:${ACCOUNT}:engagement/oncall/1`, [
      {
        ContactArn: `arn:aws:ssm-contacts:${REGION}:${ACCOUNT}:contact/ada`,
        SentTime: new Date('2026-11-27T10:01:05Z'),
        ReadTime: new Date('2026-11-27T10:03:00Z'),
      },
    ]);
    const open = await inc().listOpen(REGION);
    expect(open).toEqual([
      expect.objectContaining({ arn: x.arn, title: 'CPU alarm on web-1', impact: 2, source: 'aws.cloudwatch', caseNumber: null }),
    ]);
    const c = await inc().openAsCase(REGION, x.arn);
    expect(c).toMatchObject({ title: 'CPU alarm on web-1', severity: 'high', regions: [REGION], tags: ['incident-manager'] });
    expect((await inc().openAsCase(REGION, x.arn)).number).toBe(c.number);
    expect((await inc().listOpen(REGION))[0]!.caseNumber).toBe(c.number);
    const v = inc().view(c.number);
    expect(v).toMatchObject({ linked: true, incidentArn: x.arn, remoteImpact: 2, chatChannel: [`arn:aws:sns:${REGION}:${ACCOUNT}:chat`] });
    expect(v.engagements[0]!.pages[0]).toMatchObject({ readTime: '2026-11-27T10:03:00.000Z' });
    expect(e.mock.mutations().filter((m) => m.service === 'ssm-incidents')).toEqual([]);
  });

  it('an ended response action queues one event per finished step, sent once however often it is recorded', async () => {
    const arn = await startLinked();
    const action = {
      id: 7,
      caseNumber: e.caseNumber,
      kind: 'isolate' as const,
      target: { type: 'ec2-instance' as const, id: 'i-0abc1234def567890', region: REGION },
      instanceId: 'i-0abc1234def567890',
      releaseOf: null,
      region: REGION,
      account: ACCOUNT,
      state: 'failed' as const,
      interrupted: false,
      runningElsewhere: null,
      actor: 'x',
      createdAt: '2026-11-27T10:00:00.000Z',
      startedAt: '2026-11-27T10:00:00.000Z',
      finishedAt: '2026-11-27T10:02:00.000Z',
      error: null,
      stepsDone: 1,
      stepsTotal: 3,
      options: {},
      recorded: {},
      warnings: [],
      steps: [0, 1, 2].map((i) => ({
        index: i,
        key: `k${i}`,
        title: `Step ${i}`,
        kind: 'call',
        service: 'ec2',
        region: REGION,
        operation: 'CreateTags',
        iamAction: 'ec2:CreateTags',
        checks: [],
        request: {},
        state: i === 0 ? ('succeeded' as const) : i === 1 ? ('failed' as const) : ('pending' as const),
        attempts: 1,
        result: null,
        error: null,
        startedAt: null,
        finishedAt: i < 2 ? `2026-11-27T10:0${i + 1}:00.000Z` : null,
      })),
    };
    await e.response.incidents.recordAction(action);
    await e.response.incidents.recordAction(action);
    await inc().sync(e.caseNumber);
    expect(e.im.lariatEvents(arn).map((x) => (JSON.parse(x.eventData) as { summary: string }).summary)).toEqual([
      `Lariat isolate of i-0abc1234def567890: step 1/3 "Step 0" (ec2:CreateTags) succeeded`,
      `Lariat isolate of i-0abc1234def567890: step 2/3 "Step 1" (ec2:CreateTags) failed`,
    ]);
    expect(e.im.get(arn).events[0]!.eventReferences).toEqual([
      { resource: `arn:aws:ec2:${REGION}:${ACCOUNT}:instance/i-0abc1234def567890` },
    ]);
  });
});
