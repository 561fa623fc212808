/// <reference lib="dom" />
import { afterAll, describe, expect, it } from 'vitest';
import { closeBrowser, hasChromium } from './harness';
import { confirmAndRun, go, guardDutyEvent, noSeriousA11y } from './containment-steps';
import { importFinding, inContainmentApp, openCase, seededModel } from './containment-setup';
import { ACCOUNT, REGION } from '../aws-model/scenario';
import { KEY, USER, seedCredentials } from '../aws-model/scenario-iam';
import { EXPOSED, FN, seedAbusedFunction, seedExposedBucket } from '../aws-model/scenario-s3-lambda';
import type { S3State } from '../aws-model/modules/s3';
import type { IamUsersState } from '../aws-model/modules/iam-users';
import type { CloudTrailState } from '../aws-model/modules/cloudtrail';

afterAll(closeBrowser);

const TITLE = `Amazon S3 bucket ${EXPOSED} is publicly accessible`;

/** A GuardDuty finding about a bucket made public. */
const bucketFinding = () =>
  guardDutyEvent(
    { account: ACCOUNT, region: REGION },
    {
      eventId: 'c0ffee00-0000-4000-8000-000000000015',
      id: 'e2e-s3-exposed-0001',
      type: 'Policy:S3/BucketAnonymousAccessGranted',
      title: TITLE,
      description: `The bucket policy of ${EXPOSED} was changed to allow anonymous read.`,
      resource: { ResourceType: 'S3Bucket', S3BucketDetails: [{ Name: EXPOSED, Arn: `arn:aws:s3:::${EXPOSED}`, Type: 'Destination' }] },
    },
  );

