import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mockClient } from 'aws-sdk-client-mock';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { PlanBucketInput } from '../../../common/contract/acquire';
import * as ops from '../../../main/acquire/operations';
import { makeServices } from '../../helpers/services';
import { ensureTestIdentity } from '../../helpers/identity';
import { startS3, type LocalS3 } from './s3rver';
import { custodyBodies } from './fixtures';

const ACCOUNT = '111122223333';
const REGION = 'eu-west-1';
const child = path.join(path.dirname(fileURLToPath(import.meta.url)), 'kill-child.ts');
let s3: LocalS3;
const sts = mockClient(STSClient);
const bodies = new Map<string, Buffer>();

beforeAll(async () => {
  s3 = await startS3(['big-flow-logs']);
  sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:user/ada` });
  for (let i = 0; i < 4; i++) {
    const key = `AWSLogs/${ACCOUNT}/vpcflowlogs/${REGION}/2026/11/20/${ACCOUNT}_vpcflowlogs_${REGION}_fl-0abc_20261120T10${i}5Z_0a1b2c3${i}.log.gz`;
    const body = crypto.randomBytes(12 * 1024 * 1024);
    bodies.set(key, body);
    await s3.put('big-flow-logs', key, body);
  }
});
afterAll(async () => {
  sts.restore();
  await s3.close();
});

/** Runs the acquisition in a child process and SIGKILLs it as soon as a part file holds some bytes of an object. */
function runAndKill(dataDir: string, vaultCaseDir: string, id: number): Promise<'killed' | 'finished'> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', child, dataDir, s3.endpoint, String(id)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    let out = '';
    let stop = false;
    const poll = () => {
      if (stop) return;
      const parts = fs.existsSync(vaultCaseDir)
        ? fs.readdirSync(vaultCaseDir).filter((n) => n.startsWith('.acquire-') && n.endsWith('.part'))
        : [];
      const sizes = parts.map((n) => {
        try {
          return fs.statSync(path.join(vaultCaseDir, n)).size;
        } catch {
          return 0;
        }
      });
      if (sizes.some((n) => n > 1024 * 1024)) p.kill('SIGKILL');
      else setImmediate(poll);
    };
    poll();
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.on('exit', (code, signal) => {
      stop = true;
      if (signal === 'SIGKILL') resolve('killed');
      else if (code === 0 && out.includes('finished')) resolve('finished');
      else reject(new Error(`child exited ${code}: ${err}`));
    });
  });
}

test('kill -9 mid-download: the next run resumes the part files, and every object is recorded once, intact', async () => {
  const s = makeServices({
    env: { LARIAT_AWS_ENDPOINT: s3.endpoint, AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: REGION },
  });
  ensureTestIdentity(s);
  const c = s.core.cases.create({ title: 'Kill', severity: 'high', regions: [REGION] });
  const plan = await ops.planBucketAcquisition(
    s.acquire,
    PlanBucketInput.parse({
      caseNumber: c.number,
      bucket: 'big-flow-logs',
      logKind: 'vpcflowlogs',
      accounts: [ACCOUNT],
      window: { from: '2026-11-20', to: '2026-11-20' },
    }),
  );
  expect(plan.logs.count).toBe(4);
  s.acquire.session.disconnect();
  s.close();
  const vaultCaseDir = path.join(s.core.paths.vaultDir, c.number);
  expect(await runAndKill(s.dataDir, vaultCaseDir, plan.acquisition.id)).toBe('killed');
  const parts = fs.readdirSync(vaultCaseDir).filter((n) => n.endsWith('.part'));
  expect(parts.length).toBeGreaterThan(0);

  const again = makeServices({
    dataDir: s.dataDir,
    env: { LARIAT_AWS_ENDPOINT: s3.endpoint, AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: REGION },
  });
  try {
    expect(ops.listAcquisitions(again.acquire, c.number)[0]!.interrupted).toBe(true);
    const done = await ops.runAcquisition(again.acquire, plan.acquisition.id);
    expect(done.objectsDone).toBe(4);
    const items = again.custody.vault.list(c.number);
    expect(items).toHaveLength(4);
    for (const [key, body] of bodies) {
      const item = items.find((i) => i.source.resource === `s3://big-flow-logs/${key}`)!;
      expect(item.sha256).toBe(crypto.createHash('sha256').update(body).digest('hex'));
    }
    expect(items.some((i) => i.acquisition.method.includes('resumed at byte'))).toBe(true);
    expect(custodyBodies(again, c.number).filter((b) => b.action === 'acquired')).toHaveLength(4);
    expect(fs.readdirSync(vaultCaseDir).filter((n) => n.endsWith('.part'))).toEqual([]);
    expect((await again.custody.verify.verify(c.number)).intact).toBe(true);
  } finally {
    again.acquire.session.disconnect();
    again.cleanup();
  }
});
