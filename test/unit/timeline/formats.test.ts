import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { makeTimeline } from './fake-evidence';
import { parseFile } from '../../../main/timeline/importers/parse-file';
import type { TimelineFeature } from '../../../main/timeline';
import type { TestServices } from '../../helpers/services';

let s: TestServices;
let t: TimelineFeature;
let caseNumber: string;
let dir: string;

const trail = (i: number, extra: Record<string, unknown> = {}) => ({
  eventVersion: '1.08',
  eventTime: `2024-01-15T10:${String(i % 60).padStart(2, '0')}:00Z`,
  eventSource: 'iam.amazonaws.com',
  eventName: 'ListUsers',
  awsRegion: 'us-east-1',
  sourceIPAddress: '203.0.113.9',
  userAgent: 'aws-cli/2',
  recipientAccountId: '111122223333',
  userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/bob', accessKeyId: 'AKIAEXAMPLE0001' },
  ...extra,
});
const write = (name: string, data: string | Buffer) => {
  const p = path.join(dir, name);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, data);
  return p;
};
const importOne = async (file: string) => (await t.imports.importPaths(caseNumber, [file])).files[0]!;

beforeEach(() => {
  ({ s, t } = makeTimeline());
  caseNumber = s.core.cases.create({ title: 'formats', severity: 'low' }).number;
  dir = path.join(s.dataDir, 'in');
});
afterEach(() => s.cleanup());

describe('CloudTrail shapes', () => {
  test('delivery format gzipped, NDJSON and a JSON array give the same events', async () => {
    const recs = [trail(1), trail(2), trail(3)];
    const a = await importOne(write('a/111122223333_CloudTrail_us-east-1_x.json.gz', zlib.gzipSync(JSON.stringify({ Records: recs }))));
    const b = await importOne(write('b.ndjson', recs.map((r, i) => JSON.stringify({ ...r, eventID: `b${i}` })).join('\n')));
    const c = await importOne(
      write(
        'c.json',
        JSON.stringify(
          recs.map((r, i) => ({ ...r, eventID: `c${i}` })),
          null,
          2,
        ),
      ),
    );
    for (const r of [a, b, c]) expect([r.format, r.imported, r.rejected]).toEqual(['cloudtrail', 3, 0]);
    expect(t.events.count({ caseNumber, where: [{ column: 'action', value: 'ListUsers' }] }).count).toBe(9);
  });

  test('a pretty-printed document with CRLF line ends: each record shown exactly as in the file, and searchable', async () => {
    const recs = [trail(1, { eventID: 'crlf-1' }), trail(2, { eventID: 'crlf-2', eventName: 'DeleteTrail' })];
    const text = JSON.stringify({ Records: recs }, null, 2).replace(/\n/g, '\r\n');
    const r = await importOne(write('crlf.json', text));
    expect([r.imported, r.rejected]).toEqual([2, 0]);
    const [e] = t.events.query({ caseNumber, where: [{ column: 'action', value: 'DeleteTrail' }] }).events;
    const d = t.events.get(caseNumber, e!.id);
    // The exact bytes of the record (a shifted offset would cut a brace and not parse).
    expect(JSON.parse(d.rawText)).toEqual(recs[1]);
    expect(d.rawText).toMatch(/^\{\r\n[\s\S]*\}$/);
    expect(text).toContain(d.rawText);
    expect(t.events.count({ caseNumber, search: '"crlf-2"' }).count).toBe(1);
  });

  test('events without eventTime or userIdentity are kept and flagged', async () => {
    const { userIdentity: _drop, ...noIdentity } = trail(2);
    const r = await importOne(
      write('x.json', JSON.stringify({ Records: [trail(1, { eventTime: undefined }), noIdentity, trail(3, { eventTime: 'redacted' })] })),
    );
    expect([r.imported, r.flagged, r.rejected]).toEqual([3, 3, 0]);
    const events = t.events.query({ caseNumber }).events;
    expect(
      events
        .map((e) => e.issues)
        .flat()
        .sort(),
    ).toEqual(['invalid-eventTime', 'missing-eventTime', 'missing-userIdentity']);
    expect(events.filter((e) => e.time === null)).toHaveLength(2);
  });

  test('a folder tree is walked; licence files and CloudTrail digests are skipped', async () => {
    write('tree/AWSLogs/1/CloudTrail/us-east-1/2024/01/15/f1.json.gz', zlib.gzipSync(JSON.stringify({ Records: [trail(1)] })));
    write(
      'tree/AWSLogs/1/CloudTrail-Digest/us-east-1/2024/01/15/d1.json.gz',
      zlib.gzipSync(JSON.stringify({ awsAccountId: '1', digestStartTime: 'x' })),
    );
    write('tree/AWSLogs/1/CloudTrail/us-east-1/2024/01/16/f2.json', JSON.stringify({ Records: [trail(2), trail(3)] }));
    write('tree/LICENSE.txt', 'Apache');
    const r = await t.imports.importPaths(caseNumber, [path.join(dir, 'tree')]);
    expect(r.files.map((f) => path.basename(f.file))).toEqual(['f1.json.gz', 'f2.json']);
    expect(r.imported).toBe(3);
  });
});

