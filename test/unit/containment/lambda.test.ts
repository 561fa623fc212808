import crypto from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AwsMock, awsError } from '../response/aws-mock';
import { executeStep } from '../../../main/response/executors';
import '../../../main/response/lambda/guards';
import { lambdaExecutors } from '../../../main/response/lambda/executor';
import type { FetchCode } from '../../../main/response/lambda/code';
import { collectFunction, type FunctionRecord } from '../../../main/response/lambda/evidence';
import { planLambdaContain, planLambdaRelease, type LambdaRecorded } from '../../../main/response/lambda/plan';
import { readerOf } from '../../../main/response/read-config';
import type { AppError } from '../../../main/core/errors';
import type { StepSpec } from '../../../main/response/plans/types';
import { REGION, stepContext, type Saved } from './step-context';

const ARN = `arn:aws:lambda:${REGION}:111122223333:function:fn`;
const ZIP = Buffer.from('PK\u0003\u0004 the replaced handler');
const SHA = crypto.createHash('sha256').update(ZIP).digest('base64');
const URL_ = `https://awslambda-${REGION}-tasks.s3.${REGION}.amazonaws.com/snapshots/1/fn-abc?X-Amz-Signature=secret`;
const notFound = (code = 'ResourceNotFoundException') => Object.assign(awsError(code), { $metadata: { httpStatusCode: 404 } });
const fail = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e as AppError,
  );
const serve =
  (bytes: Buffer, status = 200): FetchCode =>
  async () => ({ ok: status === 200, status, body: new Response(new Uint8Array(bytes)).body });
let mock: AwsMock;

function stubFunction(o: { reserved?: number; mappings?: { UUID: string; State: string }[] } = {}): void {
  mock
    .on('lambda', 'GetFunction', {
      Configuration: { FunctionName: 'fn', FunctionArn: ARN, CodeSha256: SHA, Layers: [{ Arn: 'arn:aws:lambda:eu-west-1:1:layer:l:3' }] },
      Code: { RepositoryType: 'S3', Location: URL_ },
    })
    .on('lambda', 'GetLayerVersionByArn', () =>
      Promise.reject(Object.assign(awsError('AccessDeniedException'), { $metadata: { httpStatusCode: 403 } })),
    )
    .on('lambda', 'GetPolicy', () => Promise.reject(notFound()))
    .on('lambda', 'GetFunctionConcurrency', o.reserved === undefined ? {} : { ReservedConcurrentExecutions: o.reserved })
    .on('lambda', 'ListEventSourceMappings', {
      EventSourceMappings: o.mappings ?? [
        { UUID: 'm-1', State: 'Enabled', EventSourceArn: 'arn:aws:sqs:eu-west-1:1:q' },
        { UUID: 'm-2', State: 'Disabled' },
      ],
    });
}
const record = async (): Promise<FunctionRecord> =>
  collectFunction(
    readerOf(stepContext({ key: 'x', title: '', kind: 'call', service: 'lambda', region: REGION, operation: 'x', request: {} })),
    'fn',
    REGION,
  );
const stepOf = (steps: StepSpec[], key: string) => steps.find((s) => s.key === key)!;

beforeEach(() => {
  mock = new AwsMock();
});
afterEach(() => mock.restore());

describe('Lambda evidence and plan', () => {
  it('records "no reserved concurrency" as null, no policy as null, a denied layer as not captured (naming the action)', async () => {
    stubFunction();
    const f = await record();
    expect(f).toMatchObject({ ReservedConcurrency: null, Policy: null, CodeSha256: SHA, CodeLocation: URL_.split('?')[0] });
    expect(Object.values(f.NotCaptured).join()).toMatch(/lambda:GetLayerVersion/);
  });

  it('throttles to 0 and disables only the enabled mappings; release puts back "none" with DeleteFunctionConcurrency', async () => {
    stubFunction();
    const plan = planLambdaContain(await record());
    expect(plan.steps.map((s) => `${s.operation}${s.request.UUID ? `:${String(s.request.UUID)}` : ''}`)).toEqual([
      'RecordFunction',
      'PutFunctionConcurrency',
      'UpdateEventSourceMapping:m-1',
    ]);
    expect(stepOf(plan.steps, 'throttle').request).toEqual({ FunctionName: ARN, ReservedConcurrentExecutions: 0 });
    expect(JSON.stringify(plan)).not.toContain('secret');
    const release = planLambdaRelease({ recorded: plan.recorded as unknown as LambdaRecorded, current: { ReservedConcurrency: 0 } });
    expect(release.steps.map((s) => [s.operation, s.request])).toEqual([
      ['DeleteFunctionConcurrency', { FunctionName: ARN }],
      ['UpdateEventSourceMapping', { UUID: 'm-1', Enabled: true }],
    ]);
    expect(release.warnings).toEqual([]);
  });

  it('release puts back a recorded reservation, and warns when someone changed it since', async () => {
    stubFunction({ reserved: 5, mappings: [] });
    const plan = planLambdaContain(await record());
    const release = planLambdaRelease({ recorded: plan.recorded as unknown as LambdaRecorded, current: { ReservedConcurrency: 2 } });
    expect(release.steps.map((s) => [s.operation, s.request.ReservedConcurrentExecutions])).toEqual([['PutFunctionConcurrency', 5]]);
    expect(release.warnings.join()).toMatch(/changed since the containment/);
  });
});

