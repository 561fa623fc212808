import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call } from '../../helpers/call';
import { awsError } from '../response/aws-mock';
import { ACCOUNT, PLAN_ARN, REGION } from '../incidents/fake-im';
import { setup, type Env } from '../incidents/fixture';

let e: Env;
const DOC = 'AWSSupport-ContainEC2Instance';
const EXEC = '4f8c0a1e-0000-4000-8000-000000000001';

interface Step {
  StepName: string;
  StepExecutionId: string;
  StepStatus: string;
  Action: string;
  Outputs?: Record<string, string[]>;
  ExecutionEndTime?: Date;
}

/** A scripted automation: each GetAutomationExecution moves it one step on. */
function fakeAutomation(e: Env, options: { fail?: boolean } = {}) {
  const state = { polls: 0, status: 'InProgress', started: 0, stopped: false };
  const steps: Step[] = [
    { StepName: 'describeInstance', StepExecutionId: 's-1', StepStatus: 'Pending', Action: 'aws:executeAwsApi' },
    { StepName: 'backupInstance', StepExecutionId: 's-2', StepStatus: 'Pending', Action: 'aws:createImage' },
    { StepName: 'restrictSecurityGroup', StepExecutionId: 's-3', StepStatus: 'Pending', Action: 'aws:executeAwsApi' },
  ];
  const advance = () => {
    if (state.stopped) {
      state.status = 'Cancelled';
      for (const s of steps) if (s.StepStatus !== 'Success') s.StepStatus = 'Cancelled';
      return;
    }
    const i = state.polls++;
    if (i < steps.length) {
      steps[i]!.StepStatus = options.fail && i === 2 ? 'Failed' : 'Success';
      steps[i]!.ExecutionEndTime = new Date(Date.UTC(2026, 10, 27, 10, 1 + i));
      if (i === 1) steps[i]!.Outputs = { ImageId: ['ami-0123456789abcdef0'] };
      if (i + 1 < steps.length) steps[i + 1]!.StepStatus = 'InProgress';
    }
    if (i >= steps.length - 1) state.status = options.fail ? 'Failed' : 'Success';
  };
  e.mock
    .on('ssm', 'ListDocuments', (i) => {
      const owner = (i.Filters as { Key: string; Values: string[] }[]).find((f) => f.Key === 'Owner')!.Values[0];
      if (owner === 'Self') return { DocumentIdentifiers: [{ Name: 'Acme-Quarantine', Owner: ACCOUNT, DocumentVersion: '2' }] };
      return i.NextToken
        ? { DocumentIdentifiers: [{ Name: 'AWSSupport-TroubleshootSSH', Owner: 'Amazon' }] }
        : { DocumentIdentifiers: [{ Name: DOC, Owner: 'Amazon', DocumentVersion: '5' }], NextToken: 'p2' };
    })
    .on('ssm', 'DescribeDocument', (i) => {
      if (i.Name !== DOC) throw awsError('InvalidDocument', 'Document not found');
      return {
        Document: {
          Name: DOC,
          Owner: 'Amazon',
          DocumentType: 'Automation',
          DocumentVersion: '5',
          Parameters: [
            { Name: 'InstanceId', Type: 'String', Description: 'The instance' },
            { Name: 'Action', Type: 'String', DefaultValue: 'Contain' },
            { Name: 'AutomationAssumeRole', Type: 'String' },
          ],
        },
      };
    })
    .on('ssm', 'StartAutomationExecution', () => {
      state.started++;
      return { AutomationExecutionId: EXEC };
    })
    .on('ssm', 'GetAutomationExecution', () => {
      advance();
      return {
        AutomationExecution: {
          AutomationExecutionId: EXEC,
          AutomationExecutionStatus: state.status,
          ...(['Success', 'Failed', 'Cancelled'].includes(state.status) ? { ExecutionEndTime: new Date('2026-11-27T10:04:00Z') } : {}),
          ...(state.status === 'Success' ? { Outputs: { 'backupInstance.ImageId': ['ami-0123456789abcdef0'] } } : {}),
          ...(state.status === 'Failed' ? { FailureMessage: 'Step restrictSecurityGroup failed' } : {}),
        },
      };
    })
    .on('ssm', 'DescribeAutomationStepExecutions', () => ({ StepExecutions: steps.map((s) => ({ ...s })) }))
    .on('ssm', 'StopAutomationExecution', () => {
      state.stopped = true;
      return {};
    })
    .on('ssm', 'DescribeAutomationExecutions', {
      AutomationExecutionMetadataList: [
        { AutomationExecutionId: EXEC, DocumentName: DOC, ExecutedBy: `arn:aws:sts::${ACCOUNT}:assumed-role/LariatResponder/lariat` },
      ],
    });
  return { state, steps };
}

