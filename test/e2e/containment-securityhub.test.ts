/// <reference lib="dom" />
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { closeBrowser, hasChromium, type App } from './harness';
import { confirmAndRun, go, noSeriousA11y } from './containment-steps';
import { inContainmentApp, openCase, seededModel } from './containment-setup';
import { ACCOUNT, REGION } from '../aws-model/scenario';
import { KEY, OTHER_KEY, USER, seedCredentials } from '../aws-model/scenario-iam';
import { EXPOSED as BUCKET, seedExposedBucket } from '../aws-model/scenario-s3-lambda';
import type { S3State } from '../aws-model/modules/s3';
import type { IamUsersState } from '../aws-model/modules/iam-users';

afterAll(closeBrowser);

/** Security Hub findings from the AWS Solutions samples, moved into the model's account (test/fixtures/response/README.md). */
const FIXTURES = path.resolve(__dirname, '../fixtures/response');

/** Imports a Security Hub finding file into the case, opens it in the findings tab and returns its containment offer. */
async function openFinding(app: App, caseNumber: string, file: string, title: string, resource: string) {
  await app.services.timeline.imports.importPaths(caseNumber, [path.join(FIXTURES, file)]);
  const finding = app.services.timeline.findings.list(caseNumber).find((f) => f.title === title)!;
  expect(finding.source).toBe('securityhub');
  await go(app.page, `#/case/${caseNumber}/findings`);
  await app.page.getByRole('table', { name: 'Findings' }).locator('tbody tr').filter({ hasText: title }).first().click();
  return app.page.getByRole('complementary', { name: 'Finding details' }).getByRole('group', { name: `Contain ${resource}` });
}

describe.skipIf(!hasChromium)('containment from a Security Hub finding in Chromium (AWS played by the stateful model)', () => {
  it('an S3.2 finding offers blocking public access on its bucket; running it blocks it in the model', async () => {
    const model = seededModel(seedExposedBucket);
    await inContainmentApp(model, async (app, page) => {
      const c = openCase(app, 'Public bucket flagged by Security Hub');
      const title = 'S3.2 S3 buckets should prohibit public read access';
      const offer = await openFinding(app, c.number, 'securityhub-s3-public-read.json', title, BUCKET);
      await offer.getByText(`Security Hub names bucket ${BUCKET}.`).waitFor();
      await noSeriousA11y(app, 'security hub finding with its containment');
      await app.screenshot('containment-sh-01-s3-finding');

      await offer.getByRole('button', { name: 'Block public access…' }).click();
      await page.waitForURL(/\/actions/);
      const form = page.getByRole('form', { name: 'New containment plan' });
      expect(await page.getByRole('combobox', { name: 'Action' }).inputValue()).toBe('s3-contain');
      await expect.poll(() => form.getByRole('textbox', { name: 'Bucket' }).inputValue()).toBe(BUCKET);
      await form.getByRole('button', { name: 'Build plan' }).click();
      const steps = page.getByRole('table', { name: 'Plan steps' });
      await steps.getByText('s3:PutPublicAccessBlock', { exact: false }).first().waitFor();
      expect(model.mutations()).toEqual([]);
      await app.screenshot('containment-sh-02-s3-plan');

      await confirmAndRun(page);
      expect(model.slice<S3State>('s3').buckets[BUCKET]!.publicAccessBlock).toEqual({
        BlockPublicAcls: true,
        IgnorePublicAcls: true,
        BlockPublicPolicy: true,
        RestrictPublicBuckets: true,
      });
      // The plan ran in the account and region the finding named.
      const action = app.services.response.response.list(c.number).find((a) => a.kind === 's3-contain')!;
      expect({ account: action.account, region: action.region, target: action.target.id }).toMatchObject({
        account: ACCOUNT,
        region: REGION,
        target: BUCKET,
      });
      await app.screenshot('containment-sh-03-s3-contained');
    });
  });

  it('an IAM.3 finding on a user offers credential containment filled in with the user; running it disables its keys in the model', async () => {
    const model = seededModel(seedCredentials);
    await inContainmentApp(model, async (app, page) => {
      const c = openCase(app, 'Old keys of deploy-bot');
      const title = "IAM.3 IAM users' access keys should be rotated every 90 days or less";
      const offer = await openFinding(app, c.number, 'securityhub-iam-user-key-age.json', title, USER);
      await offer.getByText(`Security Hub names IAM user ${USER}.`).waitFor();
      await offer.getByRole('button', { name: 'Contain credentials…' }).click();
      await page.waitForURL(/\/actions/);

      expect(await page.getByRole('combobox', { name: 'Action' }).inputValue()).toBe('credentials');
      const form = page.getByRole('form', { name: 'Credential containment' });
      const who = form.getByRole('textbox', { name: 'Access key id, user name or user ARN' });
      await expect.poll(() => who.inputValue()).toBe(`arn:aws:iam::${ACCOUNT}:user/ci/${USER}`);
      await noSeriousA11y(app, 'credentials form from a security hub finding');
      await app.screenshot('containment-sh-04-credentials-form');
      await form.getByRole('button', { name: 'Build plan' }).click();

      const steps = page.getByRole('table', { name: 'Plan steps' });
      await steps.getByText('iam:UpdateAccessKey', { exact: false }).first().waitFor();
      expect(model.mutations()).toEqual([]);
      await confirmAndRun(page);
      const user = model.slice<IamUsersState>('iam-users').users[USER]!;
      expect(user.keys.map((k) => [k.AccessKeyId, k.Status])).toEqual([
        [KEY, 'Inactive'],
        [OTHER_KEY, 'Inactive'],
      ]);
      expect(Object.keys(user.inline)).toContain('LariatDenyAll');
      await app.screenshot('containment-sh-05-credentials-contained');
    });
  });
});
