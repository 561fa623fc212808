import { AppError } from '../../core/errors';
import type { AwsClients } from '../../aws/clients';
import type { AwsService } from '../../aws/operations';
import { defineExecutors, defineStepCalls } from '../executors';
import type { Read } from '../read-config';
import { collectBucketConfiguration, readBucketPolicy, readPublicAccessBlock } from '../s3/evidence';
import { planS3Contain, planS3Release, type S3Recorded } from '../s3/plan';
import { s3Executors } from '../s3/executor';
import '../s3/guards';
import { collectFunction, readReserved } from '../lambda/evidence';
import { planLambdaContain, planLambdaRelease, type LambdaRecorded } from '../lambda/plan';
import { lambdaExecutors } from '../lambda/executor';
import '../lambda/guards';
import { defineActionKind, type PlanEnv } from './registry';

/**
 * S3 bucket and Lambda function containments (issue 15). Planning reads
 * the resource's current settings (what the release will restore); the run
 * saves them as evidence first and refuses if they changed in between.
 */
const reader =
  (clients: AwsClients, region: string): Read =>
  <T>(service: AwsService, operation: string, params: Record<string, unknown>) =>
    clients.call<T>(service, region, operation, params);

defineExecutors({ ...s3Executors, ...lambdaExecutors() });
defineStepCalls('s3-evidence', () => [
  's3:GetBucketPolicy',
  's3:GetBucketAcl',
  's3:GetBucketPublicAccessBlock',
  's3:GetBucketOwnershipControls',
  's3:GetBucketVersioning',
  's3:GetBucketObjectLockConfiguration',
  's3:GetBucketLogging',
]);
defineStepCalls('lambda-evidence', () => [
  'lambda:GetFunction',
  'lambda:GetLayerVersion',
  'lambda:GetPolicy',
  'lambda:GetFunctionConcurrency',
  'lambda:ListEventSourceMappings',
]);

/** The bucket's region (HeadBucket answers with it), unless the investigator named it. */
async function bucketRegion(env: PlanEnv, bucket: string, region: string | undefined): Promise<string> {
  const out = await env.clients.call<{ BucketRegion?: string }>('s3', region ?? 'us-east-1', 'HeadBucket', { Bucket: bucket });
  return out.BucketRegion ?? region ?? 'us-east-1';
}

async function callerArn(env: PlanEnv, region: string, needed: boolean): Promise<string | null> {
  try {
    return (await env.clients.call<{ Arn?: string }>('sts', region, 'GetCallerIdentity', {})).Arn ?? null;
  } catch (err) {
    if (needed) throw err;
    return null;
  }
}

const recordedOf = <T>(action: { recorded: Record<string, unknown> }, key: string): T => {
  const r = action.recorded as Record<string, unknown>;
  if (!r[key]) throw new AppError('not-releasable', 'This action recorded nothing to restore.', 'Plan a containment, then release it.');
  return r as unknown as T;
};

defineActionKind({
  kind: 's3-contain',
  label: 'Contain bucket',
  async prepare(input, env) {
    const region = await bucketRegion(env, input.bucket, input.region);
    const config = await collectBucketConfiguration(reader(env.clients, region), input.bucket, region);
    const caller = await callerArn(env, region, input.options.allowOnlyRoles.length > 0);
    const plan = planS3Contain({ bucket: input.bucket, config, options: input.options, callerArn: caller });
    return { target: { type: 's3-bucket', id: input.bucket, region }, account: env.account(), options: input.options, build: () => plan };
  },
  async release(action, env) {
    const rec = recordedOf<S3Recorded>(action, 'original');
    const read = reader(env.clients, rec.region);
    const current = { Policy: await readBucketPolicy(read, rec.bucket), PublicAccessBlock: await readPublicAccessBlock(read, rec.bucket) };
    const plan = planS3Release({ recorded: rec, current });
    return { kind: 's3-release', target: action.target, account: action.account, options: {}, build: () => plan };
  },
});

defineActionKind({
  kind: 's3-release',
  label: 'Release bucket',
  prepare: () => Promise.reject(releaseOnly('lariat respond release --action N')),
});

defineActionKind({
  kind: 'lambda-contain',
  label: 'Contain function',
  async prepare(input, env) {
    const f = await collectFunction(reader(env.clients, input.region), input.functionName, input.region);
    const plan = planLambdaContain(f);
    const account = /^arn:aws[\w-]*:lambda:[^:]+:(\d{12}):/.exec(f.FunctionArn)?.[1] ?? env.account();
    return {
      target: { type: 'lambda-function', id: f.FunctionName, region: input.region },
      account,
      options: input.options,
      build: () => plan,
    };
  },
  async release(action, env) {
    const rec = recordedOf<LambdaRecorded>(action, 'original');
    const current = { ReservedConcurrency: await readReserved(reader(env.clients, rec.region), rec.functionArn) };
    const plan = planLambdaRelease({ recorded: rec, current });
    return { kind: 'lambda-release', target: action.target, account: action.account, options: {}, build: () => plan };
  },
});

defineActionKind({
  kind: 'lambda-release',
  label: 'Release function',
  prepare: () => Promise.reject(releaseOnly('lariat respond release --action N')),
});

function releaseOnly(how: string): AppError {
  return new AppError(
    'release-of-action',
    'A release is planned from the containment it undoes.',
    `Use ${how} (or "Release" on the action).`,
  );
}