beforeEach(() => {
  e = setup();
});
afterEach(() => e.cleanup());

const rb = () => e.runbooks.runbooks;
const plan = () =>
  rb().plan({ caseNumber: e.caseNumber, region: REGION, documentName: DOC, parameters: { InstanceId: ['i-0abc1234def567890'] } });

describe('SSM Automation runbooks', () => {
  it("lists AWS-owned and the account's runbooks (all pages), and describes one's parameters", async () => {
    fakeAutomation(e);
    const list = await rb().list(REGION, 'all');
    expect(list.map((d) => [d.name, d.ownedBy, d.changesResources])).toEqual([
      ['Acme-Quarantine', 'Self', true],
      ['AWSSupport-ContainEC2Instance', 'Amazon', true],
      ['AWSSupport-TroubleshootSSH', 'Amazon', false],
    ]);
    expect(e.mock.of('ssm', 'ListDocuments')[0]).toMatchObject({
      Filters: [
        { Key: 'DocumentType', Values: ['Automation'] },
        { Key: 'Owner', Values: ['Amazon'] },
      ],
    });
    const d = await rb().describe(REGION, DOC);
    expect(d.parameters.map((p) => [p.name, p.required])).toEqual([
      ['InstanceId', true],
      ['Action', false],
      ['AutomationAssumeRole', false],
    ]);
  });

  it('plans without running anything, refusing unknown and missing parameters', async () => {
    fakeAutomation(e);
    await expect(
      rb().plan({ caseNumber: e.caseNumber, region: REGION, documentName: DOC, parameters: { Bogus: ['x'], InstanceId: ['i-1'] } }),
    ).rejects.toMatchObject({ code: 'runbook-parameter-unknown', message: expect.stringContaining('Bogus') });
    await expect(rb().plan({ caseNumber: e.caseNumber, region: REGION, documentName: DOC, parameters: {} })).rejects.toMatchObject({
      code: 'runbook-parameter-missing',
      message: expect.stringContaining('InstanceId'),
    });
    const p = await plan();
    expect(p).toMatchObject({ state: 'planned', iamAction: 'ssm:StartAutomationExecution', executionId: null });
    expect(p.request).toEqual({
      DocumentName: DOC,
      Parameters: { InstanceId: ['i-0abc1234def567890'] },
      ClientToken: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(e.mock.mutations()).toEqual([]);
    expect(() => rb().start(p.id, 'AWS-Something')).toThrow(/confirmation/);
  });

  it('runs after confirmation, follows live, records every step once in the timeline, and the evidence it produced with custody', async () => {
    const auto = fakeAutomation(e);
    const p = await plan();
    const started = await call(e.handlers, 'startRunbook', { runId: p.id, confirmDocumentName: DOC });
    if (!started.ok) throw new Error(started.error.message);
    // The handler returned at once, with the job that follows the run.
    await jobEnded(started.value.jobId);
    const final = rb().get(p.id);
    expect(final).toMatchObject({ state: 'succeeded', awsStatus: 'Success', executionId: EXEC });
    expect(final.steps.map((s) => [s.name, s.status])).toEqual([
      ['describeInstance', 'Success'],
      ['backupInstance', 'Success'],
      ['restrictSecurityGroup', 'Success'],
    ]);
    expect(e.mock.of('ssm', 'StartAutomationExecution')).toEqual([p.request]);
    expect(auto.state.started).toBe(1);
    // Repeated refreshes never record a step twice.
    await rb().refresh(p.id);
    await rb().refresh(p.id);
    const events = e.s.timeline.events.query({ caseNumber: e.caseNumber, where: [{ column: 'source', value: 'lariat' }] }).events;
    expect(events.map((x) => x.action)).toEqual(['runbook.started', 'runbook.step', 'runbook.step', 'runbook.step', 'runbook.finished']);
    const raw = e.s.timeline.events.get(e.caseNumber, events[0]!.id).raw as { request: unknown };
    expect(raw.request).toEqual(p.request);
    // The image named in the outputs is evidence, and so is the execution record.
    expect(final.evidenceIds).toHaveLength(2);
    const items = e.s.custody.vault.list(e.caseNumber);
    expect(items.map((i) => [i.kind, i.source.resource])).toEqual([
      ['ebs-snapshot', 'ami-0123456789abcdef0'],
      ['log-export', null],
    ]);
    const ledger = e.s.custody.ledger.list(e.caseNumber);
    expect(ledger.map((x) => x.action)).toEqual(['acquired', 'acquired']);
    expect((await e.s.custody.verify.verify(e.caseNumber)).intact).toBe(true);
    expect(() => rb().start(p.id, DOC)).toThrow(/cannot be started again/);
  });

  it('a failed runbook is recorded as failed with AWS reason and no evidence', async () => {
    fakeAutomation(e, { fail: true });
    const p = await plan();
    const r = await rb().start(p.id, DOC).result;
    expect(r).toMatchObject({ state: 'failed', awsStatus: 'Failed', failure: 'Step restrictSecurityGroup failed', evidenceIds: [] });
    const finished = e.s.timeline.events.query({
      caseNumber: e.caseNumber,
      where: [{ column: 'action', value: 'runbook.finished' }],
    }).events;
    expect(finished[0]!.errorCode).toBe('Failed');
  });

  it('stops a running runbook (StopAutomationExecution) and records it cancelled', async () => {
    const auto = fakeAutomation(e);
    const p = await plan();
    // Start without following: a start whose job is then cancelled stops the runbook itself.
    const started = rb().start(p.id, DOC);
    const job = e.s.core.jobs.list().find((j) => j.id === started.jobId)!;
    e.s.core.jobs.cancel(job.id);
    const r = await started.result.catch(() => rb().get(p.id));
    expect(e.mock.of('ssm', 'StopAutomationExecution')).toEqual([{ AutomationExecutionId: EXEC, Type: 'Cancel' }]);
    expect(auto.state.stopped).toBe(true);
    expect(rb().get(p.id).state).toBe('cancelled');
    expect(r.id).toBe(p.id);
  });

  it('a start refused by AWS can be started again; a start whose reply was lost adopts the execution instead of starting twice', async () => {
    fakeAutomation(e);
    const p = await plan();
    e.mock.failNext('ssm', 'StartAutomationExecution', awsError('AccessDeniedException', 'not authorized'));
    await expect(rb().start(p.id, DOC).result).rejects.toMatchObject({ message: expect.stringContaining('ssm:StartAutomationExecution') });
    expect(rb().get(p.id)).toMatchObject({ state: 'failed', executionId: null });

    const q = await plan();
    e.mock.failNext('ssm', 'StartAutomationExecution', Object.assign(new Error('socket hang up'), { name: 'TimeoutError' }));
    await expect(rb().start(q.id, DOC).result).rejects.toMatchObject({ code: 'aws-timeout' });
    expect(rb().get(q.id)).toMatchObject({ state: 'starting', unfollowed: true });
    const before = e.mock.of('ssm', 'StartAutomationExecution').length;
    const r = await rb().start(q.id, DOC).result;
    expect(r).toMatchObject({ state: 'succeeded', executionId: EXEC });
    expect(e.mock.of('ssm', 'StartAutomationExecution')).toHaveLength(before);
    expect(e.mock.of('ssm', 'DescribeAutomationExecutions')[0]).toMatchObject({
      Filters: [
        { Key: 'DocumentNamePrefix', Values: [DOC] },
        { Key: 'StartTimeAfter', Values: [expect.any(String)] },
      ],
    });
  });

  it("each recorded step reaches the linked incident's timeline through the sync, once", async () => {
    fakeAutomation(e);
    const v = await e.incidents.incidents.start({ caseNumber: e.caseNumber, region: REGION, responsePlanArn: PLAN_ARN });
    const p = await plan();
    await rb().start(p.id, DOC).result;
    await e.incidents.incidents.sync(e.caseNumber);
    await e.incidents.incidents.sync(e.caseNumber);
    const summaries = e.im.lariatEvents(v.incidentArn!).map((x) => (JSON.parse(x.eventData) as { summary: string }).summary);
    expect(summaries).toEqual([
      `Runbook ${DOC}: step "describeInstance" Success`,
      `Runbook ${DOC}: step "backupInstance" Success`,
      `Runbook ${DOC}: step "restrictSecurityGroup" Success`,
    ]);
  });
});

/** Resolves when the job ends (its last jobProgress event), however long that takes: no timing involved. */
function jobEnded(jobId: string): Promise<void> {
  return new Promise((resolve) => {
    const check = () => e.s.core.jobs.list().find((j) => j.id === jobId)?.state !== 'running';
    if (check()) return resolve();
    const off = e.s.core.events.subscribe((name, payload) => {
      if (
        name === 'jobProgress' &&
        (payload as { id: string; state: string }).id === jobId &&
        (payload as { state: string }).state !== 'running'
      ) {
        off();
        resolve();
      }
    });
  });
}
