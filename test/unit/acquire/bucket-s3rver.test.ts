import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PlanBucketInput } from '../../../common/contract/acquire';
import { createResponseFeature } from '../../../main/response';
import { createAcquireFeature, type AcquireFeature } from '../../../main/acquire';
import * as ops from '../../../main/acquire/operations';
import { makeServices, type TestServices } from '../../helpers/services';
import { ensureTestIdentity } from '../../helpers/identity';
import type { LocalS3 } from './s3rver';
import { startTrailBucket, type TrailBucket } from '../../support/trail-bucket';
import { makeKey, type TrailKey, type TrailObject } from './trail-fixture';
import { custodyBodies } from './fixtures';

const BUCKET = 'org-trail-logs';
const ACCOUNT = '111122223333';
const REGION = 'eu-west-1';
let world: TrailBucket;
let s3: LocalS3;
let key: TrailKey;
let trail: TrailObject[];

beforeAll(async () => {
  // A log and a digest of the same day before the window: listed, never downloaded.
  world = await startTrailBucket({
    bucket: BUCKET,
    buckets: [BUCKET, 'flow-logs'],
    account: ACCOUNT,
    region: REGION,
    hours: 3,
    logsPerHour: 4,
    before: { start: new Date('2026-11-20T03:00:31Z'), hours: 1, logsPerHour: 1 },
  });
  ({ s3, key, trail } = world);
});
afterAll(async () => {
  await world.close();
});

interface Env {
  s: TestServices;
  d: AcquireFeature;
  caseNumber: string;
}
let env: Env | null = null;
afterEach(() => {
  env?.d.session.disconnect();
  env?.s.cleanup();
  env = null;
});

function open(): Env {
  const s = makeServices({
    env: { LARIAT_AWS_ENDPOINT: s3.endpoint, AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: REGION },
  });
  ensureTestIdentity(s);
  const sleep = async () => undefined;
  const d = createAcquireFeature(s.core, s.custody, s.timeline, createResponseFeature(s.core, s.custody, s.timeline, { sleep }), {
    sleep,
    pollMs: 0,
  });
  const c = s.core.cases.create({ title: 'Bucket', severity: 'high', regions: [REGION] });
  env = { s, d, caseNumber: c.number };
  return env;
}

/**
 * Accounts are named: s3rver's delimiter listing does not descend into keys two folders deep (it prunes
 * them before finding their common prefix), so account discovery under AWSLogs/ is tested with mocks.
 */
const planInput = (caseNumber: string, extra: Record<string, unknown> = {}) =>
  PlanBucketInput.parse({
    caseNumber,
    trail: 'main',
    accounts: [ACCOUNT],
    window: { from: '2026-11-20T09:00:00Z', to: '2026-11-20T12:00:00Z' },
    ...extra,
  });

