/// <reference lib="dom" />
import { afterAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { closeBrowser, hasChromium, startApp } from './harness';
import { ensureTestIdentity } from '../helpers/identity';
import { AwsMock } from '../unit/response/aws-mock';
import { ACCOUNT, FakeIncidentManager, PLAN_ARN, REGION } from '../unit/incidents/fake-im';

afterAll(closeBrowser);

const tab = (page: Page, name: string) => page.getByRole('navigation', { name: 'Case sections' }).getByRole('link', { name, exact: true });
const step = (page: Page, title: string) => page.locator('.step', { hasText: title });
const DOC = 'AWSSupport-ContainEC2Instance';

/** A runbook that finishes its one step at the first look. */
function stubAutomation(mock: AwsMock): void {
  mock
    .on('ssm', 'DescribeDocument', {
      Document: {
        Name: DOC,
        Owner: 'Amazon',
        DocumentType: 'Automation',
        Description: 'Contain an EC2 instance',
        Parameters: [{ Name: 'InstanceId', Type: 'String', Description: 'instance to contain' }],
      },
    })
    .on('ssm', 'StartAutomationExecution', { AutomationExecutionId: 'exec-0001' })
    .on('ssm', 'GetAutomationExecution', { AutomationExecution: { AutomationExecutionStatus: 'Success', ExecutionEndTime: new Date() } })
    .on('ssm', 'DescribeAutomationStepExecutions', {
      StepExecutions: [
        {
          StepName: 'restrictSecurityGroup',
          StepExecutionId: 's-1',
          StepStatus: 'Success',
          Action: 'aws:executeAwsApi',
          ExecutionEndTime: new Date(),
        },
      ],
    })
    .on('sts', 'GetCallerIdentity', { Account: ACCOUNT, Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/LariatResponder/x`, UserId: 'AROA:x' });
}

describe.skipIf(!hasChromium)('plans, playbooks, Incident Manager and post-incident analysis in Chromium', () => {
  it('a playbook drives a new case from the Plans page through its steps, a runbook and the incident to the post-incident analysis', async () => {
    const mock = new AwsMock();
    const im = new FakeIncidentManager(mock);
    stubAutomation(mock);
    const app = await startApp();
    const { page } = app;
    try {
      ensureTestIdentity(app.services);
      // The page asked for the identity before it existed: reload so the first-run gate sees it.
      await page.reload();
      await page.evaluate(() => void (window.location.hash = '#/plans'));
      await page.getByRole('button', { name: /Compromised EC2 instance/ }).click();
      const start = page.getByRole('form', { name: 'Start a case from this plan' });
      await start.getByLabel('Case title').fill('crypto-miner on web-1');
      await start.getByLabel('Region (optional)').fill(REGION);
      await app.screenshot('plans-01-plans-page');
      await start.getByRole('button', { name: 'Start a case from this playbook' }).click();

      // The case opens on its playbook: steps by phase, each a task, bound or manual.
      await page.getByRole('heading', { name: 'Compromised EC2 instance: crypto-miner on web-1' }).waitFor();
      await page.getByRole('region', { name: 'Containment' }).waitFor();
      const n = (await page.url()).match(/IR-\d{4}-\d{4}/)![0];
      await step(page, 'Isolate the instance').getByRole('button', { name: 'Plan isolate…' }).waitFor();
      // Role session revocation is part of this build since issue 15: the step is bound, no longer a manual task.
      await step(page, "Revoke the instance role's active sessions").getByRole('button', { name: 'Plan role-sessions…' }).waitFor();
      expect(await step(page, "Revoke the instance role's active sessions").getByText('is not part of this build').count()).toBe(0);
      await app.screenshot('plans-02-playbook');

      await step(page, 'Record scope and authorisation').getByRole('button', { name: 'Write note' }).click();
      await page.getByText(`Scope and authorisation (${n})`).first().waitFor();
      await tab(page, 'Playbook').click();
      await step(page, 'Review SSM commands').getByRole('button', { name: 'Show in timeline' }).click();
      await expect.poll(() => page.url()).toContain('highlight=remote-command');
      await tab(page, 'Playbook').click();
      for (const title of ['Record scope and authorisation', 'Review SSM commands', 'Identify the instance'])
        await step(page, title).getByRole('checkbox').check();
      await page.getByRole('status', { name: 'Playbook progress' }).getByText('3/19 steps done').waitFor();

      // A runbook the playbook offers: plan (exact request), type its name, follow it to the end.
      const runbooks = page.getByRole('region', { name: 'Runbooks' });
      await runbooks.getByRole('button', { name: DOC }).click();
      await runbooks.getByRole('button', { name: 'Load parameters' }).click();
      const params = page.getByRole('form', { name: 'Runbook parameters' });
      await params.locator('input').first().fill('i-0abc1234def567890');
      await params.getByRole('button', { name: 'Plan run (nothing starts yet)' }).click();
      await runbooks.getByText('"InstanceId":["i-0abc1234def567890"]', { exact: false }).waitFor();
      expect(mock.of('ssm', 'StartAutomationExecution')).toEqual([]);
      await runbooks.getByLabel(`Type ${DOC} to start`).fill(DOC);
      await runbooks.getByRole('button', { name: 'Start runbook' }).click();
      await runbooks.locator('tr[data-step-status="Success"]').getByText('restrictSecurityGroup').waitFor();
      await runbooks.locator('.chip.action-succeeded').waitFor();
      await app.screenshot('plans-03-runbook');

      // Incident Manager: start from the overview, sync, then resolve the case and the incident together.
      await tab(page, 'Overview').click();
      const card = page.getByRole('region', { name: 'Incident Manager' });
      await card.getByLabel("Response plan ARN (empty: the one of the case's plan)").fill(PLAN_ARN);
      await card.getByRole('button', { name: 'Start incident' }).click();
      await card.getByText('arn:aws:ssm-incidents::', { exact: false }).first().waitFor();
      await card.getByRole('button', { name: 'Sync now' }).click();
      await card.getByRole('status', { name: 'Sync state' }).getByText('in sync').waitFor();
      const arn = [...im.incidents.keys()][0]!;
      await expect.poll(() => im.lariatEvents(arn).length).toBe(1);
      await app.screenshot('plans-04-incident-synced');
      await card.getByRole('button', { name: 'Resolve case' }).click();
      await card.getByText('Case resolved (closed).').waitFor();
      await expect.poll(() => im.get(arn).status).toBe('RESOLVED');

      // The Analysis tab appears on the resolved case.
      await tab(page, 'Analysis').click();
      await page.getByRole('button', { name: 'Start the analysis' }).click();
      const questions = page.getByRole('form', { name: 'Analysis questions' });
      await questions
        .getByLabel('What was the root cause, and how was it established (which evidence)?')
        .fill('IMDSv1 credentials stolen through SSRF.');
      await questions.getByRole('button', { name: 'Save answers' }).click();
      const items = page.getByRole('form', { name: 'Add action item' });
      await items.getByLabel('Action item', { exact: true }).fill('Require IMDSv2 on every instance');
      await items.getByLabel('Owner').fill('platform team');
      await items.getByLabel('Action item due date').fill('2026-12-31');
      await items.getByRole('button', { name: 'Add action item' }).click();
      await page.getByRole('region', { name: 'Action items' }).getByText('Require IMDSv2 on every instance').waitFor();
      await page.getByRole('region', { name: 'Checklist' }).getByLabel('Every action item has an owner and a due date.').check();
      await expect
        .poll(() => app.services.analysis.analysis.view(n).analysis?.checklist.find((c) => c.id === 'action-items-owned')?.done)
        .toBe(true);
      await expect
        .poll(() => app.services.analysis.analysis.view(n).analysis?.questions.find((q) => q.id === 'diagnose-cause')?.answer)
        .toBe('IMDSv1 credentials stolen through SSRF.');
      await page.getByLabel('Time to resolve').waitFor();
      await app.screenshot('plans-05-analysis');

      // The action item is a task of the case, and the analysis is in the report.
      await tab(page, 'Tasks').click();
      await page.getByRole('cell', { name: 'Require IMDSv2 on every instance' }).waitFor();
      const report = await app.services.reports.reports.generate({ caseNumber: n, preview: true });
      expect(report.html).toContain('IMDSv1 credentials stolen through SSRF.');
    } finally {
      await app.close();
      mock.restore();
    }
  });
});
