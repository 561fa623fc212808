import { expect } from 'vitest';
import type { LariatEnv } from '../aws-model/lariat-env';
import type { S3State } from '../aws-model/modules/s3';
import type { LambdaState } from '../aws-model/modules/lambda';
import { REGION } from '../aws-model/scenario';
import { EXPOSED, FN, seedS3Lambda } from '../aws-model/scenario-s3-lambda';
import type { FaultCase } from './harness';

const bucket = (env: LariatEnv) => env.model.slice<S3State>('s3').buckets[EXPOSED]!;
const fn = (env: LariatEnv) => env.model.slice<LambdaState>('lambda', REGION);
const BLOCK_ALL = { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true };

export const s3Contain: FaultCase = {
  name: 's3 containment (block public access, deny a principal)',
  kind: 's3-contain',
  target: { bucket: EXPOSED },
  options: { denyPrincipals: ['arn:aws:iam::444455556666:user/mallory'] },
  before: async (env) => seedS3Lambda(env.model),
  promise(env) {
    const b = bucket(env);
    expect(b.publicAccessBlock).toEqual(BLOCK_ALL);
    const doc = JSON.parse(b.policy!) as { Statement: { Sid: string }[] };
    expect(doc.Statement.map((s) => s.Sid)).toEqual(['PublicRead', 'LariatContainmentDenyPrincipals']);
  },
};

/** Contain, then release: the bucket is exactly as before (policy string, public access block and its absence). */
function s3ReleaseCase(name: string, seed: { policy?: boolean; block?: boolean }): FaultCase {
  let before: unknown;
  return {
    name,
    kind: 's3-release',
    async before(env) {
      seedS3Lambda(env.model, seed);
      before = structuredClone(bucket(env));
      const p = await env.plan('s3-contain', { denyPrincipals: ['444455556666'] }, { bucket: EXPOSED });
      await env.run(p.id);
    },
    plan: async (env) =>
      env.feature.response.planRelease(env.feature.response.list(env.caseNumber).find((a) => a.kind === 's3-contain')!.id),
    promise(env) {
      if (before) expect(bucket(env)).toEqual(before);
      expect(bucket(env).policy === undefined).toBe(seed.policy === false);
      expect(bucket(env).publicAccessBlock === undefined).toBe(!seed.block);
    },
  };
}
export const s3ReleaseFromPublic = s3ReleaseCase('s3 release: public policy and partial block put back exactly', { block: true });
export const s3ReleaseFromNothing = s3ReleaseCase('s3 release: "no policy, no block" → both deleted', { policy: false });

export const lambdaContain: FaultCase = {
  name: 'lambda containment (concurrency 0, mappings disabled)',
  kind: 'lambda-contain',
  target: { region: REGION, functionName: FN },
  before: async (env) => seedS3Lambda(env.model),
  promise(env) {
    const s = fn(env);
    expect(s.functions[FN]!.reserved).toBe(0);
    expect(['Disabled', 'Disabling']).toContain(s.mappings['esm-on']!.State);
    expect(s.mappings['esm-off']!.State).toBe('Disabled');
  },
};

function lambdaReleaseCase(name: string, reserved: number | undefined): FaultCase {
  return {
    name,
    kind: 'lambda-release',
    async before(env) {
      seedS3Lambda(env.model, { reserved });
      const p = await env.plan('lambda-contain', {}, { region: REGION, functionName: FN });
      await env.run(p.id);
    },
    plan: async (env) =>
      env.feature.response.planRelease(env.feature.response.list(env.caseNumber).find((a) => a.kind === 'lambda-contain')!.id),
    promise(env) {
      const s = fn(env);
      expect(s.functions[FN]!.reserved).toBe(reserved);
      expect('reserved' in s.functions[FN]!).toBe(reserved !== undefined);
      expect(['Enabled', 'Enabling']).toContain(s.mappings['esm-on']!.State);
      expect(s.mappings['esm-off']!.State).toBe('Disabled');
    },
  };
}
export const lambdaReleaseNone = lambdaReleaseCase('lambda release: "no reserved concurrency" → DeleteFunctionConcurrency', undefined);
export const lambdaReleaseFive = lambdaReleaseCase('lambda release: reserved concurrency 5 put back', 5);
