import crypto from 'node:crypto';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAcquireFeature } from '../../../main/acquire';
import { INSTANT, awsCli } from '../../helpers/cli-setup';
import { ACCOUNT, REGION, ctEvent, iamActionsCalled, policyActions, setup, type Env } from './fixtures';

let e: Env;
beforeEach(() => {
  e = setup();
});
afterEach(() => e.cleanup());

/** Runs the CLI in-process on the test's data folder, with instant waits and the mocked AWS. */
const cli = awsCli(
  () => e.s.dataDir,
  { id: 'AKIAIOSFODNN7EXAMPLE', secret: 'secret-example', region: REGION },
  (s) => ({ ...s, acquire: createAcquireFeature(s.core, s.custody, s.timeline, s.response, INSTANT) }),
);

/** The one day the stubs hold events and logs for. */
const DAY = ['--from', '2026-11-20', '--to', '2026-11-20'];
/** `acquire lookup-events` over that day: the tests differ only in their filters and output options. */
const lookupDay = (...more: string[]) => cli('acquire', 'lookup-events', '--case', e.caseNumber, ...DAY, ...more);
/** `acquire bucket` over the stubbed trail bucket's day, without digests: two tests plan or run the same acquisition. */
const bucketDay = (...more: string[]) =>
  cli('acquire', 'bucket', '--case', e.caseNumber, '--bucket', 'trail-logs', '--account', ACCOUNT, ...DAY, '--no-digests', ...more);

function stubBucket(): { key: string; body: Buffer } {
  const key = `AWSLogs/${ACCOUNT}/CloudTrail/${REGION}/2026/11/20/${ACCOUNT}_CloudTrail_${REGION}_20261120T1005Z_a.json.gz`;
  const body = Buffer.from(JSON.stringify({ Records: [JSON.parse(ctEvent(1)), JSON.parse(ctEvent(2))] }));
  const etag = `"${crypto.createHash('md5').update(body).digest('hex')}"`;
  e.mock
    .on('s3', 'ListObjectsV2', (i) =>
      String(i.Prefix).includes('/CloudTrail/') && String(i.Prefix).endsWith('/20/')
        ? { Contents: [{ Key: key, Size: body.length, ETag: etag }] }
        : {},
    )
    .on('s3', 'GetObject', () => ({ Body: Readable.from([body]), ETag: etag }));
  return { key, body };
}