describe('findings and flow logs', () => {
  const gdCamel = {
    schemaVersion: '2.0',
    accountId: '111122223333',
    region: 'eu-west-1',
    id: 'abc123',
    type: 'UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS',
    title: 'Credentials used outside AWS',
    severity: 8,
    createdAt: '2024-01-15T10:00:00Z',
    updatedAt: '2024-01-15T11:00:00Z',
    resource: { resourceType: 'AccessKey', accessKeyDetails: { accessKeyId: 'ASIAEXAMPLE123', userName: 'ec2-role' } },
    service: {
      action: { actionType: 'AWS_API_CALL', awsApiCallAction: { api: 'ListBuckets', remoteIpDetails: { ipAddressV4: '198.51.100.77' } } },
      eventFirstSeen: '2024-01-15T10:00:00Z',
      eventLastSeen: '2024-01-15T11:00:00Z',
    },
  };
  test('GuardDuty camelCase in get-findings {"Findings":[...]} and an S3 export (NDJSON)', async () => {
    const a = await importOne(write('gd.json', JSON.stringify({ Findings: [gdCamel] })));
    const b = await importOne(write('gd-export.jsonl.gz', zlib.gzipSync(`${JSON.stringify({ ...gdCamel, id: 'def456' })}\n`)));
    expect([a.format, a.findings, b.format, b.findings]).toEqual(['guardduty', 1, 'guardduty', 1]);
    const f = t.findings.list(caseNumber).find((x) => x.findingId === 'abc123')!;
    expect([f.severityLabel, f.severityScore]).toEqual(['high', 80]);
    expect(f.resources).toContainEqual({ type: 'access-key', id: 'ASIAEXAMPLE123' });
    expect(t.findings.get(caseNumber, f.id).indicators).toContainEqual({ type: 'ip', value: '198.51.100.77' });
  });

  test('Security Hub ASFF inside {"Findings":[...]}', async () => {
    const asff = {
      SchemaVersion: '2018-10-08',
      Id: 'sh-1',
      ProductArn: 'arn:aws:securityhub:us-east-1::product/aws/securityhub',
      GeneratorId: 'g',
      AwsAccountId: '111122223333',
      Types: ['Effects/Data Exposure'],
      CreatedAt: '2024-01-01T00:00:00Z',
      UpdatedAt: '2024-01-02T00:00:00Z',
      Severity: { Label: 'HIGH', Normalized: 70 },
      Title: 'Bucket public',
      Resources: [{ Type: 'AwsS3Bucket', Id: 'arn:aws:s3:::leaky-bucket' }],
    };
    const r = await importOne(write('sh.json', JSON.stringify({ Findings: [asff, { ...asff, Id: 'sh-2' }] })));
    expect([r.format, r.imported, r.findings]).toEqual(['securityhub', 2, 2]);
    expect(t.findings.list(caseNumber)[0]!.resources).toEqual([{ type: 's3-bucket', id: 'leaky-bucket' }]);
  });

  test('VPC flow logs: default v2 without header, and a custom v5 header', async () => {
    const v2 = [
      '2 111122223333 eni-1 10.0.0.5 203.0.113.9 443 49152 6 10 840 1705312800 1705312860 ACCEPT OK',
      '2 111122223333 eni-1 198.51.100.3 10.0.0.5 51000 22 6 1 40 1705312900 1705312960 REJECT OK',
    ].join('\n');
    const a = await importOne(write('flow.log.gz', zlib.gzipSync(v2)));
    const v5 = [
      'version vpc-id instance-id srcaddr dstaddr srcport dstport protocol start end action log-status flow-direction region',
      '5 vpc-1 i-0abc 10.0.0.7 8.8.8.8 5353 53 17 1705313000 1705313001 ACCEPT OK egress eu-west-1',
    ].join('\n');
    const b = await importOne(write('flow5.log', v5));
    expect([a.format, a.imported, b.format, b.imported]).toEqual(['vpcflow', 2, 'vpcflow', 1]);
    const ev = t.events.query({ caseNumber, where: [{ column: 'resource', value: 'i-0abc' }] }).events;
    expect(ev).toHaveLength(1);
    expect([ev[0]!.time, ev[0]!.region, ev[0]!.sourceIp]).toEqual(['2024-01-15T10:03:20.000Z', 'eu-west-1', '10.0.0.7']);
    expect(t.events.count({ caseNumber, errorsOnly: true }).count).toBe(1);
  });
});

