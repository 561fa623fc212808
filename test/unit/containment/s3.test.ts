import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AwsMock, awsError } from '../response/aws-mock';
import { executeStep } from '../../../main/response/executors';
import '../../../main/response/s3/guards';
import { s3Executors } from '../../../main/response/s3/executor';
import { BLOCK_ALL, collectBucketConfiguration, type BucketConfiguration } from '../../../main/response/s3/evidence';
import { planS3Contain, planS3Release, type S3Recorded } from '../../../main/response/s3/plan';
import { readerOf } from '../../../main/response/read-config';
import { REGION, stepContext, type Saved } from './step-context';
import { AppError } from '../../../main/core/errors';

const notFound = (code: string) => Object.assign(awsError(code), { $metadata: { httpStatusCode: 404 } });
const POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Sid: 'Public', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }],
});
const CALLER = 'arn:aws:sts::111122223333:assumed-role/LariatResponder/alice';
let mock: AwsMock;

function config(over: Partial<BucketConfiguration> = {}): BucketConfiguration {
  return {
    Bucket: 'b',
    Region: REGION,
    Policy: null,
    PublicAccessBlock: null,
    Acl: {},
    OwnershipControls: null,
    Versioning: {},
    ObjectLock: null,
    Logging: null,
    NotCaptured: {},
    ...over,
  };
}
const stepOf = (plan: { steps: { key: string }[] }, key: string) =>
  plan.steps.find((s) => s.key === key) as Parameters<typeof stepContext>[0];
const run = (step: Parameters<typeof stepContext>[0], saved: Saved[] = []) => executeStep(step.kind, stepContext(step, saved));
const fail = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e as AppError,
  );

beforeEach(() => {
  mock = new AwsMock();
});
afterEach(() => mock.restore());

describe('S3 evidence', () => {
  it('reads "never configured" as null and a denied optional part as not captured, but fails on a denied policy read', async () => {
    mock
      .on('s3', 'GetBucketPolicy', () => Promise.reject(notFound('NoSuchBucketPolicy')))
      .on('s3', 'GetPublicAccessBlock', () => Promise.reject(notFound('NoSuchPublicAccessBlockConfiguration')))
      .on('s3', 'GetBucketAcl', () => Promise.reject(Object.assign(awsError('AccessDenied'), { $metadata: { httpStatusCode: 403 } })))
      .on('s3', 'GetBucketOwnershipControls', { OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] } })
      .on('s3', 'GetBucketVersioning', { Status: 'Enabled' })
      .on('s3', 'GetObjectLockConfiguration', () => Promise.reject(notFound('ObjectLockConfigurationNotFoundError')))
      .on('s3', 'GetBucketLogging', {});
    const ctx = stepContext({ key: 'e', title: '', kind: 's3-evidence', service: 'lariat', region: REGION, operation: 'x', request: {} });
    const c = await collectBucketConfiguration(readerOf(ctx), 'b', REGION);
    expect(c).toMatchObject({ Policy: null, PublicAccessBlock: null, ObjectLock: null, Versioning: { Status: 'Enabled' } });
    expect(c.NotCaptured.Acl).toMatch(/s3:GetBucketAcl/);
    mock.failNext('s3', 'GetBucketPolicy', Object.assign(awsError('AccessDenied'), { $metadata: { httpStatusCode: 403 } }));
    const err = await fail(collectBucketConfiguration(readerOf(ctx), 'b', REGION));
    expect(err?.code).toBe('aws-access-denied');
    expect(err?.message).toMatch(/s3:GetBucketPolicy/);
  });
});

