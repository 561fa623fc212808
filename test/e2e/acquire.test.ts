/// <reference lib="dom" />
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { mockClient } from 'aws-sdk-client-mock';
import { GetEventSelectorsCommand, GetTrailStatusCommand, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { DescribeFlowLogsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { GetDetectorCommand, GuardDutyClient, ListDetectorsCommand } from '@aws-sdk/client-guardduty';
import { DescribeHubCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetTableMetadataCommand,
  GetWorkGroupCommand,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { closeBrowser, hasChromium, startApp } from './harness';
import { seriousA11yProblems } from './a11y';
import { ensureTestIdentity } from '../helpers/identity';
import type { LocalS3 } from '../unit/acquire/s3rver';
import { startTrailBucket, type TrailBucket } from '../support/trail-bucket';
import type { TrailObject } from '../unit/acquire/trail-fixture';
import { ctEvent } from '../unit/acquire/fixtures';
import { validateCloudTrail } from '../../main/acquire/operations';

const BUCKET = 'org-trail-logs';
const ACCOUNT = '111122223333';
const REGION = 'eu-west-1';
const go = (page: Page, hash: string) => page.evaluate((h) => void (window.location.hash = h), hash);

let s3: LocalS3 | undefined;
let trail: TrailObject[] = [];
let world: TrailBucket | undefined;
let ct: TrailBucket['ct'];
const ec2 = mockClient(EC2Client);
const gd = mockClient(GuardDutyClient);
const sh = mockClient(SecurityHubClient);
const athena = mockClient(AthenaClient);
const athenaQueries: string[] = [];

beforeAll(async () => {
  if (!hasChromium) return;
  const mainTrail = {
    Name: 'main',
    TrailARN: `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/main`,
    S3BucketName: BUCKET,
    HomeRegion: REGION,
    IsMultiRegionTrail: false,
  };
  world = await startTrailBucket({ bucket: BUCKET, account: ACCOUNT, region: REGION, hours: 2, logsPerHour: 3, trail: mainTrail });
  ({ s3, trail, ct } = world);
  ct.on(GetTrailStatusCommand).resolves({ IsLogging: true });
  ct.on(GetEventSelectorsCommand).resolves({
    EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [] }],
  });
  ec2.on(DescribeFlowLogsCommand).resolves({ FlowLogs: [] });
  gd.on(ListDetectorsCommand).resolves({ DetectorIds: ['det-1'] });
  gd.on(GetDetectorCommand).resolves({ Status: 'ENABLED', ServiceRole: 'x' });
  athena
    .on(GetWorkGroupCommand)
    .resolves({ WorkGroup: { Name: 'primary', Configuration: { ResultConfiguration: { OutputLocation: `s3://${BUCKET}/athena/` } } } });
  // The table exists once its DDL (the second statement) has run.
  athena.on(GetTableMetadataCommand).callsFake(async () => {
    if (athenaQueries.length < 2) throw Object.assign(new Error('Table not found'), { name: 'MetadataException' });
    return { TableMetadata: { Name: 't', Parameters: {} } };
  });
  athena.on(StartQueryExecutionCommand).callsFake(async (i: { QueryString?: string }) => {
    athenaQueries.push(i.QueryString ?? '');
    return { QueryExecutionId: `q${athenaQueries.length}` };
  });
  athena.on(GetQueryExecutionCommand).callsFake(async (i: { QueryExecutionId?: string }) => ({
    QueryExecution: {
      QueryExecutionId: i.QueryExecutionId,
      Status: { State: 'SUCCEEDED' },
      Statistics: { DataScannedInBytes: 4096 },
      ResultConfiguration: { OutputLocation: `s3://${BUCKET}/athena/${i.QueryExecutionId}.csv` },
    },
  }));
  await s3.put(BUCKET, 'athena/q3.csv', Buffer.from('"eventname"\n"ListUsers"\n'));
  sh.on(DescribeHubCommand).rejects(
    Object.assign(new Error('Account is not subscribed to AWS Security Hub'), { name: 'InvalidAccessException' }),
  );
});
afterAll(async () => {
  for (const m of [ec2, gd, sh, athena]) m.restore();
  await world?.close();
  await closeBrowser();
});

describe.skipIf(!hasChromium)(
  'the Acquire tab in Chromium (a real local S3 server; CloudTrail, EC2, GuardDuty, Security Hub mocked)',
  () => {
    it('acquires event history (cancelled mid-way, then complete), plans a trail download with count and size first, validates it offline, and maps coverage', async () => {
      const local = s3!;
      const app = await startApp({
        env: { LARIAT_AWS_ENDPOINT: local.endpoint, AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: REGION },
      });
      const { page, services } = app;
      try {
        ensureTestIdentity(services);
        const c = services.core.cases.create({ title: 'Trail tampering', severity: 'high', regions: [REGION] });

        // 1. Event history: the second page waits until the investigator has pressed Cancel.
        let release = () => undefined as void;
        const gate = new Promise<void>((r) => (release = r));
        ct.on(LookupEventsCommand).callsFake(async (i: { NextToken?: string }) => {
          if (!i.NextToken) return { Events: [{ EventId: 'e1', CloudTrailEvent: ctEvent(1) }], NextToken: 'p2' };
          await gate;
          return { Events: [{ EventId: 'e2', CloudTrailEvent: ctEvent(2) }] };
        });
        await go(page, `#/case/${c.number}/acquire`);
        const history = page.getByRole('form', { name: 'CloudTrail event history' });
        await history.getByLabel('From (UTC)').fill('2026-11-20T09:00');
        await history.getByLabel('To (UTC)').fill('2026-11-20T12:00');
        await history.getByRole('button', { name: 'Acquire event history' }).click();
        await history.locator('[data-job-state="running"]').waitFor();
        await expect.poll(() => ct.commandCalls(LookupEventsCommand).length).toBe(2);
        await history.getByRole('button', { name: 'Cancel' }).click();
        release();
        await history.locator('[data-job-state="cancelled"]').waitFor({ timeout: 20_000 });
        expect(services.custody.vault.list(c.number)).toHaveLength(0);
        await app.screenshot('acquire-01-history-cancelled');
        await history.getByRole('button', { name: 'Acquire event history' }).click();
        await history.locator('[data-job-state="done"]').waitFor({ timeout: 20_000 });
        const acquisitions = page.getByRole('table', { name: 'Acquisitions' });
        await acquisitions.locator('tr[data-state="done"]').getByText('lookup-events').waitFor();
        expect(services.custody.vault.list(c.number)).toHaveLength(1);

        // 2. The trail: one log changed and one deleted in the bucket after delivery.
        const logs = trail.filter((o) => o.kind === 'log');
        const changed = logs[1]!;
        const deleted = logs[4]!;
        await local.put(
          BUCKET,
          changed.key,
          zlib.gzipSync(Buffer.from(changed.uncompressed.toString().replace(/198\.51\.100\.23/g, '10.0.0.1'))),
        );
        await local.client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: deleted.key }));
        await page.getByRole('button', { name: 'Log bucket' }).click();
        const bucket = page.getByRole('form', { name: 'Log bucket acquisition' });
        await bucket.getByLabel('Trail name or ARN').fill('main');
        await bucket.getByLabel('Accounts').fill(ACCOUNT);
        await bucket.getByLabel('From (UTC)').fill('2026-11-20T09:00');
        await bucket.getByLabel('To (UTC)').fill('2026-11-20T11:00');
        const before = services.custody.vault.list(c.number).length;
        await bucket.getByRole('button', { name: 'List objects' }).click();
        const plan = page.getByRole('region', { name: 'Acquisition plan' });
        const digests = trail.filter((o) => o.kind === 'digest').length;
        const total = logs.length - 1 + digests;
        const download = plan.getByRole('button', { name: new RegExp(`^Download ${total} objects`) });
        await download.waitFor();
        await plan.getByText(String(logs.length - 1), { exact: true }).waitFor();
        // Shown, not fetched: the vault is as it was.
        expect(services.custody.vault.list(c.number)).toHaveLength(before);
        await app.screenshot('acquire-02-bucket-plan');
        await download.click();
        await plan.locator('[data-job-state="done"]').waitFor({ timeout: 30_000 });
        // Every object, plus the region's public keys.
        await expect.poll(() => services.custody.vault.list(c.number).length).toBe(before + total + 1);
        await app.screenshot('acquire-03-bucket-done');

        // 3. Offline validation names the changed and the deleted file.
        await page.getByRole('button', { name: 'Validation' }).click();
        const validation = page.getByRole('region', { name: 'CloudTrail validation' });
        await validation.getByRole('button', { name: 'Validate offline' }).click();
        await validation.getByText('Tampered.').waitFor();
        const bad = validation.getByRole('table', { name: 'Changed or deleted' });
        await bad.locator('tr[data-status="changed"]').getByText(changed.key, { exact: false }).waitFor();
        await bad.locator('tr[data-status="deleted"]').getByText(deleted.key, { exact: false }).waitFor();
        const expected = await validateCloudTrail(services.acquire, c.number);
        expect(expected.files.filter((f) => f.status === 'authentic').length).toBeGreaterThan(0);
        await validation.getByText(`Proven authentic (${expected.files.filter((f) => f.status === 'authentic').length})`).waitFor();
        expect(await seriousA11yProblems(page)).toEqual([]);
        await app.screenshot('acquire-04-validation');

        // 4. Coverage: trail validated, no data events, no flow logs, Security Hub off are blind spots.
        await page.getByRole('button', { name: 'Coverage' }).click();
        const coverage = page.getByRole('region', { name: 'Logging coverage' });
        await coverage.getByRole('button', { name: 'Check coverage' }).click();
        const grid = coverage.getByRole('table', { name: 'Coverage grid' });
        const row = grid.locator('tbody tr').first();
        await row.getByRole('cell', { name: 'main', exact: true }).waitFor();
        const states = await row.locator('td[data-state]').evaluateAll((tds) => tds.map((td) => td.getAttribute('data-state')));
        expect(states).toEqual(['ok', 'gap', 'ok', 'gap', 'gap', 'ok', 'gap']);
        await app.screenshot('acquire-05-coverage');

        // 5. Athena: the setup is its statements first; the query shows its estimate before and its statistics after.
        await page.getByRole('button', { name: 'Athena', exact: true }).click();
        const setup = page.getByRole('form', { name: 'Athena setup' });
        await setup.getByLabel('Over').selectOption('bucket');
        await setup.getByLabel('Bucket', { exact: true }).fill(BUCKET);
        await setup.getByLabel('Accounts').fill(ACCOUNT);
        await setup.getByLabel('Regions').fill(REGION);
        await setup.getByRole('button', { name: 'Plan setup' }).click();
        const setupPlan = page.getByRole('region', { name: 'Athena setup plan' });
        await setupPlan.getByText('CREATE DATABASE', { exact: false }).waitFor();
        expect(athenaQueries).toEqual([]);
        await app.screenshot('acquire-06-athena-setup-plan');
        await setupPlan.getByRole('button', { name: 'Run 2 statements in Athena' }).click();
        await setupPlan.locator('[data-job-state="done"]').waitFor({ timeout: 20_000 });
        expect(athenaQueries).toHaveLength(2);
        const query = page.getByRole('form', { name: 'Athena query' });
        await query.getByLabel('From (UTC)').fill('2026-11-20T00:00');
        await query.getByLabel('To (UTC)').fill('2026-11-20T23:00');
        await query.getByRole('button', { name: 'Estimate cost' }).click();
        const queryPlan = page.getByRole('region', { name: 'Athena query plan' });
        await queryPlan.getByText('May scan (estimate)').waitFor();
        expect(athenaQueries).toHaveLength(2);
        await queryPlan.getByRole('button', { name: /^Run query/ }).click();
        await queryPlan.locator('[data-job-state="done"]').waitFor({ timeout: 20_000 });
        await queryPlan.getByText('4.0 KiB', { exact: false }).waitFor();
        expect(athenaQueries[2]).toMatch(/^SELECT/);
        await app.screenshot('acquire-07-athena-query');
      } finally {
        await app.close();
      }
    });
  },
);
