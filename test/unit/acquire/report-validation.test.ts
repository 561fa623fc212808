import zlib from 'node:zlib';
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlanBucketInput } from '../../../common/contract/acquire';
import * as ops from '../../../main/acquire/operations';
import { sourceOf } from '../../../main/acquire/report-source';
import { makeServices } from '../../helpers/services';
import { ensureTestIdentity } from '../../helpers/identity';
import type { LocalS3 } from './s3rver';
import { startTrailBucket, type TrailBucket } from '../../support/trail-bucket';
import type { TrailObject } from './trail-fixture';

const BUCKET = 'report-trail-logs';
const ACCOUNT = '111122223333';
const plain = (html: string) => html.replace(/<wbr>(<\/wbr>)?/g, '');
const REGION = 'eu-west-1';
let world: TrailBucket;
let s3: LocalS3;
let trail: TrailObject[];

beforeAll(async () => {
  world = await startTrailBucket({ bucket: BUCKET, account: ACCOUNT, region: REGION, hours: 2, logsPerHour: 3 });
  ({ s3, trail } = world);
});
afterAll(async () => {
  await world.close();
});

describe('the report names what was acquired from AWS and what the offline validation proves', () => {
  it('lists acquisitions with their source, and the changed, deleted and authentic files; a preview defers the validation and nothing is logged', async () => {
    const s = makeServices({
      env: { LARIAT_AWS_ENDPOINT: s3.endpoint, AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: REGION },
    });
    try {
      ensureTestIdentity(s);
      const c = s.core.cases.create({ title: 'Report', severity: 'high', regions: [REGION] });
      const logs = trail.filter((o) => o.kind === 'log');
      const changed = logs[1]!;
      const deleted = logs[3]!;
      await s3.put(
        BUCKET,
        changed.key,
        zlib.gzipSync(Buffer.from(changed.uncompressed.toString().replace(/198\.51\.100\.23/g, '10.0.0.1'))),
      );
      await s3.client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: deleted.key }));
      const plan = await ops.planBucketAcquisition(
        s.acquire,
        PlanBucketInput.parse({
          caseNumber: c.number,
          trail: 'main',
          accounts: [ACCOUNT],
          window: { from: '2026-11-20T09:00:00Z', to: '2026-11-20T11:00:00Z' },
        }),
      );
      await ops.runAcquisition(s.acquire, plan.acquisition.id);
      const activity = () => s.core.activity.list(c.number, 1000).filter((a) => a.action === 'cloudtrail.validated').length;

      const preview = await s.reports.reports.generate({ caseNumber: c.number, preview: true });
      expect(preview.html).toContain('Acquired from AWS');
      expect(plain(preview.html)).toContain(`s3://${BUCKET}/ (trail main), accounts ${ACCOUNT}, regions ${REGION}`);
      expect(preview.html).toContain('CloudTrail log file validation was not run for this rendering');
      expect(preview.html).not.toContain('CloudTrail log file validation (offline)');

      const full = await s.reports.reports.generate({ caseNumber: c.number });
      const html = full.html;
      expect(html).toContain('TAMPERED: a change, deletion or forgery is proven');
      const section = (title: string) => {
        const at = html.indexOf(`<h4>${title}`);
        expect(at, title).toBeGreaterThan(-1);
        const end = html.indexOf('</table>', at);
        return plain(html.slice(at, end));
      };
      const bad = section('Changed or deleted (2)');
      expect(bad).toContain(changed.key);
      expect(bad).toContain(deleted.key);
      const authentic = section('Proven authentic (');
      for (const o of logs.filter((l) => l !== changed && l !== deleted)) expect(authentic).toContain(o.key);
      expect(authentic).not.toContain(changed.key);
      expect(authentic).not.toContain(deleted.key);
      // The report described the case without changing it.
      expect(activity()).toBe(0);
    } finally {
      s.acquire.session.disconnect();
      s.cleanup();
    }
  });

  it('names each kind of source in AWS terms', () => {
    expect(
      sourceOf({
        kind: 'bucket',
        request: {
          bucket: 'b',
          prefix: 'AWSLogs/',
          trail: 'main',
          owners: [{ owner: '111122223333', account: '111122223333' }],
          via: { account: '444455556666' },
        },
        result: {},
      }),
    ).toBe('s3://b/AWSLogs/ (trail main), accounts 111122223333 (via account 444455556666)');
    expect(sourceOf({ kind: 'lookup-events', request: { regions: ['eu-west-1', 'us-east-1'] }, result: {} })).toBe(
      'cloudtrail:LookupEvents in eu-west-1, us-east-1',
    );
    expect(sourceOf({ kind: 'athena-query', request: { workgroup: 'primary' }, result: { queryExecutionId: 'q-1' } })).toBe(
      'Athena workgroup primary, query q-1',
    );
  });
});
