import { afterEach, describe, expect, it } from 'vitest';
import { AthenaQueryInput, AthenaSetupInput } from '../../common/contract/acquire';
import * as ops from '../../main/acquire/operations';
import { createAwsModel } from '../aws-model';
import { acquireModelEnv, type AcquireModelEnv } from '../support/acquire-model-env';
import type { OrganizationsState } from '../aws-model/modules/organizations';
import type { AthenaState } from '../aws-model/modules/athena';
import type { S3State } from '../aws-model/modules/s3';

const REGION = 'eu-west-1';
const HOME = '111122223333';
const MEMBERS = ['222233334444', '333344445555', '444455556666', '555566667777'];
const BUCKET = 'org-trail-logs';
const OUTPUT = 's3://athena-results-model/lariat/';

type Env = AcquireModelEnv;
let env: Env | null = null;
afterEach(() => {
  env?.cleanup();
  env = null;
});

/** Lariat's real services and acquisition feature over the AWS model: an organization of five accounts, a trail bucket. */
function open(): Env {
  const model = createAwsModel({ account: HOME });
  const org = model.slice<OrganizationsState>('organizations');
  org.management = HOME;
  org.accounts = [HOME, ...MEMBERS].map((Id, n) => ({
    Id,
    Name: `account-${n}`,
    Email: `aws+${n}@example.com`,
    Status: Id === MEMBERS[3] ? 'SUSPENDED' : 'ACTIVE',
  }));
  const s3 = model.slice<S3State>('s3');
  s3.buckets[BUCKET] = { region: REGION, objects: {} };
  for (let h = 0; h < 3; h++)
    s3.buckets[BUCKET].objects[`AWSLogs/${HOME}/CloudTrail/${REGION}/2026/11/20/${HOME}_CloudTrail_${REGION}_20261120T0${h}00Z_x.json.gz`] =
      {
        ContentLength: 1000 * (h + 1),
        ETag: `"e${h}"`,
      };
  env = acquireModelEnv(model, [REGION], 'Organization');
  return env;
}

const setupInput = (caseNumber: string, extra: Record<string, unknown> = {}) =>
  AthenaSetupInput.parse({
    caseNumber,
    bucket: BUCKET,
    accounts: [HOME],
    regions: [REGION],
    outputLocation: OUTPUT,
    region: REGION,
    ...extra,
  });

describe('several accounts against the AWS model (Organizations, STS)', () => {
  it('lists every page of the Organization through throttling, reaches each active account by its role, and names the one it cannot', async () => {
    const { model, d } = open();
    model.inject({ op: 'ListAccounts', nth: 2, fault: { kind: 'throttle', times: 2 } });
    model.inject({
      op: 'AssumeRole',
      when: (i) => String(i.RoleArn).includes(MEMBERS[1]!),
      fault: { kind: 'fail', code: 'AccessDenied', status: 403 },
    });
    const accounts = await ops.listAwsAccounts(d, { organization: true });
    expect(accounts.map((a) => a.account)).toEqual([HOME, ...MEMBERS]);
    // Three pages of two, the second throttled twice and retried.
    expect(model.calls.filter((c) => c.op === 'ListAccounts').map((c) => c.outcome)).toEqual(['ok', 'error', 'error', 'ok', 'ok']);
    const by = Object.fromEntries(accounts.map((a) => [a.account, a]));
    expect(by[HOME]).toMatchObject({ via: 'current identity', error: null });
    expect(by[MEMBERS[0]!]).toMatchObject({ via: `arn:aws:iam::${MEMBERS[0]}:role/LariatResponder`, error: null });
    expect(by[MEMBERS[1]!]!.error).toMatch(/sts:AssumeRole/);
    expect(by[MEMBERS[3]!]).toMatchObject({ error: 'account status SUSPENDED' });
    // A suspended account is not even tried.
    expect(model.calls.filter((c) => c.op === 'AssumeRole').map((c) => String(c.input.RoleArn).split(':')[4])).toEqual(MEMBERS.slice(0, 3));
    expect(model.unhandled).toEqual([]);
  });

  it('refuses the Organization from a member account as AWS does, with the IAM action named', async () => {
    const { model, d } = open();
    model.slice<OrganizationsState>('organizations').management = MEMBERS[0]!;
    await expect(ops.listAwsAccounts(d, { organization: true })).rejects.toMatchObject({
      message: expect.stringMatching(/organizations:ListAccounts/),
    });
  });

  it('acts in a member account through its role: the Athena table is created there, not at home', async () => {
    const { model, d, caseNumber } = open();
    const plan = await ops.planAthenaSetup(d, setupInput(caseNumber, { via: { account: MEMBERS[0] } }));
    await ops.runAcquisition(d, plan.acquisition.id);
    expect(Object.keys(model.slice<AthenaState>('athena', REGION, MEMBERS[0]).databases)).toEqual(['lariat_ir']);
    expect(model.slice<AthenaState>('athena', REGION).databases).toEqual({});
    expect(model.calls.filter((c) => c.service === 'athena').every((c) => c.account === MEMBERS[0])).toBe(true);
  });
});

