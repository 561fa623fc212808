/// <reference lib="dom" />
import { afterAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { closeBrowser, hasChromium, startApp } from './harness';
import { ensureTestIdentity } from '../helpers/identity';
import { createAwsModel } from '../aws-model';
import { ID, REGION, VPC, seedScenario } from '../aws-model/scenario';

afterAll(closeBrowser);

const go = (page: Page, hash: string) => page.evaluate((h) => void (window.location.hash = h), hash);

describe.skipIf(!hasChromium)('response actions in Chromium (AWS played by the stateful model in test/aws-model)', () => {
  it('discovers an instance, adds it, plans an isolation with every call shown, confirms by typing the id, and resumes a failed release', async () => {
    const model = createAwsModel();
    seedScenario(model);
    model.install();
    const calls = (op: string) => model.calls.filter((c) => c.op === op && c.applied);
    const mutations = () => model.mutations();
    const app = await startApp();
    const { page } = app;
    try {
      ensureTestIdentity(app.services);
      const c = app.services.core.cases.create({ title: 'Miner on web-1', severity: 'high', regions: [REGION] });
      await go(page, `#/case/${c.number}/assets`);
      await page.getByRole('heading', { name: 'No assets yet' }).waitFor();

      await page.getByLabel('Instance search').fill('web-1');
      await page.getByRole('button', { name: 'Search AWS' }).click();
      const results = page.getByRole('table', { name: 'Search results' });
      await results.getByRole('cell', { name: ID }).waitFor();
      await results.getByRole('button', { name: 'Add to case' }).click();
      const details = page.getByRole('complementary', { name: `Asset ${ID}` });
      await details.getByText('web-asg (InService)').waitFor();
      await details.getByText(VPC, { exact: false }).first().waitFor();
      await app.screenshot('response-01-assets-discovery');

      await details.getByRole('button', { name: 'Isolate…' }).click();
      const form = page.getByRole('form', { name: 'New response plan' });
      await expect.poll(() => form.getByPlaceholder('i-0123456789abcdef0').inputValue()).toBe(ID);
      await form.getByRole('button', { name: 'Build plan' }).click();
      const steps = page.getByRole('table', { name: 'Plan steps' });
      await steps.getByText('ec2:ModifyNetworkInterfaceAttribute').first().waitFor();
      for (const call of [
        'ec2:DescribeInstances',
        'ec2:GetConsoleScreenshot',
        'autoscaling:DetachInstances',
        'elbv2:DeregisterTargets',
        'ec2:CreateSecurityGroup',
        'ec2:DisassociateIamInstanceProfile',
        'ec2:CreateTags',
      ]) {
        await steps.getByText(call, { exact: false }).first().waitFor();
      }
      expect(mutations()).toEqual([]);
      await app.screenshot('response-02-plan-preview');

      const confirm = page.getByLabel('Confirm instance id');
      const runButton = page.getByRole('button', { name: 'Run isolate' });
      await confirm.fill('i-0wrong');
      expect(await runButton.isDisabled()).toBe(true);
      await confirm.fill(ID);
      await runButton.click();
      await page.locator('.action-view .chip.action-succeeded').waitFor({ timeout: 20_000 });
      expect(await steps.locator('tr[data-step-state="succeeded"]').count()).toBe(await steps.locator('tbody tr').count());
      expect(calls('ModifyNetworkInterfaceAttribute')).toHaveLength(4);
      await app.screenshot('response-03-isolated');

      // Release fails on the Auto Scaling step (missing permission), then resumes.
      model.inject({ op: 'AttachInstances', fault: { kind: 'fail', code: 'AccessDenied', message: 'User is not authorized' } });
      await page.getByRole('button', { name: 'New plan…' }).click();
      await form.locator('select').first().selectOption('release');
      await form.getByPlaceholder('i-0123456789abcdef0').fill(ID);
      await form.getByRole('button', { name: 'Build plan' }).click();
      await page.getByRole('button', { name: 'Run release' }).waitFor();
      await confirm.fill(ID);
      await page.getByRole('button', { name: 'Run release' }).click();
      await page.getByRole('alert').getByText('autoscaling:AttachInstances', { exact: false }).first().waitFor({ timeout: 20_000 });
      await app.screenshot('response-04-release-failed');
      const before = calls('ModifyNetworkInterfaceAttribute').length;
      await confirm.fill(ID);
      await page.getByRole('button', { name: 'Resume release' }).click();
      await page.locator('.action-view .chip.action-succeeded').waitFor({ timeout: 20_000 });
      // The network steps that had succeeded were not repeated on resume.
      expect(calls('ModifyNetworkInterfaceAttribute').length).toBe(before);
      expect(model.calls.filter((c) => c.op === 'AttachInstances')).toHaveLength(2);
      expect(calls('AttachInstances')).toHaveLength(1);
      await app.screenshot('response-05-release-resumed');
    } finally {
      await app.close();
      model.restore();
    }
  });
});
