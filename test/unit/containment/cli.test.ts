import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../main/cli/main';
import { createServices, type Services } from '../../../main/services';
import { fixedClock } from '../../../main/core/clock';
import { createResponseFeature } from '../../../main/response';
import { AWS_ENV, lariatWithModel, type LariatEnv } from '../../aws-model/lariat-env';
import { REGION } from '../../aws-model/scenario';
import type { S3State } from '../../aws-model/modules/s3';
import { lambdaCodeFetch, type LambdaState } from '../../aws-model/modules/lambda';
import { EXPOSED, FN, seedS3Lambda } from '../../aws-model/scenario-s3-lambda';

let env: LariatEnv;
const realFetch = globalThis.fetch;
beforeEach(() => {
  // The model's Code.Location carries the package; nothing leaves the machine.
  globalThis.fetch = ((url: string) => lambdaCodeFetch()(String(url))) as typeof fetch;
  env = lariatWithModel();
  seedS3Lambda(env.model, { block: true });
  env.close();
});
afterEach(() => {
  globalThis.fetch = realFetch;
  env.cleanup();
});

/** The CLI in-process on the model's data folder (the SDK clients talk to the model). */
async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const services = (): Services => {
    const s = createServices({ dataDir: env.dataDir, env: AWS_ENV, clock: fixedClock('2026-11-30T12:00:00.000Z', 1000) });
    return { ...s, response: createResponseFeature(s.core, s.custody, s.timeline, { sleep: async () => undefined, pollMs: 0 }) };
  };
  const code = await runCli(argv, {
    io: { out: (t) => out.push(t), err: (t) => err.push(t) },
    env: { ...AWS_ENV, LARIAT_DATA_DIR: env.dataDir },
    services,
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('lariat respond s3 / lambda', () => {
  it('s3 --plan shows every call and changes nothing; --yes contains; release --action restores exactly', async () => {
    const before = structuredClone(env.model.slice<S3State>('s3').buckets[EXPOSED]);
    const p = await cli('respond', 's3', '--case', env.caseNumber, '--bucket', EXPOSED, '--deny-principal', '444455556666', '--plan');
    expect(p.err).toBe('');
    expect(p.code).toBe(0);
    for (const call of ['s3:PutBucketPolicy', 's3:PutPublicAccessBlock', 's3:GetBucketPublicAccessBlock']) expect(p.out).toContain(call);
    expect(env.model.slice<S3State>('s3').buckets[EXPOSED]).toEqual(before);
    const id = /Plan #(\d+)/.exec(p.out)![1]!;
    const run = await cli('respond', 'resume', id, '--yes');
    expect(run.code, run.err).toBe(0);
    expect(env.model.slice<S3State>('s3').buckets[EXPOSED]!.publicAccessBlock).toMatchObject({
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    });
    const rel = await cli('respond', 'release', '--action', id, '--yes');
    expect(rel.code, rel.err).toBe(0);
    expect(env.model.slice<S3State>('s3').buckets[EXPOSED]).toEqual(before);
  });

  it('lambda --yes throttles and disables the enabled mapping; a bad principal is refused before anything', async () => {
    const r = await cli('respond', 'lambda', '--case', env.caseNumber, '--function', FN, '--region', REGION, '--yes');
    expect(r.code, r.err).toBe(0);
    const l = env.model.slice<LambdaState>('lambda', REGION);
    expect(l.functions[FN]!.reserved).toBe(0);
    expect(l.mappings['esm-on']!.State).toBe('Disabled');
    const bad = await cli('respond', 's3', '--case', env.caseNumber, '--bucket', EXPOSED, '--deny-principal', 'bob', '--plan');
    expect(bad.code).not.toBe(0);
    expect(bad.err).toMatch(/principal/);
  });
});
