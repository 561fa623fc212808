import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CoverageInput, PlanBucketInput } from '../../../common/contract/acquire';
import * as ops from '../../../main/acquire/operations';
import { ACCOUNT, REGION, awsError, ctEvent, setup, type Env } from './fixtures';

let e: Env;
beforeEach(() => {
  e = setup();
});
afterEach(() => e.cleanup());

const MEMBER = '444455556666';
const CLOSED = '777788889999';

function stubOrganization(): void {
  e.mock
    .on('organizations', 'ListAccounts', (i) =>
      i.NextToken
        ? { Accounts: [{ Id: CLOSED, Name: 'old', Status: 'SUSPENDED' }] }
        : {
            Accounts: [
              { Id: ACCOUNT, Name: 'management', Email: 'root@example.com', Status: 'ACTIVE' },
              { Id: MEMBER, Name: 'prod', Status: 'ACTIVE' },
            ],
            NextToken: 'o2',
          },
    )
    .on('sts', 'AssumeRole', (i) => ({
      Credentials: { AccessKeyId: 'ASIAQWERTYUIOPASDFGH', SecretAccessKey: 'x', SessionToken: 'y', Expiration: new Date('2027-01-01') },
      AssumedRoleUser: { Arn: String(i.RoleArn) },
    }));
}

describe('several accounts', () => {
  it('lists the Organization (every page), assumes the role into each other active account, and reports the ones it cannot reach', async () => {
    stubOrganization();
    const list = await ops.listAwsAccounts(e.d, { organization: true, roleName: 'IR-Responder', externalId: 'case-7' });
    expect(e.mock.of('organizations', 'ListAccounts')).toHaveLength(2);
    expect(list).toEqual([
      expect.objectContaining({ account: ACCOUNT, via: 'current identity', error: null }),
      expect.objectContaining({ account: MEMBER, via: `arn:aws:iam::${MEMBER}:role/IR-Responder`, error: null }),
      expect.objectContaining({ account: CLOSED, error: 'account status SUSPENDED' }),
    ]);
    expect(e.mock.of('sts', 'AssumeRole')).toEqual([
      expect.objectContaining({ RoleArn: `arn:aws:iam::${MEMBER}:role/IR-Responder`, ExternalId: 'case-7' }),
    ]);
  });

  it('says why an account cannot be reached (AssumeRole refused) and goes on', async () => {
    e.mock.failNext('sts', 'AssumeRole', awsError('AccessDenied', 'not authorized to perform sts:AssumeRole'));
    const list = await ops.listAwsAccounts(e.d, { accounts: [MEMBER, ACCOUNT] });
    expect(list[0]).toMatchObject({ account: MEMBER, error: expect.stringContaining('sts:AssumeRole') });
    expect(list[1]).toMatchObject({ account: ACCOUNT, error: null });
  });

  it('acquires event history in each account of a list with that account’s credentials', async () => {
    stubOrganization();
    e.mock.on('cloudtrail', 'LookupEvents', { Events: [{ EventId: 'x', CloudTrailEvent: ctEvent(1) }] });
    const a = await ops.lookupEvents(e.d, {
      caseNumber: e.caseNumber,
      window: { from: '2026-11-20T00:00:00.000Z', to: '2026-11-21T00:00:00.000Z' },
      scope: { accounts: [ACCOUNT, MEMBER], externalId: 'shared-external-id' },
    });
    expect(a.result.events).toBe(2);
    expect(e.mock.of('sts', 'AssumeRole')[0]!.ExternalId).toBe('shared-external-id');
    // Kept to assume the role again, never shown.
    expect(JSON.stringify(ops.getAcquisition(e.d, a.id))).not.toContain('shared-external-id');
    expect(e.mock.of('sts', 'AssumeRole')).toHaveLength(1);
  });
});

