/// <reference lib="dom" />
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { closeBrowser, hasChromium, startApp } from './harness';
import { seriousA11yProblems } from './a11y';
import { ensureTestIdentity } from '../helpers/identity';
import { AwsMock } from '../unit/response/aws-mock';

afterAll(closeBrowser);

const REGION = 'eu-west-1';
const ACCOUNT = '111122223333';
const go = (page: Page, hash: string) => page.evaluate((h) => void (window.location.hash = h), hash);
const demo = path.resolve('resources/demo');
const gdBase = (): Record<string, unknown> => {
  const e = JSON.parse(
    fs.readFileSync(path.join(demo, 'guardduty/blu371ck-samples/UnauthorizedAccess-EC2-SSHBruteForce.json'), 'utf8'),
  ) as {
    detail?: Record<string, unknown>;
  };
  return e.detail ?? (e as Record<string, unknown>);
};
const shBase = (): Record<string, unknown> => {
  const e = JSON.parse(fs.readFileSync(path.join(demo, 'securityhub/aws-solutions/afsbp-ec2.1.json'), 'utf8')) as {
    detail?: { findings: Record<string, unknown>[] };
  };
  return e.detail?.findings[0] ?? (e as Record<string, unknown>);
};
const gd = (id: string, title: string) => ({
  ...gdBase(),
  Id: id,
  Title: title,
  AccountId: ACCOUNT,
  Region: REGION,
  UpdatedAt: '2026-11-20T10:00:00.000Z',
});

describe.skipIf(!hasChromium)('findings inbox in Chromium (GuardDuty and Security Hub mocked with aws-sdk-client-mock)', () => {
  it('pulls with filters, triages locally, attaches a finding to a case and opens a case from another, each with its JSON as evidence', async () => {
    const mock = new AwsMock();
    mock
      .on('sts', 'GetCallerIdentity', { Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:user/ada`, UserId: 'AIDAEXAMPLE' })
      .on('guardduty', 'ListDetectors', { DetectorIds: ['det-1'] })
      .on('guardduty', 'ListFindings', { FindingIds: ['gd-1', 'gd-2'] })
      .on('guardduty', 'GetFindings', (i) => ({
        Findings: (i.FindingIds as string[]).map((id) =>
          gd(id, id === 'gd-1' ? 'SSH brute force against web-1' : 'SSH brute force against bastion'),
        ),
      }))
      .on('securityhub', 'GetFindings', {
        Findings: [
          {
            ...shBase(),
            Id: `arn:aws:securityhub:${REGION}:${ACCOUNT}:finding/sh-1`,
            Title: 'EBS snapshots should not be public',
            AwsAccountId: ACCOUNT,
            Region: REGION,
            Severity: { Label: 'CRITICAL', Normalized: 90 },
            UpdatedAt: '2026-11-20T10:00:00.000Z',
          },
        ],
      });
    const app = await startApp({
      env: { AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret-example', AWS_REGION: REGION },
    });
    const { page, services } = app;
    try {
      ensureTestIdentity(services);
      const existing = services.core.cases.create({ title: 'Snapshot exposure', severity: 'high', regions: [REGION] });
      await go(page, '#/inbox');
      await page.getByRole('heading', { name: 'No findings here' }).waitFor();

      const form = page.getByRole('form', { name: 'Pull findings' });
      await form.getByLabel('Regions').fill(REGION);
      await form.getByLabel('Minimum severity').selectOption('high');
      await form.getByLabel('Types (comma-separated)').fill('UnauthorizedAccess:EC2/SSHBruteForce');
      await form.getByRole('button', { name: 'Pull findings' }).click();
      await form.locator('[data-job-state="done"]').waitFor({ timeout: 20_000 });
      const table = page.getByRole('table', { name: 'Inbox' });
      await table.getByRole('row', { name: 'EBS snapshots should not be public' }).waitFor();
      await expect.poll(() => table.locator('tbody tr').count()).toBe(3);
      // The filters went to AWS, not only to the view.
      expect(mock.of('guardduty', 'ListFindings')[0]).toMatchObject({
        DetectorId: 'det-1',
        FindingCriteria: { Criterion: { severity: { Gte: 7 }, type: { Eq: ['UnauthorizedAccess:EC2/SSHBruteForce'] } } },
      });
      expect(await seriousA11yProblems(page)).toEqual([]);
      await app.screenshot('inbox-01-pulled');

      // Local triage: dismissed leaves the open view and is found under Dismissed; nothing is sent to AWS.
      const before = mock.calls.length;
      const bastion = table.getByRole('row', { name: 'SSH brute force against bastion' });
      await bastion.getByRole('button', { name: 'Dismiss' }).click();
      await bastion.waitFor({ state: 'detached' });
      const web = table.getByRole('row', { name: 'SSH brute force against web-1' });
      await web.getByRole('button', { name: 'Triaged', exact: true }).click();
      await web.locator('.chip.triage-triaged').waitFor();
      await page.getByLabel('Triage state').selectOption('dismissed');
      await table.getByRole('row', { name: 'SSH brute force against bastion' }).waitFor();
      await page.getByLabel('Triage state').selectOption('open');
      expect(mock.calls.length).toBe(before);

      // Attach the Security Hub finding to the existing case: it is in that case, with its JSON in the vault.
      const snap = table.getByRole('row', { name: 'EBS snapshots should not be public' });
      await snap.getByRole('combobox').selectOption(existing.number);
      await snap.getByRole('button', { name: 'Attach' }).click();
      await snap.waitFor({ state: 'detached' });
      await page.getByLabel('Triage state').selectOption('in-case');
      await table.getByRole('row', { name: 'EBS snapshots should not be public' }).getByText(`in ${existing.number}`).waitFor();
      const attached = services.custody.vault.list(existing.number);
      expect(attached).toHaveLength(1);
      expect(attached[0]!.source.resource).toBe(`arn:aws:securityhub:${REGION}:${ACCOUNT}:finding/sh-1`);
      expect(attached[0]!.acquisition.method).toMatch(/securityhub:GetFindings/);
      await app.screenshot('inbox-02-attached');

      // Open a case from the triaged GuardDuty finding: the app goes to the new case's findings.
      await page.getByLabel('Triage state').selectOption('open');
      await table.getByRole('row', { name: 'SSH brute force against web-1' }).getByRole('button', { name: 'Open case' }).click();
      await page.waitForURL(/#\/case\/IR-\d{4}-\d+\/findings/);
      const opened = decodeURIComponent(/#\/case\/([^/]+)\//.exec(page.url())![1]!);
      expect(opened).not.toBe(existing.number);
      await page.getByRole('table', { name: 'Findings' }).getByText('SSH brute force against web-1').waitFor();
      expect(services.custody.vault.list(opened).map((i) => i.source.resource)).toEqual(['gd-1']);
      await app.screenshot('inbox-03-case-opened');
    } finally {
      await app.close();
      mock.restore();
    }
  });
});
