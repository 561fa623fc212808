import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AthenaQueryInput, AthenaSetupInput } from '../../../common/contract/acquire';
import * as ops from '../../../main/acquire/operations';
import { checkOwnSql, renderSql } from '../../../main/acquire/athena/sql';
import { ACCOUNT, REGION, awsError, custodyBodies, setup, type Env } from './fixtures';

let e: Env;
beforeEach(() => {
  e = setup();
});
afterEach(() => e.cleanup());

const OUTPUT = 's3://ir-athena-results/lariat/';

function stubSetup(o: { existing?: Record<string, string> | null } = {}): void {
  let created = false;
  e.mock
    .on('cloudtrail', 'DescribeTrails', { trailList: [{ Name: 'org', S3BucketName: 'org-trail-logs', S3KeyPrefix: '' }] })
    .on('s3', 'ListObjectsV2', (i) => {
      if (i.Delimiter === '/' && i.Prefix === 'AWSLogs/') return { CommonPrefixes: [{ Prefix: 'AWSLogs/o-abcdefghij/' }] };
      if (i.Delimiter === '/') return { CommonPrefixes: [{ Prefix: `AWSLogs/o-abcdefghij/${ACCOUNT}/` }] };
      return { Contents: [{ Key: `${String(i.Prefix)}x.json.gz`, Size: 4_000_000, ETag: '"e"' }] };
    })
    .on('athena', 'GetWorkGroup', { WorkGroup: { Configuration: { EnforceWorkGroupConfiguration: false } } })
    .on('athena', 'GetTableMetadata', () => {
      if (o.existing) return { TableMetadata: { Parameters: o.existing } };
      if (!created) throw awsError('MetadataException', 'Table not found');
      return { TableMetadata: { Parameters: {} } };
    })
    .on('athena', 'StartQueryExecution', (i) => {
      if (String(i.QueryString).startsWith('CREATE EXTERNAL TABLE')) created = true;
      return { QueryExecutionId: `q-${crypto.createHash('md5').update(String(i.ClientRequestToken)).digest('hex').slice(0, 8)}` };
    })
    .on('athena', 'GetQueryExecution', (i) => ({
      QueryExecution: {
        QueryExecutionId: i.QueryExecutionId,
        Query: 'x',
        WorkGroup: 'primary',
        Status: { State: 'SUCCEEDED' },
        Statistics: { DataScannedInBytes: 123_456_789 },
        ResultConfiguration: { OutputLocation: `${OUTPUT}${String(i.QueryExecutionId)}.csv` },
      },
    }));
}

const setupInput = () => AthenaSetupInput.parse({ caseNumber: e.caseNumber, trail: 'org', outputLocation: OUTPUT, since: '2025-01-01' });

async function runSetup(): Promise<number> {
  const plan = await ops.planAthenaSetup(e.d, setupInput());
  await ops.runAcquisition(e.d, plan.acquisition.id);
  return plan.acquisition.id;
}

