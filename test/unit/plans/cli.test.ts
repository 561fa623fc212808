import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCaptured } from '../../helpers/cli';
import { awsError } from '../response/aws-mock';
import { PLAN_ARN, REGION } from '../incidents/fake-im';
import { setup, type Env } from '../incidents/fixture';

let e: Env;
beforeEach(() => {
  e = setup();
});
afterEach(() => e.cleanup());

/** Runs the CLI in-process on the test's services (left open: the fixture closes them). */
const lariat = (...argv: string[]) => runCaptured(argv, { env: {}, services: () => ({ ...e.services, close: () => undefined }) });

describe('lariat plan, case new --plan, task list', () => {
  it('lists, exports, imports and shows plans; starts a case from one whose tasks task list prints', async () => {
    const list = await lariat('plan', 'list', '--json');
    expect(list.code).toBe(0);
    expect((JSON.parse(list.out) as { plans: { name: string }[] }).plans).toHaveLength(6);

    const exported = await lariat('plan', 'export', 'crypto-mining');
    const file = path.join(e.s.dataDir, 'acme.json');
    fs.writeFileSync(file, exported.out.replace('"name": "crypto-mining"', '"name": "acme-mining"'));
    expect(await lariat('plan', 'import', file)).toMatchObject({ code: 0, out: 'Stored playbook acme-mining: Crypto-mining (17 steps).' });
    expect(await lariat('plan', 'import', file)).toMatchObject({ code: 1, err: expect.stringContaining('already stored') });
    fs.writeFileSync(file, '{"format":"lariat-plan","version":1,"name":"x","kind":"plan","title":"t","incident":{"impact":9}}');
    expect(await lariat('plan', 'import', file, '--replace')).toMatchObject({ code: 1, err: expect.stringContaining('incident.impact') });
    const shown = await lariat('plan', 'show', 'acme-mining');
    expect(shown.out).toContain('Containment\n  - Isolate the mining instances  [response-action: isolate]');

    const created = await lariat('case', 'new', '--title', 'AKIA on GitHub', '--plan', 'leaked-iam-access-key', '--json');
    expect(created.code).toBe(0);
    const c = JSON.parse(created.out) as { number: string; title: string; severity: string };
    expect(c).toMatchObject({ title: 'Leaked access key: AKIA on GitHub', severity: 'high' });
    const tasks = await lariat('task', 'list', c.number, '--json');
    expect((JSON.parse(tasks.out) as { title: string }[]).map((t) => t.title)).toEqual(
      expect.arrayContaining(['Deactivate the key and deny the user (evidence first, reversible)', 'Hold the post-incident analysis']),
    );
    expect((JSON.parse(tasks.out) as unknown[]).length).toBe(15);
    expect(await lariat('case', 'new', '--title', 'x', '--plan', 'no-such-plan')).toMatchObject({
      code: 1,
      err: expect.stringContaining('Known plans'),
    });
    // Without --plan, case new behaves as before.
    expect((await lariat('case', 'new', '--title', 'plain')).out).toMatch(/^IR-\d{4}-\d{4}$/);
  });
});

