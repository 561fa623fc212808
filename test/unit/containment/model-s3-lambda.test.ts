import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as s3 from '@aws-sdk/client-s3';
import * as lambda from '@aws-sdk/client-lambda';
import { createAwsModel, type AwsModel } from '../../aws-model';
import type { S3State } from '../../aws-model/modules/s3';
import { codeSha256, lambdaCodeFetch, type LambdaState } from '../../aws-model/modules/lambda';
import { seedFunction } from '../../aws-model/scenario-s3-lambda';

const credentials = { accessKeyId: 'AKIAMODEL', secretAccessKey: 'x' };
const REGION = 'eu-west-1';
let model: AwsModel;
let s3c: s3.S3Client;
let lc: lambda.LambdaClient;

/** The AWS error code a call fails with, or 'ok'. */
const code = (p: Promise<unknown>): Promise<string> =>
  p.then(
    () => 'ok',
    (e: { name?: string; $metadata?: { httpStatusCode?: number } }) => `${e.name} ${e.$metadata?.httpStatusCode}`,
  );

beforeEach(() => {
  model = createAwsModel();
  model.slice<S3State>('s3').buckets['exposed'] = { region: REGION, objects: {}, versioning: {} };
  const zip = Buffer.from('PK-code').toString('base64');
  seedFunction(model, { name: 'fn', zip, reserved: 7 }, { 'm-1': { queue: 'arn:aws:sqs:eu-west-1:1:q', state: 'Enabled' } });
  model.install();
  s3c = new s3.S3Client({ region: REGION, credentials });
  lc = new lambda.LambdaClient({ region: REGION, credentials });
});
afterEach(() => model.restore());

describe('model: S3 bucket configuration', () => {
  it('answers "never configured" with the codes AWS uses', async () => {
    const Bucket = 'exposed';
    expect(await code(s3c.send(new s3.GetBucketPolicyCommand({ Bucket })))).toBe('NoSuchBucketPolicy 404');
    expect(await code(s3c.send(new s3.GetPublicAccessBlockCommand({ Bucket })))).toBe('NoSuchPublicAccessBlockConfiguration 404');
    expect(await code(s3c.send(new s3.GetBucketOwnershipControlsCommand({ Bucket })))).toBe('OwnershipControlsNotFoundError 404');
    expect(await code(s3c.send(new s3.GetObjectLockConfigurationCommand({ Bucket })))).toBe('ObjectLockConfigurationNotFoundError 404');
    expect(await s3c.send(new s3.GetBucketLoggingCommand({ Bucket }))).not.toHaveProperty('LoggingEnabled');
    expect(await s3c.send(new s3.GetBucketVersioningCommand({ Bucket }))).not.toHaveProperty('Status');
    expect(await code(s3c.send(new s3.GetBucketPolicyCommand({ Bucket: 'nope' })))).toBe('NoSuchBucket 404');
  });

  it('puts, reads and deletes the public access block and policy; deleting what is absent succeeds', async () => {
    const Bucket = 'exposed';
    await s3c.send(new s3.PutPublicAccessBlockCommand({ Bucket, PublicAccessBlockConfiguration: { BlockPublicAcls: true } }));
    const got = await s3c.send(new s3.GetPublicAccessBlockCommand({ Bucket }));
    expect(got.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      IgnorePublicAcls: false,
      BlockPublicPolicy: false,
      RestrictPublicBuckets: false,
    });
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*' }],
    });
    await s3c.send(new s3.PutBucketPolicyCommand({ Bucket, Policy: policy }));
    expect((await s3c.send(new s3.GetBucketPolicyCommand({ Bucket }))).Policy).toBe(policy);
    await s3c.send(new s3.DeleteBucketPolicyCommand({ Bucket }));
    expect(await code(s3c.send(new s3.DeleteBucketPolicyCommand({ Bucket })))).toBe('ok');
    await s3c.send(new s3.DeletePublicAccessBlockCommand({ Bucket }));
    expect(await code(s3c.send(new s3.DeletePublicAccessBlockCommand({ Bucket })))).toBe('ok');
    expect(model.slice<S3State>('s3').buckets['exposed']).not.toHaveProperty('publicAccessBlock');
  });

  it('refuses a public policy while BlockPublicPolicy is on, and malformed policies, changing nothing', async () => {
    const Bucket = 'exposed';
    await s3c.send(new s3.PutPublicAccessBlockCommand({ Bucket, PublicAccessBlockConfiguration: { BlockPublicPolicy: true } }));
    const open = JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 's3:GetObject', Resource: '*' }] });
    expect(await code(s3c.send(new s3.PutBucketPolicyCommand({ Bucket, Policy: open })))).toBe('AccessDenied 403');
    expect(await code(s3c.send(new s3.PutBucketPolicyCommand({ Bucket, Policy: 'nope' })))).toBe('MalformedPolicy 400');
    expect(model.slice<S3State>('s3').buckets['exposed']).not.toHaveProperty('policy');
  });
});

describe('model: Lambda', () => {
  it('GetFunction gives the code location whose bytes match CodeSha256', async () => {
    const out = await lc.send(new lambda.GetFunctionCommand({ FunctionName: 'fn' }));
    expect(out.Concurrency?.ReservedConcurrentExecutions).toBe(7);
    const res = await lambdaCodeFetch()(out.Code!.Location!);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.toString()).toBe('PK-code');
    expect(out.Configuration?.CodeSha256).toBe(codeSha256(bytes.toString('base64')));
    expect(await code(lc.send(new lambda.GetFunctionCommand({ FunctionName: 'other' })))).toBe('ResourceNotFoundException 404');
  });

  it('reserved concurrency: put, delete (absent reads as no field), invalid values change nothing', async () => {
    const FunctionName = `arn:aws:lambda:${REGION}:111122223333:function:fn`;
    expect(await lc.send(new lambda.PutFunctionConcurrencyCommand({ FunctionName, ReservedConcurrentExecutions: 0 }))).toMatchObject({
      ReservedConcurrentExecutions: 0,
    });
    expect(await code(lc.send(new lambda.PutFunctionConcurrencyCommand({ FunctionName, ReservedConcurrentExecutions: -1 })))).toBe(
      'InvalidParameterValueException 400',
    );
    expect((await lc.send(new lambda.GetFunctionConcurrencyCommand({ FunctionName }))).ReservedConcurrentExecutions).toBe(0);
    await lc.send(new lambda.DeleteFunctionConcurrencyCommand({ FunctionName }));
    expect(await lc.send(new lambda.GetFunctionConcurrencyCommand({ FunctionName }))).not.toHaveProperty('ReservedConcurrentExecutions');
  });

  it('event source mappings answer Disabling and settle, and refuse an update mid-transition', async () => {
    const upd = await lc.send(new lambda.UpdateEventSourceMappingCommand({ UUID: 'm-1', Enabled: false }));
    expect(upd.State).toBe('Disabling');
    model.slice<LambdaState>('lambda', REGION).mappings['m-1']!.State = 'Disabling';
    expect(await code(lc.send(new lambda.UpdateEventSourceMappingCommand({ UUID: 'm-1', Enabled: true })))).toBe(
      'ResourceInUseException 400',
    );
    const list = await lc.send(new lambda.ListEventSourceMappingsCommand({ FunctionName: 'fn' }));
    expect(list.EventSourceMappings?.map((m) => m.State)).toEqual(['Disabled']);
    expect(await code(lc.send(new lambda.GetPolicyCommand({ FunctionName: 'fn' })))).toBe('ResourceNotFoundException 404');
  });
});