describe('S3 plan', () => {
  it('blocks all four flags, keeps the existing statements and adds a deny for a named principal', () => {
    const plan = planS3Contain({
      bucket: 'b',
      config: config({ Policy: POLICY }),
      options: { denyPrincipals: ['arn:aws:iam::444455556666:user/mallory'], allowOnlyRoles: [] },
      callerArn: CALLER,
    });
    expect(plan.steps.map((s) => s.operation)).toEqual(['RecordBucketConfiguration', 'PutBucketPolicy', 'PutPublicAccessBlock']);
    expect(stepOf(plan, 'block-public-access').request.PublicAccessBlockConfiguration).toEqual(BLOCK_ALL);
    const doc = JSON.parse(String(stepOf(plan, 'deny-policy').request.Policy)) as {
      Statement: { Sid: string; Effect: string; Principal: unknown }[];
    };
    expect(doc.Statement.map((s) => s.Sid)).toEqual(['Public', 'LariatContainmentDenyPrincipals']);
    expect(doc.Statement[1]).toMatchObject({ Effect: 'Deny', Principal: { AWS: ['arn:aws:iam::444455556666:user/mallory'] } });
  });

  it('warns when an existing BlockPublicPolicy may make S3 refuse the extended public policy', () => {
    const block = { BlockPublicAcls: false, IgnorePublicAcls: false, BlockPublicPolicy: true, RestrictPublicBuckets: false };
    const plan = planS3Contain({
      bucket: 'b',
      config: config({ Policy: POLICY, PublicAccessBlock: block }),
      options: { denyPrincipals: ['111122223333'], allowOnlyRoles: [] },
      callerArn: null,
    });
    expect(plan.warnings.join(' ')).toMatch(/may refuse the new policy/);
    const quiet = planS3Contain({
      bucket: 'b',
      config: config({ Policy: POLICY }),
      options: { denyPrincipals: ['111122223333'], allowOnlyRoles: [] },
      callerArn: null,
    });
    expect(quiet.warnings).toEqual([]);
  });

  it('"everyone but named roles" also exempts the role Lariat acts as, so it can release', () => {
    const plan = planS3Contain({
      bucket: 'b',
      config: config(),
      options: { denyPrincipals: [], allowOnlyRoles: ['arn:aws:iam::111122223333:role/ir'] },
      callerArn: CALLER,
    });
    const doc = JSON.parse(String(stepOf(plan, 'deny-policy').request.Policy)) as {
      Statement: { Condition: { ArnNotLike: Record<string, string[]> } }[];
    };
    expect(doc.Statement[0]!.Condition.ArnNotLike['aws:PrincipalArn']).toEqual([
      'arn:aws:iam::111122223333:role/ir',
      'arn:aws:iam::111122223333:role/LariatResponder',
    ]);
    expect(plan.warnings.join(' ')).toMatch(/release must run as one of them/);
  });

  it('refuses to deny the identity Lariat acts as, both options at once, and malformed principals', () => {
    const opts =
      (denyPrincipals: string[], allowOnlyRoles: string[] = []) =>
      () =>
        planS3Contain({ bucket: 'b', config: config(), options: { denyPrincipals, allowOnlyRoles }, callerArn: CALLER });
    expect(opts(['arn:aws:iam::111122223333:role/LariatResponder'])).toThrow(/could not release/);
    expect(opts(['111122223333'], ['arn:aws:iam::1:role/x'])).toThrow(/not both/);
    expect(opts(['bob'])).toThrow(/Not a principal/);
  });

  it('release restores exactly: none → Delete, a policy → the recorded string; the block before the policy', () => {
    const none = planS3Contain({
      bucket: 'b',
      config: config(),
      options: { denyPrincipals: ['111122223333'], allowOnlyRoles: [] },
      callerArn: null,
    });
    const r1 = planS3Release({ recorded: none.recorded as unknown as S3Recorded, current: { Policy: null, PublicAccessBlock: BLOCK_ALL } });
    expect(r1.steps.map((s) => s.operation)).toEqual(['DeletePublicAccessBlock', 'DeleteBucketPolicy']);
    const pab = { BlockPublicAcls: true, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: false };
    const some = planS3Contain({
      bucket: 'b',
      config: config({ Policy: POLICY, PublicAccessBlock: pab }),
      options: { denyPrincipals: ['111122223333'], allowOnlyRoles: [] },
      callerArn: null,
    });
    const r2 = planS3Release({
      recorded: some.recorded as unknown as S3Recorded,
      current: { Policy: 'someone else', PublicAccessBlock: BLOCK_ALL },
    });
    expect(r2.steps.map((s) => [s.operation, s.request.Policy ?? s.request.PublicAccessBlockConfiguration])).toEqual([
      ['PutPublicAccessBlock', pab],
      ['PutBucketPolicy', POLICY],
    ]);
    expect(r2.warnings.join(' ')).toMatch(/changed since the containment/);
    const pabOnly = planS3Contain({
      bucket: 'b',
      config: config({ Policy: POLICY }),
      options: { denyPrincipals: [], allowOnlyRoles: [] },
      callerArn: null,
    });
    expect(
      planS3Release({
        recorded: pabOnly.recorded as unknown as S3Recorded,
        current: { Policy: POLICY, PublicAccessBlock: BLOCK_ALL },
      }).steps.map((s) => s.operation),
    ).toEqual(['DeletePublicAccessBlock']);
  });
});