describe('Athena setup', () => {
  it('plans a partition-projected CloudTrail table over the organization trail, creating nothing', async () => {
    stubSetup();
    const plan = await ops.planAthenaSetup(e.d, setupInput());
    expect(plan).toMatchObject({
      database: 'lariat_ir',
      table: 'cloudtrail_org_trail_logs',
      location: 's3://org-trail-logs/AWSLogs/o-abcdefghij/',
      exists: false,
    });
    expect(plan.statements[0]).toBe('CREATE DATABASE IF NOT EXISTS `lariat_ir`');
    const ddl = plan.statements[1]!;
    expect(ddl).toContain('CREATE EXTERNAL TABLE IF NOT EXISTS `lariat_ir`.`cloudtrail_org_trail_logs`');
    expect(ddl).toContain("STORED AS INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat'");
    expect(ddl).toContain("'projection.accid.values' = '111122223333'");
    expect(ddl).toContain(`'projection.region.values' = '${REGION}'`);
    expect(ddl).toContain("'projection.day.range' = '2025/01/01,NOW'");
    expect(ddl).toContain("'storage.location.template' = 's3://org-trail-logs/AWSLogs/o-abcdefghij/${accid}/CloudTrail/${region}/${day}'");
    expect(e.mock.of('athena', 'StartQueryExecution')).toHaveLength(0);
  });

  it('runs the DDL once per statement with a stable ClientRequestToken, checks the table is there, and a re-send after a lost reply starts nothing new', async () => {
    stubSetup();
    const plan = await ops.planAthenaSetup(e.d, setupInput());
    // The reply of the second StartQueryExecution is lost: the run fails and is resumed.
    e.mock.failNext('athena', 'StartQueryExecution', awsError('ECONNRESET', 'socket hang up'), 1);
    await expect(ops.runAcquisition(e.d, plan.acquisition.id)).rejects.toMatchObject({ code: 'aws-unreachable' });
    const done = await ops.runAcquisition(e.d, plan.acquisition.id);
    expect(done.state).toBe('done');
    const starts = e.mock.of('athena', 'StartQueryExecution');
    expect(starts).toHaveLength(4);
    expect(starts[0]!.ClientRequestToken).toBe(starts[2]!.ClientRequestToken);
    expect(starts[1]!.ClientRequestToken).toBe(starts[3]!.ClientRequestToken);
    expect(String(starts[0]!.ClientRequestToken).length).toBeGreaterThanOrEqual(32);
    expect(starts[0]).toMatchObject({ WorkGroup: 'primary', ResultConfiguration: { OutputLocation: OUTPUT } });
    expect(done.result).toMatchObject({ database: 'lariat_ir', table: 'cloudtrail_org_trail_logs' });
  });

  it('never replaces a table of the same name over other logs', async () => {
    stubSetup({ existing: { 'storage.location.template': 's3://elsewhere/AWSLogs/${accid}/CloudTrail/${region}/${day}' } });
    await expect(ops.planAthenaSetup(e.d, setupInput())).rejects.toMatchObject({ code: 'athena-table-exists' });
  });

  it('names athena:StartQueryExecution when Athena refuses', async () => {
    stubSetup();
    const plan = await ops.planAthenaSetup(e.d, setupInput());
    e.mock.failNext('athena', 'StartQueryExecution', awsError('AccessDeniedException', 'no'));
    await expect(ops.runAcquisition(e.d, plan.acquisition.id)).rejects.toMatchObject({
      message: expect.stringContaining('athena:StartQueryExecution'),
    });
  });
});