describe('Lambda steps against aws-sdk-client-mock', () => {
  const throttle: StepSpec = {
    key: 'throttle',
    title: '',
    kind: 'call',
    service: 'lambda',
    region: REGION,
    operation: 'PutFunctionConcurrency',
    request: { FunctionName: ARN, ReservedConcurrentExecutions: 0 },
  };
  const unreserve: StepSpec = { ...throttle, key: 'u', operation: 'DeleteFunctionConcurrency', request: { FunctionName: ARN } };
  const disable: StepSpec = { ...throttle, key: 'd', operation: 'UpdateEventSourceMapping', request: { UUID: 'm-1', Enabled: false } };

  it('already in the wanted state succeeds without a call', async () => {
    mock
      .on('lambda', 'GetFunctionConcurrency', { ReservedConcurrentExecutions: 0 })
      .on('lambda', 'GetEventSourceMapping', { UUID: 'm-1', State: 'Disabling' });
    expect((await executeStep('call', stepContext(throttle))).result).toMatchObject({ AlreadyInPlace: true });
    expect((await executeStep('call', stepContext(disable))).result).toMatchObject({ AlreadyInPlace: true });
    mock.on('lambda', 'GetFunctionConcurrency', {});
    expect((await executeStep('call', stepContext(unreserve))).result).toMatchObject({ AlreadyInPlace: true });
    expect(mock.mutations()).toEqual([]);
  });

  it('AccessDenied names the IAM action; throttling is retried; not found fails as such', async () => {
    mock.on('lambda', 'GetFunctionConcurrency', {}).on('lambda', 'PutFunctionConcurrency', { ReservedConcurrentExecutions: 0 });
    mock.failNext(
      'lambda',
      'PutFunctionConcurrency',
      Object.assign(awsError('AccessDeniedException'), { $metadata: { httpStatusCode: 403 } }),
    );
    expect((await fail(executeStep('call', stepContext(throttle))))?.message).toMatch(/lambda:PutFunctionConcurrency/);
    mock.failNext('lambda', 'PutFunctionConcurrency', awsError('TooManyRequestsException'));
    await executeStep('call', stepContext(throttle));
    expect(mock.of('lambda', 'PutFunctionConcurrency')).toHaveLength(3);
    mock
      .on('lambda', 'GetEventSourceMapping', () => Promise.reject(notFound()))
      .on('lambda', 'UpdateEventSourceMapping', () => Promise.reject(notFound()));
    expect((await fail(executeStep('call', stepContext(disable))))?.code).toBe('aws-not-found');
  });

  it('a mapping mid-transition the wrong way fails (ResourceInUseException) and succeeds once it settled', async () => {
    let state = 'Enabling';
    mock.on('lambda', 'GetEventSourceMapping', () => ({ UUID: 'm-1', State: state }));
    mock.on('lambda', 'UpdateEventSourceMapping', () =>
      state === 'Enabling' ? Promise.reject(awsError('ResourceInUseException')) : ((state = 'Disabling'), { State: state }),
    );
    expect((await fail(executeStep('call', stepContext(disable))))?.message).toMatch(/ResourceInUseException/);
    state = 'Enabled';
    await executeStep('call', stepContext(disable));
    expect(state).toBe('Disabling');
  });

  it('the evidence step saves the configuration and the code package checked against CodeSha256', async () => {
    stubFunction();
    const plan = planLambdaContain(await record());
    const saved: Saved[] = [];
    const out = await lambdaExecutors(serve(ZIP))['lambda-evidence']!(stepContext(stepOf(plan.steps, 'evidence'), saved));
    expect(saved.map((s) => s.bytes.equals(ZIP))).toEqual([false, true]);
    expect(saved[0]!.bytes.toString()).not.toContain('secret');
    expect(out.result).toMatchObject({ CodeSha256: SHA, CodeChangedSincePlan: false });
    // Resumed: the same content is one item, nothing new recorded.
    await lambdaExecutors(serve(ZIP))['lambda-evidence']!(stepContext(stepOf(plan.steps, 'evidence'), saved));
    expect(saved).toHaveLength(2);
  });

  it('a package that does not match CodeSha256 is refused and nothing of it is kept', async () => {
    stubFunction();
    const plan = planLambdaContain(await record());
    const saved: Saved[] = [];
    const err = await fail(
      lambdaExecutors(serve(Buffer.from('tampered')))['lambda-evidence']!(stepContext(stepOf(plan.steps, 'evidence'), saved)),
    );
    expect(err?.code).toBe('code-hash-mismatch');
    expect(saved.some((s) => s.bytes.toString() === 'tampered')).toBe(false);
    expect((await fail(lambdaExecutors(serve(ZIP, 403))['lambda-evidence']!(stepContext(stepOf(plan.steps, 'evidence'), []))))?.code).toBe(
      'code-download-failed',
    );
  });

  it('refuses when the mappings changed since the plan', async () => {
    stubFunction();
    const plan = planLambdaContain(await record());
    mock.on('lambda', 'ListEventSourceMappings', {
      EventSourceMappings: [
        { UUID: 'm-1', State: 'Disabled' },
        { UUID: 'm-2', State: 'Disabled' },
      ],
    });
    expect((await fail(lambdaExecutors(serve(ZIP))['lambda-evidence']!(stepContext(stepOf(plan.steps, 'evidence'), []))))?.code).toBe(
      'lambda-changed-since-plan',
    );
  });
});