describe('lariat incident, runbook and analysis', () => {
  it('drives a case from start to its post-incident analysis, with the incident started, synced and resolved', async () => {
    const c = JSON.parse(
      (await lariat('case', 'new', '--title', 'web-1', '--plan', 'compromised-ec2-instance', '--region', REGION, '--json')).out,
    ) as {
      number: string;
    };
    const started = await lariat('incident', 'start', '--case', c.number, '--response-plan', PLAN_ARN, '--impact', '2');
    expect(started).toMatchObject({ code: 0, out: expect.stringContaining('incident arn:aws:ssm-incidents::') });
    const synced = await lariat('incident', 'sync', '--case', c.number, '--json');
    expect(synced.code).toBe(0);
    e.mock.failNext('ssm-incidents', 'GetIncidentRecord', awsError('AccessDeniedException', 'no'));
    const denied = await lariat('incident', 'sync', '--case', c.number);
    expect(denied).toMatchObject({ code: 1, out: expect.stringContaining('ssm-incidents:GetIncidentRecord') });
    expect(await lariat('analysis', 'show', '--case', c.number)).toMatchObject({ code: 0, out: expect.stringContaining('not resolved') });
    expect(await lariat('analysis', 'create', '--case', c.number)).toMatchObject({
      code: 1,
      err: expect.stringContaining('not resolved yet'),
    });

    const resolved = await lariat('incident', 'resolve', '--case', c.number);
    expect(resolved).toMatchObject({ code: 0, out: expect.stringContaining('closed') });
    expect(e.mock.of('ssm-incidents', 'UpdateIncidentRecord')).toEqual([expect.objectContaining({ status: 'RESOLVED' })]);
    expect((await lariat('analysis', 'create', '--case', c.number)).code).toBe(0);
    expect((await lariat('analysis', 'answer', '--case', c.number, '--question', 'lessons', '--text', 'Require IMDSv2')).code).toBe(0);
    expect(
      (
        await lariat(
          'analysis',
          'action-item',
          '--case',
          c.number,
          '--title',
          'Enforce IMDSv2',
          '--owner',
          'platform',
          '--due',
          '2026-12-31',
        )
      ).code,
    ).toBe(0);
    const md = await lariat('analysis', 'export', '--case', c.number);
    expect(md.out).toContain('Require IMDSv2');
    expect(md.out).toContain('Enforce IMDSv2 — owner platform, due 2026-12-31');
    const shown = JSON.parse((await lariat('analysis', 'show', '--case', c.number, '--json')).out) as {
      resolved: boolean;
      metrics: unknown[];
    };
    expect(shown).toMatchObject({ resolved: true });
  });

  it('lists, plans and starts a runbook (typed confirmation refused without a terminal), and shows its status', async () => {
    e.mock
      .on('ssm', 'ListDocuments', { DocumentIdentifiers: [{ Name: 'AWSSupport-ContainEC2Instance', Owner: 'Amazon' }] })
      .on('ssm', 'DescribeDocument', {
        Document: {
          Name: 'AWSSupport-ContainEC2Instance',
          Owner: 'Amazon',
          DocumentType: 'Automation',
          Parameters: [{ Name: 'InstanceId' }],
        },
      })
      .on('ssm', 'StartAutomationExecution', { AutomationExecutionId: 'exec-1' })
      .on('ssm', 'GetAutomationExecution', { AutomationExecution: { AutomationExecutionStatus: 'Success' } })
      .on('ssm', 'DescribeAutomationStepExecutions', {
        StepExecutions: [
          { StepName: 'contain', StepExecutionId: 's1', StepStatus: 'Success', ExecutionEndTime: new Date('2026-11-27T10:01:00Z') },
        ],
      });
    const list = await lariat('runbook', 'list', '--region', REGION, '--owner', 'Amazon');
    expect(list.out).toContain('AWSSupport-ContainEC2Instance  Amazon  yes');
    const args = [
      'runbook',
      'start',
      '--case',
      e.caseNumber,
      '--region',
      REGION,
      '--document',
      'AWSSupport-ContainEC2Instance',
      '--param',
      'InstanceId=i-0abc1234def567890',
    ];
    const planned = await lariat(...args, '--plan');
    expect(planned.out).toContain('ssm:StartAutomationExecution');
    expect(planned.out).toContain('"InstanceId":["i-0abc1234def567890"]');
    expect(e.mock.of('ssm', 'StartAutomationExecution')).toEqual([]);
    const noTty = await lariat(...args);
    expect(noTty).toMatchObject({ code: 1, err: expect.stringContaining('not a terminal') });
    const run = await lariat('runbook', 'start', '--run', '1', '--yes', '--json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.out)).toMatchObject({
      id: 1,
      state: 'succeeded',
      executionId: 'exec-1',
      steps: [{ name: 'contain', status: 'Success' }],
    });
    const status = await lariat('runbook', 'status', '--case', e.caseNumber);
    expect(status.out).toContain('Runbook run #1: AWSSupport-ContainEC2Instance');
    expect(status.out).toContain('Runbook run #2');
    expect(status.out).toContain('planned');
  });
});