describe('lariat acquire / cloudtrail / findings / aws / athena', () => {
  it('acquire lookup-events prints the acquisition (or JSON), progress on stderr', async () => {
    e.mock.on('cloudtrail', 'LookupEvents', (i) =>
      i.NextToken ? { Events: [{ CloudTrailEvent: ctEvent(2) }] } : { Events: [{ CloudTrailEvent: ctEvent(1) }], NextToken: 'n' },
    );
    const r = await lookupDay('--event-name', 'CreateAccessKey');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Acquisition #1 \(lookup-events\) done/);
    expect(r.out).toContain('timeline  2 events imported from 1 file(s)');
    // Progress through ctx.waitJob, as every job the CLI starts through the one door.
    expect(r.err).toContain('CloudTrail event history into ' + e.caseNumber + ': 1 (1 events, 1 pages (111122223333 eu-west-1))');
    const j = await lookupDay('--json');
    expect(JSON.parse(j.out)).toMatchObject({ kind: 'lookup-events', state: 'done', result: { events: 2 } });
  });

  it('refuses two lookup attributes and a bad time with a hint, exit 1', async () => {
    const r = await lookupDay('--principal', 'a', '--event-name', 'B');
    expect(r.code).toBe(1);
    expect(r.err).toContain('one attribute at a time');
    const t = await cli('acquire', 'lookup-events', '--case', e.caseNumber, '--from', 'yesterday', '--to', '2026-11-20');
    expect(t.code).toBe(1);
    expect(t.err).toMatch(/--window\.from: a time looks like/);
  });

  it('acquire bucket plans without --yes (nothing downloaded), acquire run --yes downloads, list and show', async () => {
    stubBucket();
    const p = await bucketDay();
    expect(p.code).toBe(0);
    expect(p.out).toMatch(/logs\s+1 objects, \d+ B/);
    expect(p.out).toContain('Nothing was downloaded. Run it with: lariat acquire run 1 --yes');
    expect(e.mock.of('s3', 'GetObject')).toHaveLength(0);
    const confirm = await cli('acquire', 'run', '1');
    expect(confirm.out).toContain('Confirm with: lariat acquire run 1 --yes');
    expect(e.mock.of('s3', 'GetObject')).toHaveLength(0);
    const r = await cli('acquire', 'run', '1', '--yes');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/objects\s+1\/1/);
    expect(r.out).toContain('timeline  2 events imported');
    const list = await cli('acquire', 'list', '--case', e.caseNumber);
    expect(list.out).toMatch(/1\s+bucket\s+done\s+1\/1/);
    const show = await cli('acquire', 'show', '1', '--json');
    expect(JSON.parse(show.out)).toMatchObject({ id: 1, state: 'done', objects: [{ kind: 'log', state: 'done', count: 1 }] });
  });

  it('cloudtrail validate exits 3 when there is nothing to prove, with the verdict', async () => {
    const r = await cli('cloudtrail', 'validate', e.caseNumber);
    expect(r.code).toBe(3);
    expect(r.out).toContain('NOTHING-TO-VALIDATE');
  });

  it('findings pull, inbox, triage, open', async () => {
    e.mock
      .on('guardduty', 'ListDetectors', { DetectorIds: ['d'] })
      .on('guardduty', 'ListFindings', { FindingIds: ['f1'] })
      .on('guardduty', 'GetFindings', {
        Findings: [
          {
            Id: 'f1',
            AccountId: ACCOUNT,
            Region: REGION,
            Type: 'Recon:EC2/PortProbeUnprotectedPort',
            Title: 'Unprotected port probed',
            Severity: 5,
            SchemaVersion: '2.0',
            Service: {},
            Resource: { ResourceType: 'Instance', InstanceDetails: { InstanceId: 'i-0abc1234def567890' } },
            UpdatedAt: '2026-11-20T10:00:00Z',
          },
        ],
      });
    const pull = await cli(
      'findings',
      'pull',
      '--case',
      e.caseNumber,
      '--source',
      'guardduty',
      '--severity',
      'high',
      '--type',
      'Recon:EC2/PortProbeUnprotectedPort',
    );
    expect(pull.code).toBe(0);
    // --severity and --type reach the pull although `findings <case>` defines them too.
    expect(e.mock.of('guardduty', 'ListFindings')[0]!.FindingCriteria).toEqual({
      Criterion: { severity: { Gte: 7 }, type: { Eq: ['Recon:EC2/PortProbeUnprotectedPort'] } },
    });
    expect(pull.out).toContain('1 findings pulled: 1 new');
    const inbox = await cli('findings', 'inbox');
    expect(inbox.out).toMatch(/1\s+medium\s+new\s+guardduty\s+111122223333\s+eu-west-1\s+Recon:EC2\/PortProbeUnprotectedPort/);
    expect((await cli('findings', 'triage', '1', '--state', 'triaged', '--note', 'looking')).out).toBe('Finding 1 is now triaged.');
    const open = await cli('findings', 'open', '1');
    expect(open.out).toMatch(/Opened IR-2026-0002 "Unprotected port probed"; the finding is evidence \d+\./);
    expect(JSON.parse((await cli('findings', 'inbox', '--json')).out)[0]).toMatchObject({ state: 'in-case', cases: ['IR-2026-0002'] });
    // The existing case findings list still answers.
    expect((await cli('findings', 'IR-2026-0002')).out).toContain('Recon:EC2/PortProbeUnprotectedPort');
  });

  it('aws accounts and aws coverage', async () => {
    e.mock.on('organizations', 'ListAccounts', { Accounts: [{ Id: ACCOUNT, Name: 'mgmt', Status: 'ACTIVE' }] });
    const a = await cli('aws', 'accounts', '--organization');
    expect(a.out).toBe(`${ACCOUNT}  mgmt  via current identity`);
    e.mock
      .on('cloudtrail', 'DescribeTrails', { trailList: [] })
      .on('ec2', 'DescribeFlowLogs', { FlowLogs: [] })
      .on('guardduty', 'ListDetectors', { DetectorIds: [] })
      .on('securityhub', 'DescribeHub', {});
    const c = await cli('aws', 'coverage', '--region', REGION);
    expect(c.code).toBe(0);
    expect(c.out).toContain(`gap    ${ACCOUNT} ${REGION}: no trail logs this region`);
    expect(c.out).toContain('GuardDuty is off');
  });

  it('athena playbook and athena setup --plan', async () => {
    const p = await cli('athena', 'playbook');
    expect(p.out).toMatch(/activity-by-access-key\s+cloudtrail\s+\[--param accessKeyId=\.\.\.\]/);
    e.mock
      .on('s3', 'ListObjectsV2', (i) =>
        i.Delimiter === '/' && i.Prefix === 'AWSLogs/' ? { CommonPrefixes: [{ Prefix: `AWSLogs/${ACCOUNT}/` }] } : {},
      )
      .on('athena', 'GetWorkGroup', { WorkGroup: { Configuration: { ResultConfiguration: { OutputLocation: 's3://results/' } } } })
      .on('athena', 'GetTableMetadata', () => {
        throw Object.assign(new Error('Table not found'), { name: 'MetadataException', $metadata: {} });
      });
    const s = await cli('athena', 'setup', '--case', e.caseNumber, '--bucket', 'trail-logs', '--log-kind', 'vpcflowlogs');
    expect(s.code).toBe(0);
    expect(s.out).toContain("ROW FORMAT DELIMITED FIELDS TERMINATED BY ' '");
    expect(s.out).toContain('Nothing was created. Run it with: lariat acquire run 1 --yes');
    expect(e.mock.of('athena', 'StartQueryExecution')).toHaveLength(0);
  });

  it('every AWS call made by these commands is allowed by the shipped least-privilege policy', async () => {
    stubBucket();
    e.mock.on('cloudtrail', 'LookupEvents', { Events: [] });
    await lookupDay();
    await bucketDay('--yes');
    const allowed = policyActions();
    const used = iamActionsCalled(e.mock);
    expect(used).toEqual(expect.arrayContaining(['cloudtrail:LookupEvents', 's3:ListBucket', 's3:GetObject']));
    expect(used.filter((a) => !allowed.has(a))).toEqual([]);
  });
});