describe('bad input', () => {
  test('malformed JSON lines are rejected by line; valid records in the file are kept', async () => {
    const r = await importOne(
      write(
        'mixed.ndjson',
        [JSON.stringify(trail(1)), '{"eventName": "Broken", ', JSON.stringify(trail(2)), '42', JSON.stringify({ eventName: 7 })].join('\n'),
      ),
    );
    expect([r.imported, r.rejected]).toEqual([2, 3]);
    expect(r.errors[0]).toMatch(/^mixed\.ndjson: line 2 \(record 2\): malformed JSON/);
    expect(r.errors[1]).toMatch(/^mixed\.ndjson: record 4: expected a JSON object \(one event or finding\), found a number/);
    expect(r.errors[2]).toMatch(/record 5: CloudTrail event whose eventName is a number, not a string/);
  });

  test('a truncated .gz keeps the records before the cut and says so', async () => {
    const body = Array.from({ length: 2000 }, (_, i) => JSON.stringify(trail(i, { eventID: `e${i}`, pad: 'x'.repeat(200) }))).join('\n');
    const gz = zlib.gzipSync(body);
    const r = await importOne(write('cut.json.gz', gz.subarray(0, Math.floor(gz.length / 2))));
    expect(r.imported).toBeGreaterThan(0);
    expect(r.imported).toBeLessThan(2000);
    expect(r.truncated).toBe(true);
    expect(r.errors.at(-1)).toMatch(
      new RegExp(
        `cut\\.json\\.gz: after line \\d+: the compressed file is truncated \\(a \\.gz cut short\\).*; the ${r.imported} complete records before the cut were read`,
      ),
    );
  });

  test('a line longer than the limit is rejected by number without being buffered', async () => {
    const file = write(
      'long.ndjson',
      [JSON.stringify(trail(1)), `{"eventName":"Big","x":"${'y'.repeat(300_000)}"}`, JSON.stringify(trail(2))].join('\n'),
    );
    const items = [];
    for await (const b of parseFile(file, { maxLine: 100_000, maxDocument: 100_000, batchSize: 10 })) items.push(...b.items);
    expect(items.filter((i) => 'event' in i)).toHaveLength(2);
    const err = items.find((i) => 'error' in i) as { error: string };
    expect(err.error).toMatch(/^line 2 \(record 2\): 0 MB on one line, more than Lariat reads at once/);
  });

  test('a file in no known format is reported as such', async () => {
    const r = await importOne(write('notes.txt', 'hello, these are my notes\nnothing to see'));
    expect([r.format, r.imported, r.rejected]).toEqual([null, 0, 1]);
    expect(r.errors.join('\n')).toMatch(/notes\.txt: line 1: not JSON .* not a format Lariat imports/);
    const r2 = await importOne(write('other.json', JSON.stringify({ hello: 'world' })));
    expect(r2.errors.join('\n')).toMatch(
      /a JSON object Lariat does not recognise \(keys: hello\); not a CloudTrail event, GuardDuty finding/,
    );
  });

  test('findings with wrong types are rejected by record; the good ones are kept', async () => {
    const good = {
      SchemaVersion: '2.0',
      AccountId: '111122223333',
      Id: 'ok',
      Type: 'Recon:EC2/Portscan',
      Severity: 5,
      Service: {},
      Resource: {},
      UpdatedAt: '2024-01-01T00:00:00Z',
    };
    const r = await importOne(
      write('gd-types.json', JSON.stringify({ Findings: [good, { ...good, Id: 'bad', Severity: 'HIGH' }, 'not an object'] })),
    );
    expect([r.imported, r.rejected]).toEqual([1, 2]);
    expect(r.errors).toEqual([
      'gd-types.json: record 2: GuardDuty Severity is a string, expected a number',
      'gd-types.json: record 3: expected a JSON object (one event or finding), found a string',
    ]);
  });

  test('a byte-order mark is ignored; an empty file says so', async () => {
    const r = await importOne(write('bom.json', `\ufeff${JSON.stringify({ Records: [trail(1)] })}`));
    expect([r.format, r.imported]).toEqual(['cloudtrail', 1]);
    const e = await importOne(write('empty.json', ''));
    expect(e.errors).toEqual(['empty.json: the file holds no records (it is empty); nothing was imported']);
    // A flow log with its header alone is not empty: it was called so.
    const h = await importOne(
      write(
        'header.log',
        'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n',
      ),
    );
    expect(h.errors).toEqual([
      'header.log: the file holds no records (a flow log header alone, or an empty list of records); nothing was imported',
    ]);
    const list = await importOne(write('none.json', '{"Records": []}'));
    expect(list.errors).toEqual([
      'none.json: the file holds no records (a flow log header alone, or an empty list of records); nothing was imported',
    ]);
  });

  test('a pretty-printed document that is malformed names the file', async () => {
    const r = await importOne(write('bad.json', '{\n  "Records": [\n    {"eventName": "X"\n'));
    expect(r.imported).toBe(0);
    expect(r.errors.join('\n')).toMatch(
      /bad\.json: the file is truncated: it stops inside record 1; the 0 complete records before the cut were read/,
    );
  });

  test('cancelling leaves nothing of the file behind', async () => {
    const file = write('big.ndjson', Array.from({ length: 9000 }, (_, i) => JSON.stringify(trail(i, { eventID: `c${i}` }))).join('\n'));
    let batches = 0;
    // Cancel through the real job service after a few batches have been written.
    const { jobId, result } = s.core.jobs.start({ kind: 't', label: 't' }, (ctx) =>
      t.imports.importPaths(caseNumber, [file], {
        ...ctx,
        throwIfCancelled: () => {
          if (++batches === 3) s.core.jobs.cancel(jobId);
          ctx.throwIfCancelled();
        },
      }),
    );
    await expect(result).rejects.toMatchObject({ code: 'cancelled' });
    expect(t.events.count({ caseNumber }).count).toBe(0);
    expect(s.core.db.prepare('SELECT count(*) AS n FROM search.timeline_fts').get()).toEqual({ n: 0 });
    expect(s.core.db.prepare('SELECT count(*) AS n FROM timeline_raw').get()).toEqual({ n: 0 });
    expect(t.imports.list(caseNumber)[0]).toMatchObject({ imported: 0 });
    const again = await importOne(file);
    expect(again.imported).toBe(9000);
  });
});