describe('log bucket acquisition against a real S3 server (s3rver)', () => {
  it('plans (count and size, nothing downloaded), downloads with custody naming bucket, key, version id and ETag, imports, and validates offline', async () => {
    const { s, d, caseNumber } = open();
    const plan = await ops.planBucketAcquisition(d, planInput(caseNumber));
    const logs = trail.filter((o) => o.kind === 'log');
    const digests = trail.filter((o) => o.kind === 'digest');
    expect(plan).toMatchObject({ bucket: BUCKET, accounts: [ACCOUNT], regions: [REGION], keyRegions: [REGION] });
    expect(plan.logs).toEqual({ count: logs.length, bytes: logs.reduce((n, o) => n + o.body.length, 0) });
    expect(plan.digests.count).toBe(digests.length);
    expect(plan.outsideWindow).toBe(2);
    expect(s.custody.vault.list(caseNumber)).toHaveLength(0);

    const done = await ops.runAcquisition(d, plan.acquisition.id);
    expect(done.state).toBe('done');
    expect(done.objectsDone).toBe(logs.length + digests.length);
    const items = s.custody.vault.list(caseNumber);
    // Every object plus the public keys of the region.
    expect(items).toHaveLength(logs.length + digests.length + 1);
    for (const o of trail) {
      const item = items.find((i) => i.source.resource === `s3://${BUCKET}/${o.key}`)!;
      expect(item.sha256).toBe(crypto.createHash('sha256').update(o.body).digest('hex'));
      expect(item.md5).toBe(crypto.createHash('md5').update(o.body).digest('hex'));
      expect(item.acquisition.method).toMatch(
        new RegExp(`s3:GetObject bucket=${BUCKET} key=${o.key.replace(/[.]/g, '\\.')} versionId=null \\(unversioned\\) ETag="${item.md5}"`),
      );
      expect(item.acquisition.method).toContain('MD5 equal to the ETag');
      expect(fs.readFileSync(path.join(s.core.paths.vaultDir, item.vaultPath!)).equals(o.body)).toBe(true);
    }
    const bodies = custodyBodies(s, caseNumber);
    expect(bodies.filter((b) => b.action === 'acquired')).toHaveLength(items.length);
    expect(bodies.filter((b) => b.action === 'note' && b.purpose.startsWith('CloudTrail digest signature'))).toHaveLength(digests.length);
    expect(done.result.timeline).toMatchObject({ imported: logs.length * 5, rejected: 0 });
    expect(s.timeline.events.query({ caseNumber, limit: 1000 }).events).toHaveLength(logs.length * 5);
    expect((await s.custody.verify.verify(caseNumber)).intact).toBe(true);

    const v = await ops.validateCloudTrail(d, caseNumber);
    expect(v).toMatchObject({
      verdict: 'intact',
      digests: { total: 3, valid: 3, invalid: 0 },
      logs: { authentic: logs.length, changed: 0, deleted: 0 },
    });
    expect(v.keys).toEqual([expect.objectContaining({ region: REGION, fingerprint: key.fingerprint })]);
  });

  it('catches a log changed and a log deleted in the bucket before acquisition', async () => {
    const { d, caseNumber } = open();
    const logs = trail.filter((o) => o.kind === 'log');
    const changed = logs[2]!;
    const deleted = logs[9]!;
    await s3.put(BUCKET, changed.key, zlib.gzipSync(Buffer.from(changed.uncompressed.toString().replace(/198\.51\.100\.23/g, '10.0.0.1'))));
    await s3.client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: deleted.key }));
    try {
      const plan = await ops.planBucketAcquisition(d, planInput(caseNumber));
      await ops.runAcquisition(d, plan.acquisition.id);
      const v = await ops.validateCloudTrail(d, caseNumber);
      expect(v.verdict).toBe('tampered');
      expect(v.problems.map((p) => [p.kind, p.key])).toEqual(
        expect.arrayContaining([
          ['log-changed', changed.key],
          ['log-deleted', deleted.key],
        ]),
      );
      expect(v.logs).toMatchObject({ changed: 1, deleted: 1, authentic: logs.length - 2 });
    } finally {
      await s3.put(BUCKET, changed.key, changed.body);
      await s3.put(BUCKET, deleted.key, deleted.body);
    }
  });

  it('refuses public keys whose vault copy changed, and says so', async () => {
    const { s, d, caseNumber } = open();
    const plan = await ops.planBucketAcquisition(d, planInput(caseNumber));
    await ops.runAcquisition(d, plan.acquisition.id);
    const keysItem = s.custody.vault.list(caseNumber).find((i) => i.description.startsWith('CloudTrail public keys'))!;
    const file = path.join(s.core.paths.vaultDir, keysItem.vaultPath!);
    fs.chmodSync(file, 0o644);
    const attacker = makeKey(REGION);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(key.der.toString('base64'), attacker.der.toString('base64')));
    const v = await ops.validateCloudTrail(d, caseNumber);
    expect(v.verdict).toBe('tampered');
    expect(v.problems[0]).toMatchObject({ kind: 'keys-changed' });
    expect(v.digests.valid).toBe(0);
  });

  it('resumes an object from the part file a killed run left, with a Range request and the whole-object MD5 check', async () => {
    const { s, d, caseNumber } = open();
    const plan = await ops.planBucketAcquisition(d, planInput(caseNumber, { digests: false }));
    const first = d.store.objects(plan.acquisition.id, ['pending'])[0]!;
    const body = trail.find((o) => o.key === first.key)!.body;
    const dir = path.join(s.core.paths.vaultDir, caseNumber);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, `.acquire-${plan.acquisition.id}-${first.seq}.part`), body.subarray(0, 100));
    // As a killed run leaves it: marked running by a process that no longer exists.
    s.core.db.prepare("UPDATE acquisitions SET state = 'running', owner = 'elsewhere:999999' WHERE id = ?").run(plan.acquisition.id);
    expect(ops.listAcquisitions(d, caseNumber)[0]!.interrupted).toBe(true);
    const done = await ops.runAcquisition(d, plan.acquisition.id);
    expect(done.state).toBe('done');
    const item = s.custody.vault.list(caseNumber).find((i) => i.source.resource === `s3://${BUCKET}/${first.key}`)!;
    expect(item.acquisition.method).toContain('resumed at byte 100');
    expect(fs.readFileSync(path.join(s.core.paths.vaultDir, item.vaultPath!)).equals(body)).toBe(true);
    expect(fs.readdirSync(dir).filter((n) => n.endsWith('.part'))).toEqual([]);
  });

  it('discards a part file that was tampered with: the MD5 does not match the ETag, nothing is recorded for it', async () => {
    const { s, d, caseNumber } = open();
    const plan = await ops.planBucketAcquisition(d, planInput(caseNumber, { digests: false }));
    const first = d.store.objects(plan.acquisition.id, ['pending'])[0]!;
    const dir = path.join(s.core.paths.vaultDir, caseNumber);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, `.acquire-${plan.acquisition.id}-${first.seq}.part`), Buffer.alloc(100, 7));
    await expect(ops.runAcquisition(d, plan.acquisition.id)).rejects.toMatchObject({
      code: 'acquisition-incomplete',
      message: expect.stringContaining('MD5'),
    });
    expect(s.custody.vault.list(caseNumber).some((i) => i.source.resource === `s3://${BUCKET}/${first.key}`)).toBe(false);
    // The next run fetches it anew and completes.
    const again = await ops.runAcquisition(d, plan.acquisition.id);
    expect(again.state).toBe('done');
  });

  it('cancels: finished objects are recorded (their group committed), the ones in flight leave no part file, and a later run completes', async () => {
    const { s, d, caseNumber } = open();
    const plan = await ops.planBucketAcquisition(d, planInput(caseNumber, { digests: false }));
    let cancelled = false;
    const started = s.core.jobs.start({ kind: 'acquire-bucket', label: 'x' }, (job) => ops.runAcquisition(d, plan.acquisition.id, job));
    // Cancelled as soon as the first object is completely in the vault (staged, not yet committed: objects are
    // committed in groups), while others are in flight and most are not started.
    const stage = d.evidence.stageFile.bind(d.evidence);
    d.evidence.stageFile = async (...a) => {
      const staged = await stage(...a);
      if (!cancelled) {
        cancelled = true;
        s.core.jobs.cancel(started.jobId);
      }
      return staged;
    };
    await expect(started.result).rejects.toMatchObject({ code: 'cancelled' });
    const a = ops.getAcquisition(d, plan.acquisition.id);
    expect(a.state).toBe('cancelled');
    expect(a.objectsDone).toBeGreaterThan(0);
    expect(a.objectsDone).toBeLessThan(a.objectsTotal);
    expect(fs.readdirSync(path.join(s.core.paths.vaultDir, caseNumber)).filter((n) => n.endsWith('.part'))).toEqual([]);
    expect((await s.custody.verify.verify(caseNumber)).intact).toBe(true);
    const done = await ops.runAcquisition(d, plan.acquisition.id);
    expect(done.objectsDone).toBe(done.objectsTotal);
  });

  it('acquires VPC flow logs from their layout and imports them', async () => {
    const { s, d, caseNumber } = open();
    const lines = ['version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status'];
    for (let i = 0; i < 20; i++)
      lines.push(`2 ${ACCOUNT} eni-0a1b2c3d 10.0.0.${i} 203.0.113.9 4${i}000 443 6 10 840 1795600800 1795600860 ACCEPT OK`);
    const key1 = `AWSLogs/${ACCOUNT}/vpcflowlogs/${REGION}/2026/11/20/${ACCOUNT}_vpcflowlogs_${REGION}_fl-0abc_20261120T1005Z_0a1b2c3d.log.gz`;
    const key2 = `AWSLogs/${ACCOUNT}/vpcflowlogs/${REGION}/2026/11/22/${ACCOUNT}_vpcflowlogs_${REGION}_fl-0abc_20261122T1005Z_0a1b2c3d.log.gz`;
    await s3.put('flow-logs', key1, zlib.gzipSync(Buffer.from(`${lines.join('\n')}\n`)));
    await s3.put('flow-logs', key2, zlib.gzipSync(Buffer.from(`${lines.join('\n')}\n`)));
    const plan = await ops.planBucketAcquisition(
      d,
      PlanBucketInput.parse({
        caseNumber,
        bucket: 'flow-logs',
        logKind: 'vpcflowlogs',
        accounts: [ACCOUNT],
        window: { from: '2026-11-20', to: '2026-11-20' },
      }),
    );
    expect(plan.logs.count).toBe(1);
    expect(plan.digests.count).toBe(0);
    const done = await ops.runAcquisition(d, plan.acquisition.id);
    expect(done.result.timeline).toMatchObject({ imported: 20 });
    expect(s.timeline.events.query({ caseNumber, limit: 100 }).events.every((e) => e.source === 'vpcflow')).toBe(true);
  });
});