describe('S3 steps against aws-sdk-client-mock', () => {
  const plan = planS3Contain({
    bucket: 'b',
    config: config({ Policy: POLICY }),
    options: { denyPrincipals: ['111122223333'], allowOnlyRoles: [] },
    callerArn: null,
  });
  const block = stepOf(plan, 'block-public-access');
  const deny = stepOf(plan, 'deny-policy');

  it('already in the wanted state: succeeds without calling', async () => {
    mock
      .on('s3', 'GetPublicAccessBlock', { PublicAccessBlockConfiguration: BLOCK_ALL })
      .on('s3', 'GetBucketPolicy', { Policy: String(deny.request.Policy) });
    expect((await run(block)).result).toMatchObject({ AlreadyInPlace: true });
    expect((await run(deny)).result).toMatchObject({ AlreadyInPlace: true });
    expect(mock.mutations()).toEqual([]);
  });

  it('not yet: calls once with exactly the planned request', async () => {
    mock
      .on('s3', 'GetPublicAccessBlock', () => Promise.reject(notFound('NoSuchPublicAccessBlockConfiguration')))
      .on('s3', 'PutPublicAccessBlock', {});
    await run(block);
    expect(mock.of('s3', 'PutPublicAccessBlock')).toEqual([{ Bucket: 'b', PublicAccessBlockConfiguration: BLOCK_ALL }]);
  });

  it('AccessDenied names the IAM action; throttling is retried; a reply lost after the change counts as done', async () => {
    mock.on('s3', 'GetBucketPolicy', { Policy: POLICY });
    mock
      .on('s3', 'PutBucketPolicy', {})
      .failNext('s3', 'PutBucketPolicy', Object.assign(awsError('AccessDenied'), { $metadata: { httpStatusCode: 403 } }));
    const denied = await fail(run(deny));
    expect(denied?.message).toMatch(/s3:PutBucketPolicy/);
    mock.failNext('s3', 'PutBucketPolicy', awsError('SlowDown'));
    await run(deny);
    expect(mock.of('s3', 'PutBucketPolicy')).toHaveLength(3);
    let applied = false;
    mock.on('s3', 'GetBucketPolicy', () => ({ Policy: applied ? String(deny.request.Policy) : POLICY }));
    mock.on('s3', 'PutBucketPolicy', () => {
      applied = true;
      return Promise.reject(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET', $metadata: {} }));
    });
    expect((await run(deny)).result).toMatchObject({ AlreadyInPlace: true, AfterError: 'ECONNRESET' });
  });

  it('a bucket that no longer exists fails as not found', async () => {
    mock
      .on('s3', 'GetPublicAccessBlock', () => Promise.reject(notFound('NoSuchBucket')))
      .on('s3', 'PutPublicAccessBlock', () => Promise.reject(notFound('NoSuchBucket')));
    expect((await fail(run(block)))?.code).toBe('aws-not-found');
  });

  it('the evidence step saves the configuration, and refuses if the policy changed since the plan', async () => {
    mock
      .on('s3', 'GetBucketPolicy', { Policy: POLICY })
      .on('s3', 'GetPublicAccessBlock', () => Promise.reject(notFound('NoSuchPublicAccessBlockConfiguration')))
      .on('s3', 'GetBucketAcl', { Grants: [] })
      .on('s3', 'GetBucketOwnershipControls', () => Promise.reject(notFound('OwnershipControlsNotFoundError')))
      .on('s3', 'GetBucketVersioning', {})
      .on('s3', 'GetObjectLockConfiguration', () => Promise.reject(notFound('ObjectLockConfigurationNotFoundError')))
      .on('s3', 'GetBucketLogging', {});
    const saved: Saved[] = [];
    const ev = stepOf(plan, 'evidence');
    await s3Executors['s3-evidence']!(stepContext(ev, saved));
    expect(saved).toHaveLength(1);
    expect(JSON.parse(saved[0]!.bytes.toString())).toMatchObject({
      Bucket: 'b',
      Policy: POLICY,
      PublicAccessBlock: null,
      OwnershipControls: null,
    });
    mock.on('s3', 'GetBucketPolicy', () => Promise.reject(notFound('NoSuchBucketPolicy')));
    expect((await fail(s3Executors['s3-evidence']!(stepContext(ev, saved))))?.code).toBe('s3-changed-since-plan');
  });
});