describe('logging coverage map', () => {
  function stubCoverage(o: { validation?: boolean; flowLogs?: boolean; guardDuty?: boolean } = {}): void {
    const trailArn = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/org`;
    e.mock
      .on('cloudtrail', 'DescribeTrails', {
        trailList: [
          {
            Name: 'org',
            TrailARN: trailArn,
            HomeRegion: 'us-east-1',
            IsMultiRegionTrail: true,
            IsOrganizationTrail: true,
            LogFileValidationEnabled: o.validation ?? true,
            S3BucketName: 'org-logs',
          },
        ],
      })
      .on('cloudtrail', 'GetTrailStatus', { IsLogging: true })
      .on('cloudtrail', 'GetEventSelectors', {
        AdvancedEventSelectors: [{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] }],
      })
      .on('ec2', 'DescribeFlowLogs', { FlowLogs: o.flowLogs === false ? [] : [{ ResourceId: 'vpc-1', FlowLogStatus: 'ACTIVE' }] })
      .on('guardduty', 'ListDetectors', { DetectorIds: o.guardDuty === false ? [] : ['det-1'] })
      .on('guardduty', 'GetDetector', { Status: 'ENABLED' })
      .on('securityhub', 'DescribeHub', { HubArn: 'arn:hub' });
  }

  it('maps trails (multi-region, organization, logging, validation, data events), flow logs, GuardDuty and Security Hub, and names the gaps', async () => {
    stubCoverage({ validation: false, flowLogs: false });
    e.mock.failNext(
      'securityhub',
      'DescribeHub',
      awsError('InvalidAccessException', 'Account 111122223333 is not subscribed to AWS Security Hub'),
    );
    const map = await ops.loggingCoverage(e.d, CoverageInput.parse({ caseNumber: e.caseNumber }));
    expect(map.regions).toHaveLength(1);
    const r = map.regions[0]!;
    expect(r.trails[0]).toMatchObject({
      name: 'org',
      multiRegion: true,
      organization: true,
      logging: true,
      validation: false,
      dataEvents: false,
    });
    expect(e.mock.of('cloudtrail', 'GetTrailStatus')[0]).toEqual({ Name: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/org` });
    expect(r.guardDuty).toEqual({ enabled: true, detectorId: 'det-1', status: 'ENABLED' });
    expect(r.securityHub).toEqual({ enabled: false });
    expect(r.gaps).toEqual([
      'no logging trail has log file validation: its logs cannot be proven unchanged',
      'no data events (S3 object, Lambda invoke) are recorded',
      'no VPC flow logs',
      'Security Hub is off',
    ]);
    // Saved to the case as evidence.
    expect(map.evidenceId).not.toBeNull();
    expect(e.s.custody.vault.get(e.caseNumber, map.evidenceId!).description).toContain('Logging coverage map');
  });

  it('keeps mapping when a lookup is refused, naming the IAM action it needed', async () => {
    stubCoverage();
    e.mock.failNext('ec2', 'DescribeFlowLogs', awsError('UnauthorizedOperation', 'You are not authorized'));
    const map = await ops.loggingCoverage(e.d, CoverageInput.parse({ regions: [REGION, 'us-east-1'] }));
    expect(map.regions).toHaveLength(2);
    expect(map.regions[0]!.flowLogs).toBeNull();
    expect(map.regions[0]!.errors[0]).toContain('ec2:DescribeFlowLogs');
    expect(map.regions[1]!.flowLogs).toEqual({ vpcs: 1, resources: ['vpc-1'] });
    // The trail is asked about once per account, not once per region.
    expect(e.mock.of('cloudtrail', 'GetTrailStatus')).toHaveLength(1);
  });
});