describe('Athena against the AWS model (faults at every kind of call)', () => {
  it('sets up through throttling and a DDL whose reply was lost after Athena applied it: one database, one table, done', async () => {
    const { model, d, caseNumber } = open();
    const plan = await ops.planAthenaSetup(d, setupInput(caseNumber));
    expect(plan.statements).toHaveLength(2);
    model.inject({ op: 'StartQueryExecution', nth: 1, fault: { kind: 'throttle', times: 1 } });
    model.inject({
      op: 'StartQueryExecution',
      when: (i) => /CREATE EXTERNAL TABLE/i.test(String(i.QueryString)),
      fault: { kind: 'drop-reply' },
    });
    const done = await ops.runAcquisition(d, plan.acquisition.id).catch((e: Error) => e);
    // Whether the lost reply fails the run or is retried by Lariat, running it again converges with no second table.
    const final = done instanceof Error ? await ops.runAcquisition(d, plan.acquisition.id) : done;
    expect(final.state).toBe('done');
    const athena = model.slice<AthenaState>('athena', REGION);
    expect(Object.keys(athena.databases)).toEqual(['lariat_ir']);
    expect(Object.keys(athena.databases.lariat_ir!.tables)).toEqual([plan.table]);
    // Idempotent by ClientRequestToken: every table statement started is one execution in Athena.
    const tableRuns = Object.values(athena.executions).filter((e) => /CREATE EXTERNAL TABLE/i.test(e.query));
    expect(tableRuns).toHaveLength(1);
    expect(tableRuns[0]!.state).toBe('SUCCEEDED');
    // Planned again, the table is there with the same location: nothing left to change.
    expect((await ops.planAthenaSetup(d, setupInput(caseNumber))).exists).toBe(true);
  });

  async function readySetup(e: Env): Promise<number> {
    const plan = await ops.planAthenaSetup(e.d, setupInput(e.caseNumber));
    await ops.runAcquisition(e.d, plan.acquisition.id);
    return plan.acquisition.id;
  }
  const queryInput = (caseNumber: string, setupId: number) =>
    AthenaQueryInput.parse({
      caseNumber,
      setupId,
      sql: 'SELECT eventname FROM {{table}} WHERE {{partitions}} LIMIT 10',
      window: { from: '2026-11-20T00:00:00Z', to: '2026-11-20T06:00:00Z' },
    });

  it('estimates from the objects under the partitions; a query Athena fails is failed with its reason and records nothing', async () => {
    const e = open();
    const setupId = await readySetup(e);
    const plan = await ops.planAthenaQuery(e.d, queryInput(e.caseNumber, setupId));
    expect(plan.estimatedBytes).toBe(6000);
    e.model.slice<AthenaState>('athena', REGION).scripts.push({
      match: '^SELECT',
      polls: 3,
      state: 'FAILED',
      bytes: 512,
      reason: 'Permission denied on S3 path: s3://org-trail-logs/AWSLogs',
    });
    const before = e.services.custody.vault.list(e.caseNumber).length;
    await expect(ops.runAcquisition(e.d, plan.acquisition.id)).rejects.toMatchObject({
      code: 'athena-query-failed',
      message: expect.stringMatching(/Permission denied on S3 path/),
    });
    expect(ops.getAcquisition(e.d, plan.acquisition.id).state).toBe('failed');
    expect(e.services.custody.vault.list(e.caseNumber)).toHaveLength(before);
  });

  it('a stalled query is stopped in Athena when the job is cancelled, and nothing is recorded', async () => {
    const e = open();
    const setupId = await readySetup(e);
    const plan = await ops.planAthenaQuery(e.d, queryInput(e.caseNumber, setupId));
    e.model.slice<AthenaState>('athena', REGION).scripts.push({ match: '^SELECT', polls: null, state: 'SUCCEEDED', bytes: 1024 });
    const before = e.services.custody.vault.list(e.caseNumber).length;
    const { jobId } = ops.startAcquisition(e.d, plan.acquisition.id);
    // Cancel once Athena has been asked about the running query a few times.
    await expect.poll(() => e.model.calls.filter((c) => c.op === 'GetQueryExecution').length).toBeGreaterThan(5);
    e.services.core.jobs.cancel(jobId);
    await expect.poll(() => e.services.core.jobs.list().find((j) => j.id === jobId)?.state).toBe('cancelled');
    const select = Object.values(e.model.slice<AthenaState>('athena', REGION).executions).find((x) => /^SELECT/.test(x.query))!;
    expect(select.state).toBe('CANCELLED');
    expect(e.model.calls.filter((c) => c.op === 'StopQueryExecution' && c.applied)).toHaveLength(1);
    expect(e.services.custody.vault.list(e.caseNumber)).toHaveLength(before);
    expect(ops.getAcquisition(e.d, plan.acquisition.id).state).not.toBe('done');
  });
});