describe('Athena queries', () => {
  it('fills the window into the partitions so only those prefixes are read, and refuses what is not one read-only SELECT', () => {
    const ctx = {
      logKind: 'cloudtrail' as const,
      database: 'db',
      table: 't',
      window: { from: '2026-11-20T10:00:00.000Z', to: '2026-11-21T10:00:00.000Z' },
      accounts: [ACCOUNT],
      regions: [REGION],
      params: { k: "O'Brien" },
    };
    expect(renderSql('SELECT * FROM {{table}} WHERE {{partitions}} AND {{window}} AND x = {{param:k}}', ctx)).toBe(
      `SELECT * FROM "db"."t" WHERE (day BETWEEN '2026/11/20' AND '2026/11/21' AND accid IN ('${ACCOUNT}') AND region IN ('${REGION}')) AND (eventtime >= '2026-11-20T10:00:00Z' AND eventtime < '2026-11-21T10:00:00Z') AND x = 'O''Brien'`,
    );
    expect(() => renderSql('{{param:missing}}', ctx)).toThrow(/missing/);
    expect(() => checkOwnSql('DROP TABLE x', false)).toThrow(/SELECT/);
    expect(() => checkOwnSql('SELECT 1; DROP TABLE x', true)).toThrow(/more than one statement/);
    expect(() => checkOwnSql("SELECT * FROM x WHERE a = 'a;b' AND {{partitions}}", false)).not.toThrow();
    expect(() => checkOwnSql('WITH a AS (SELECT 1) INSERT INTO x SELECT * FROM a', true)).toThrow(/change data/);
    expect(() => checkOwnSql('SELECT * FROM {{table}}', false)).toThrow(/every log in the table/);
    expect(() => checkOwnSql('SELECT * FROM {{table}}', true)).not.toThrow();
  });

  it('estimates bytes and cost before, runs a playbook query, acquires the CSV and the query record as evidence, and imports its events', async () => {
    stubSetup();
    const setupId = await runSetup();
    const plan = await ops.planAthenaQuery(
      e.d,
      AthenaQueryInput.parse({
        caseNumber: e.caseNumber,
        setupId,
        playbook: 'activity-by-access-key',
        params: { accessKeyId: 'AKIAEXAMPLEKEY000001' },
        window: { from: '2026-11-20T08:00:00Z', to: '2026-11-20T20:00:00Z' },
      }),
    );
    // One day folder, one account, one region: 4 MB under it.
    expect(plan.estimatedBytes).toBe(4_000_000);
    expect(plan.estimatedCostUsd).toBeCloseTo((10 * 1024 * 1024 * 5) / 1e12, 12);
    expect(plan.sql).toContain("useridentity.accesskeyid = 'AKIAEXAMPLEKEY000001'");
    expect(plan.sql).toContain("day BETWEEN '2026/11/20' AND '2026/11/20'");
    const csv = [
      'eventtime,eventsource,eventname,awsregion,sourceipaddress,useragent,errorcode,errormessage,eventid,eventtype,recipientaccountid,readonly,requestparameters,responseelements,additionaleventdata,useridentity_type,useridentity_arn,useridentity_accountid,useridentity_accesskeyid,useridentity_principalid,useridentity_username,useridentity_sessionissuer_arn',
      `"2026-11-20T10:00:01Z","iam.amazonaws.com","CreateAccessKey","us-east-1","203.0.113.7","aws-cli/2","","","e-1","AwsApiCall","${ACCOUNT}","false","{""userName"":""mallory""}","","","IAMUser","arn:aws:iam::${ACCOUNT}:user/mallory","${ACCOUNT}","AKIAEXAMPLEKEY000001","AIDA","mallory",""`,
      `"2026-11-20T10:05:00Z","s3.amazonaws.com","GetObject","${REGION}","203.0.113.7","aws-cli/2","AccessDenied","Access
Denied","e-2","AwsApiCall","${ACCOUNT}","true","","","","IAMUser","arn:aws:iam::${ACCOUNT}:user/mallory","${ACCOUNT}","AKIAEXAMPLEKEY000001","AIDA","mallory",""`,
    ].join('\n');
    const body = Buffer.from(`${csv}\n`);
    const etag = `"${crypto.createHash('md5').update(body).digest('hex')}"`;
    e.mock
      .on('s3', 'HeadObject', { ContentLength: body.length, ETag: etag })
      .on('s3', 'GetObject', () => ({ Body: Readable.from([body]), ETag: etag }));
    const done = await ops.runAcquisition(e.d, plan.acquisition.id);
    expect(done.state).toBe('done');
    expect(done.result).toMatchObject({ bytesScanned: 123_456_789, estimatedBytes: 4_000_000 });
    expect(Number(done.result.costUsd)).toBeCloseTo((123_456_789 / 1e12) * 5, 12);
    const start = e.mock.of('athena', 'StartQueryExecution').at(-1)!;
    expect(start).toMatchObject({ QueryString: plan.sql, QueryExecutionContext: { Catalog: 'AwsDataCatalog', Database: 'lariat_ir' } });
    const qid = String(done.result.queryExecutionId);
    const items = e.s.custody.vault.list(e.caseNumber);
    const record = items.find((i) => i.description.startsWith(`Athena query execution ${qid}`))!;
    const results = items.find((i) => i.description.startsWith(`Athena results of query ${qid}`))!;
    expect(results.source.resource).toBe(`${OUTPUT}${qid}.csv`);
    expect(results.acquisition.method).toContain(`s3:GetObject bucket=ir-athena-results key=lariat/${qid}.csv`);
    expect(fs.readFileSync(path.join(e.s.core.paths.vaultDir, results.vaultPath!)).equals(body)).toBe(true);
    const note = custodyBodies(e.s, e.caseNumber).find((b) => b.evidence?.id === results.id && b.action === 'note')!;
    expect(note.details).toMatchObject({
      queryExecutionId: qid,
      workgroup: 'primary',
      outputLocation: `${OUTPUT}${qid}.csv`,
      database: 'lariat_ir',
    });
    expect(record).toBeDefined();
    expect(done.result.timeline).toMatchObject({ imported: 2, rejected: 0 });
    const events = e.s.timeline.events.query({ caseNumber: e.caseNumber, limit: 10 }).events;
    expect(events.map((ev) => [ev.action, ev.accessKeyId, ev.errorCode])).toEqual([
      ['CreateAccessKey', 'AKIAEXAMPLEKEY000001', null],
      ['GetObject', 'AKIAEXAMPLEKEY000001', 'AccessDenied'],
    ]);
    expect(done.evidenceIds).toHaveLength(3);
  });

  it('resumes a query already started instead of starting (and billing) it again; stops it in Athena when cancelled', async () => {
    stubSetup();
    const setupId = await runSetup();
    const plan = await ops.planAthenaQuery(
      e.d,
      AthenaQueryInput.parse({
        caseNumber: e.caseNumber,
        setupId,
        playbook: 'access-denied-by-principal',
        window: { from: '2026-11-20', to: '2026-11-20' },
      }),
    );
    let polls = 0;
    let jobId = '';
    e.mock.on('athena', 'GetQueryExecution', (i) => {
      if (++polls === 2) e.s.core.jobs.cancel(jobId);
      return {
        QueryExecution: { QueryExecutionId: i.QueryExecutionId, Status: { State: 'RUNNING' }, Statistics: { DataScannedInBytes: 1000 } },
      };
    });
    e.mock.on('athena', 'StopQueryExecution', {});
    const started = e.s.core.jobs.start({ kind: 'k', label: 'l' }, (job) => ops.runAcquisition(e.d, plan.acquisition.id, job));
    jobId = started.jobId;
    await expect(started.result).rejects.toMatchObject({ code: 'cancelled' });
    const qid = ops.getAcquisition(e.d, plan.acquisition.id).result.queryExecutionId;
    expect(e.mock.of('athena', 'StopQueryExecution')).toEqual([{ QueryExecutionId: qid }]);
    const startsBefore = e.mock.of('athena', 'StartQueryExecution').length;
    e.mock.on('athena', 'GetQueryExecution', (i) => ({
      QueryExecution: { QueryExecutionId: i.QueryExecutionId, Status: { State: 'FAILED', StateChangeReason: 'Query was cancelled' } },
    }));
    await expect(ops.runAcquisition(e.d, plan.acquisition.id)).rejects.toMatchObject({
      code: 'athena-query-failed',
      message: expect.stringContaining('Query was cancelled'),
    });
    expect(e.mock.of('athena', 'StartQueryExecution')).toHaveLength(startsBefore);
  });

  it('refuses a query on a setup that has not run, and an own query that would scan everything', async () => {
    stubSetup();
    const plan = await ops.planAthenaSetup(e.d, setupInput());
    await expect(
      ops.planAthenaQuery(
        e.d,
        AthenaQueryInput.parse({
          caseNumber: e.caseNumber,
          setupId: plan.acquisition.id,
          playbook: 'console-logins',
          window: { from: '2026-11-20', to: '2026-11-20' },
        }),
      ),
    ).rejects.toMatchObject({ code: 'athena-setup-not-run' });
    await ops.runAcquisition(e.d, plan.acquisition.id);
    await expect(
      ops.planAthenaQuery(
        e.d,
        AthenaQueryInput.parse({
          caseNumber: e.caseNumber,
          setupId: plan.acquisition.id,
          sql: 'SELECT count(*) FROM {{table}}',
          window: { from: '2026-11-20', to: '2026-11-20' },
        }),
      ),
    ).rejects.toMatchObject({ code: 'athena-full-scan' });
  });
});