describe('bucket planning against the S3 API (mocked)', () => {
  it('finds accounts (also under an organization id) and regions with delimiter listings, paginating every listing', async () => {
    e.mock.on('s3', 'ListObjectsV2', (i) => {
      const prefix = String(i.Prefix);
      if (i.Delimiter === '/') {
        if (prefix === 'logs/AWSLogs/') return { CommonPrefixes: [{ Prefix: 'logs/AWSLogs/o-abcdefghij/' }] };
        if (prefix === 'logs/AWSLogs/o-abcdefghij/') return { CommonPrefixes: [{ Prefix: `logs/AWSLogs/o-abcdefghij/${ACCOUNT}/` }] };
        return {};
      }
      if (prefix.includes('/CloudTrail/') && !i.ContinuationToken)
        return {
          IsTruncated: true,
          NextContinuationToken: 'c2',
          Contents: [{ Key: `${prefix}${ACCOUNT}_CloudTrail_${REGION}_20261120T1005Z_a.json.gz`, Size: 100, ETag: '"aa"' }],
        };
      if (prefix.includes('/CloudTrail/'))
        return { Contents: [{ Key: `${prefix}${ACCOUNT}_CloudTrail_${REGION}_20261120T2305Z_b.json.gz`, Size: 50, ETag: '"bb"' }] };
      return {};
    });
    const plan = await ops.planBucketAcquisition(
      e.d,
      PlanBucketInput.parse({
        caseNumber: e.caseNumber,
        bucket: 'trail-bucket',
        prefix: 'logs',
        digests: false,
        window: { from: '2026-11-20T10:00:00Z', to: '2026-11-20T12:00:00Z' },
      }),
    );
    expect(plan.accounts).toEqual([ACCOUNT]);
    expect(plan.logs).toEqual({ count: 1, bytes: 100 });
    expect(plan.outsideWindow).toBe(1);
    expect(e.mock.of('s3', 'ListObjectsV2').filter((c) => c.ContinuationToken === 'c2')).toHaveLength(1);
    expect(
      e.mock.of('s3', 'ListObjectsV2').some((c) => c.Prefix === `logs/AWSLogs/o-abcdefghij/${ACCOUNT}/CloudTrail/${REGION}/2026/11/20/`),
    ).toBe(true);
  });

  it('names s3:ListBucket when listing is refused, and retries SlowDown', async () => {
    e.mock.on('s3', 'ListObjectsV2', {});
    e.mock.failNext('s3', 'ListObjectsV2', awsError('SlowDown', 'Please reduce your request rate.'));
    await expect(
      ops.planBucketAcquisition(
        e.d,
        PlanBucketInput.parse({ caseNumber: e.caseNumber, bucket: 'b-1', window: { from: '2026-11-20', to: '2026-11-20' } }),
      ),
    ).rejects.toMatchObject({ code: 'no-logs-found' });
    expect(e.mock.of('s3', 'ListObjectsV2')).toHaveLength(2);
    e.mock.failNext('s3', 'ListObjectsV2', awsError('AccessDenied', 'Access Denied', { $metadata: { httpStatusCode: 403 } }));
    await expect(
      ops.planBucketAcquisition(
        e.d,
        PlanBucketInput.parse({ caseNumber: e.caseNumber, bucket: 'b-1', window: { from: '2026-11-20', to: '2026-11-20' } }),
      ),
    ).rejects.toMatchObject({ code: 'aws-access-denied', message: expect.stringContaining('s3:ListBucket') });
  });

  it('names s3:GetObject when a download is refused, records nothing for it, and resumes later', async () => {
    const key = `AWSLogs/${ACCOUNT}/CloudTrail/${REGION}/2026/11/20/${ACCOUNT}_CloudTrail_${REGION}_20261120T1005Z_a.json.gz`;
    const body = Buffer.from(JSON.stringify({ Records: [JSON.parse(ctEvent(1))] }));
    const etag = `"${(await import('node:crypto')).createHash('md5').update(body).digest('hex')}"`;
    e.mock.on('s3', 'ListObjectsV2', (i) =>
      String(i.Prefix).endsWith('/20/') ? { Contents: [{ Key: key, Size: body.length, ETag: etag }] } : {},
    );
    e.mock.on('s3', 'GetObject', () => ({ Body: Readable.from([body]), ETag: etag, VersionId: 'v1' }));
    const plan = await ops.planBucketAcquisition(
      e.d,
      PlanBucketInput.parse({
        caseNumber: e.caseNumber,
        bucket: 'b-1',
        accounts: [ACCOUNT],
        digests: false,
        window: { from: '2026-11-20', to: '2026-11-20' },
      }),
    );
    e.mock.failNext('s3', 'GetObject', awsError('AccessDenied', 'Access Denied', { $metadata: { httpStatusCode: 403 } }));
    await expect(ops.runAcquisition(e.d, plan.acquisition.id)).rejects.toMatchObject({
      code: 'aws-access-denied',
      message: expect.stringContaining('s3:GetObject'),
    });
    expect(e.s.custody.vault.list(e.caseNumber)).toHaveLength(0);
    expect(ops.getAcquisition(e.d, plan.acquisition.id).state).toBe('failed');
    const done = await ops.runAcquisition(e.d, plan.acquisition.id);
    expect(done.state).toBe('done');
    expect(e.mock.of('s3', 'GetObject').at(-1)).toEqual({ Bucket: 'b-1', Key: key, IfMatch: etag });
    const item = e.s.custody.vault.list(e.caseNumber)[0]!;
    expect(item.acquisition.method).toContain('versionId=v1');
  });

  it('does not fetch or record again an object the vault holds but whose row a kill left pending', async () => {
    const key = `AWSLogs/${ACCOUNT}/CloudTrail/${REGION}/2026/11/20/${ACCOUNT}_CloudTrail_${REGION}_20261120T1005Z_a.json.gz`;
    const body = Buffer.from('{"Records":[]}');
    const etag = `"${(await import('node:crypto')).createHash('md5').update(body).digest('hex')}"`;
    e.mock.on('s3', 'ListObjectsV2', (i) =>
      String(i.Prefix).endsWith('/20/') ? { Contents: [{ Key: key, Size: body.length, ETag: etag }] } : {},
    );
    e.mock.on('s3', 'GetObject', () => ({ Body: Readable.from([body]), ETag: etag }));
    const plan = await ops.planBucketAcquisition(
      e.d,
      PlanBucketInput.parse({
        caseNumber: e.caseNumber,
        bucket: 'b-1',
        accounts: [ACCOUNT],
        digests: false,
        window: { from: '2026-11-20', to: '2026-11-20' },
      }),
    );
    await ops.runAcquisition(e.d, plan.acquisition.id);
    const entries = e.s.custody.ledger.list(e.caseNumber).length;
    // As a kill between the vault commit and the object row leaves it.
    e.s.core.db.prepare("UPDATE acquisition_objects SET state = 'pending', evidence_id = NULL").run();
    e.s.core.db.prepare("UPDATE acquisitions SET state = 'failed'").run();
    e.d.store.mergeResult(plan.acquisition.id, { timeline: null });
    const again = await ops.runAcquisition(e.d, plan.acquisition.id);
    expect(again.objectsDone).toBe(1);
    expect(e.mock.of('s3', 'GetObject')).toHaveLength(1);
    expect(e.s.custody.ledger.list(e.caseNumber)).toHaveLength(entries);
    expect(again.evidenceIds).toEqual([e.s.custody.vault.list(e.caseNumber)[0]!.id]);
  });

  it('refuses an object whose ETag changed since the plan, and keeps the others', async () => {
    const key = (n: string) =>
      `AWSLogs/${ACCOUNT}/CloudTrail/${REGION}/2026/11/20/${ACCOUNT}_CloudTrail_${REGION}_20261120T10${n}5Z_a.json.gz`;
    const body = Buffer.from('{"Records":[]}');
    const etag = `"${(await import('node:crypto')).createHash('md5').update(body).digest('hex')}"`;
    e.mock.on('s3', 'ListObjectsV2', (i) =>
      String(i.Prefix).endsWith('/20/') ? { Contents: ['1', '2'].map((n) => ({ Key: key(n), Size: body.length, ETag: etag })) } : {},
    );
    e.mock.on('s3', 'GetObject', (i) => ({ Body: Readable.from([body]), ETag: i.Key === key('2') ? '"changed"' : etag }));
    const plan = await ops.planBucketAcquisition(
      e.d,
      PlanBucketInput.parse({
        caseNumber: e.caseNumber,
        bucket: 'b-1',
        accounts: [ACCOUNT],
        digests: false,
        window: { from: '2026-11-20', to: '2026-11-20' },
      }),
    );
    await expect(ops.runAcquisition(e.d, plan.acquisition.id)).rejects.toMatchObject({
      code: 'acquisition-incomplete',
      message: expect.stringContaining('"changed"'),
    });
    expect(e.s.custody.vault.list(e.caseNumber)).toHaveLength(1);
    expect(ops.getAcquisition(e.d, plan.acquisition.id).objects).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'log', state: 'failed', count: 1 }),
        expect.objectContaining({ kind: 'log', state: 'done', count: 1 }),
      ]),
    );
  });
});