describe.skipIf(!hasChromium)('containment beyond EC2 in Chromium (AWS played by the stateful model in test/aws-model)', () => {
  it('contains the bucket a GuardDuty finding names from the finding panel, then releases it to exactly what was there', async () => {
    const model = seededModel(seedExposedBucket);
    const before = structuredClone(model.slice<S3State>('s3').buckets[EXPOSED]);
    await inContainmentApp(model, async (app, page) => {
      const { caseRecord } = await app.services.timeline.demo();
      const n = caseRecord.number;
      await importFinding(app, n, 'guardduty-s3-exposed.json', bucketFinding());

      await go(page, `#/case/${n}/findings`);
      await page.getByRole('table', { name: 'Findings' }).locator('tbody tr').filter({ hasText: TITLE }).first().click();
      const side = page.getByRole('complementary', { name: 'Finding details' });
      const offer = side.getByRole('group', { name: `Contain ${EXPOSED}` });
      await offer.getByText(`GuardDuty names bucket ${EXPOSED}.`).waitFor();
      await noSeriousA11y(app, 'finding with its containment');
      await app.screenshot('containment-01-finding-offers-s3');

      await offer.getByRole('button', { name: 'Block public access…' }).click();
      await page.waitForURL(/\/actions/);
      const form = page.getByRole('form', { name: 'New containment plan' });
      await expect.poll(() => form.getByRole('textbox', { name: 'Bucket' }).inputValue()).toBe(EXPOSED);
      // The finding opens the same picker as New plan…, on its kind; every other kind stays one choice away.
      const picker = form.getByRole('combobox', { name: 'Action' });
      expect(await picker.inputValue()).toBe('s3-contain');
      expect(await picker.locator('option[value="credentials"]').count()).toBe(1);
      await noSeriousA11y(app, 's3 plan form');
      await app.screenshot('containment-02-s3-plan-form-prefilled');
      await form.getByRole('button', { name: 'Build plan' }).click();

      const steps = page.getByRole('table', { name: 'Plan steps' });
      await steps.getByText('s3:PutPublicAccessBlock', { exact: false }).first().waitFor();
      for (const call of [
        'local: record evidence',
        's3:GetBucketPolicy',
        's3:GetBucketAcl',
        's3:GetBucketPublicAccessBlock',
        's3:GetBucketVersioning',
      ])
        await steps.getByText(call, { exact: false }).first().waitFor();
      expect(model.mutations()).toEqual([]);
      await noSeriousA11y(app, 's3 plan');
      await app.screenshot('containment-03-s3-plan');

      await confirmAndRun(page, 'Run');
      expect(await steps.locator('tr[data-step-state="succeeded"]').count()).toBe(await steps.locator('tbody tr').count());
      expect(model.slice<S3State>('s3').buckets[EXPOSED]!.publicAccessBlock).toEqual({
        BlockPublicAcls: true,
        IgnorePublicAcls: true,
        BlockPublicPolicy: true,
        RestrictPublicBuckets: true,
      });
      await app.screenshot('containment-04-s3-contained');

      // The release is planned from the containment and opens at once; it puts back exactly the recorded configuration.
      await page.getByRole('button', { name: 'Plan release' }).click();
      await page.getByRole('heading', { name: /s3-release of #/ }).waitFor();
      await steps.getByText('s3:DeletePublicAccessBlock', { exact: false }).first().waitFor();
      await confirmAndRun(page, 'Run');
      expect(model.slice<S3State>('s3').buckets[EXPOSED]).toEqual(before);
      await noSeriousA11y(app, 's3 released');
      await app.screenshot('containment-05-s3-released');
    });
  });

  it('plans a credential containment from New plan… with an access key id, runs it, and checks use since the containment', async () => {
    const model = seededModel(seedCredentials);
    await inContainmentApp(model, async (app, page) => {
      const c = openCase(app, 'Leaked deploy key');
      await go(page, `#/case/${c.number}/actions`);

      // Every kind is in the picker, S3 and Lambda included.
      await page.getByRole('button', { name: 'New plan…' }).click();
      const picker = page.getByRole('combobox', { name: 'Action' });
      for (const kind of ['credentials', 'role-sessions', 's3-contain', 'lambda-contain'])
        expect(await picker.locator(`option[value="${kind}"]`).count()).toBe(1);
      await picker.selectOption('lambda-contain');
      await page.getByRole('textbox', { name: 'Function' }).waitFor();
      await page.getByRole('combobox', { name: 'Action' }).selectOption('credentials');
      const credentials = page.getByRole('form', { name: 'Credential containment' });
      await credentials.getByRole('textbox', { name: 'Access key id, user name or user ARN' }).fill(KEY);
      await noSeriousA11y(app, 'credentials form');
      await app.screenshot('containment-06-credentials-form');
      await credentials.getByRole('button', { name: 'Build plan' }).click();

      const steps = page.getByRole('table', { name: 'Plan steps' });
      await steps.getByText('iam:UpdateAccessKey', { exact: false }).first().waitFor();
      await steps.getByText('iam:PutUserPolicy', { exact: false }).first().waitFor();
      expect(model.mutations()).toEqual([]);
      await app.screenshot('containment-07-credentials-plan');

      await confirmAndRun(page, 'Run');
      const key = model.slice<IamUsersState>('iam-users').users[USER]!.keys.find((k) => k.AccessKeyId === KEY)!;
      expect(key.Status).toBe('Inactive');

      // Calls by the key after the containment started (two denied) and one before it, which must not count.
      const action = app.services.response.response.list(c.number).find((a) => a.kind === 'credentials')!;
      const start = Date.parse(action.startedAt!);
      const span = Date.now() - start;
      const trail = model.slice<CloudTrailState>('cloudtrail', REGION);
      const at = (t: number) => new Date(t).toISOString();
      trail.events.push({
        EventId: 'before',
        EventName: 'ListBuckets',
        EventSource: 's3.amazonaws.com',
        EventTime: at(start - 3_600_000),
        Username: USER,
        AccessKeyId: KEY,
      });
      for (let i = 0; i < 3; i++)
        trail.events.push({
          EventId: `after-${i}`,
          EventName: i % 2 ? 'GetObject' : 'CreateUser',
          EventSource: i % 2 ? 's3.amazonaws.com' : 'iam.amazonaws.com',
          EventTime: at(start + Math.floor(((i + 1) * span) / 4)),
          Username: USER,
          AccessKeyId: KEY,
          ...(i % 2 ? {} : { ErrorCode: 'AccessDenied' }),
        });
      const after = page.locator('[aria-label="After the containment"]');
      await after.getByText('Not checked yet', { exact: false }).waitFor();
      await after.getByRole('button', { name: 'Check use (CloudTrail)' }).click();
      await after.getByText('Still in use: 3 calls since containment').waitFor({ timeout: 20_000 });
      await after.getByText('(2 denied)', { exact: false }).waitFor();
      await noSeriousA11y(app, 'credentials contained, use checked');
      await app.screenshot('containment-08-credentials-still-in-use');
    });
  });

  it('plans a Lambda containment from New plan…, runs it, and releases it to the recorded concurrency and mappings', async () => {
    const model = seededModel();
    const fn = FN;
    const l = seedAbusedFunction(model, { reserved: 5 });
    const before = structuredClone({ fn: l.functions[fn], esm: l.mappings['esm-on'] });
    // The code package download (presigned Code.Location) runs in this process: the model serves the package it put in the link.
    await inContainmentApp(model, { lambdaCode: true }, async (app, page) => {
      const c = openCase(app, 'Abused function');
      await go(page, `#/case/${c.number}/actions`);
      await page.getByRole('button', { name: 'New plan…' }).click();
      await page.getByRole('combobox', { name: 'Action' }).selectOption('lambda-contain');
      const form = page.getByRole('form', { name: 'New containment plan' });
      await form.getByRole('textbox', { name: 'Function' }).fill(fn);
      expect(await form.getByRole('textbox', { name: /^Region/ }).inputValue()).toBe(REGION);
      await form.getByRole('button', { name: 'Build plan' }).click();
      const steps = page.getByRole('table', { name: 'Plan steps' });
      await steps.getByText('lambda:PutFunctionConcurrency', { exact: false }).first().waitFor();
      await steps.getByText('lambda:UpdateEventSourceMapping', { exact: false }).first().waitFor();
      expect(model.mutations()).toEqual([]);
      await app.screenshot('containment-09-lambda-plan');

      await confirmAndRun(page, 'Run');
      expect(l.functions[fn]!.reserved).toBe(0);
      expect(l.mappings['esm-on']!.State).toBe('Disabled');

      await page.getByRole('button', { name: 'Plan release' }).click();
      await page.getByRole('heading', { name: /lambda-release of #/ }).waitFor();
      await confirmAndRun(page, 'Run');
      expect({ fn: l.functions[fn], esm: l.mappings['esm-on'] }).toEqual(before);
      await noSeriousA11y(app, 'lambda released');
      await app.screenshot('containment-10-lambda-released');
    });
  });
});
