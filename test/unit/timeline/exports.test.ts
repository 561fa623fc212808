import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { makeTimeline } from './fake-evidence';
import type { TimelineFeature } from '../../../main/timeline';
import type { TestServices } from '../../helpers/services';
import type { ImportFileReport } from '../../../common/contract/timeline';
import { parseFlowFormat } from '../../../main/timeline/importers/flowlogs';

const FIX = path.resolve(__dirname, '../../fixtures/timeline');
let s: TestServices;
let t: TimelineFeature;
let caseNumber: string;
const one = async (name: string, flowFields?: string[]): Promise<ImportFileReport> =>
  (await t.imports.importPaths(caseNumber, [path.join(FIX, name)], undefined, { flowFields })).files[0]!;
const where = (column: string, value: string) =>
  t.events.query({ caseNumber, where: [{ column: column as never, value }], limit: 100 }).events;

beforeAll(() => {
  ({ s, t } = makeTimeline());
  caseNumber = s.core.cases.create({ title: 'exports', severity: 'low' }).number;
});
afterAll(() => s.cleanup());

describe('AWS exports beyond delivery files', () => {
  test('CloudTrail Insights: their own event type, the API and the insight as columns', async () => {
    const r = await one('insights.json');
    expect([r.format, r.imported, r.rejected]).toEqual(['cloudtrail', 2, 0]);
    const ev = where('eventType', 'awscloudtrailinsight');
    expect(ev.map((e) => [e.action, e.eventSource, e.resource?.split(' (')[0]])).toEqual([
      ['CreateAccessKey', 'iam.amazonaws.com', 'ApiCallRateInsight Start'],
      ['CreateAccessKey', 'iam.amazonaws.com', 'ApiCallRateInsight End'],
    ]);
    expect(ev[0]!.resource).toMatch(/baseline 0\.0000882145\/min, insight 2\/min/);
  });

  test('a CloudTrail-Insight folder is walked like the CloudTrail one', async () => {
    const dir = path.join(s.dataDir, 'tree', 'AWSLogs', '111122223333', 'CloudTrail-Insight', 'us-east-1', '2024', '03', '04');
    fs.mkdirSync(dir, { recursive: true });
    const text = fs.readFileSync(path.join(FIX, 'insights.json'), 'utf8').replace(/5ab5e1f9/g, '6ab5e1f9');
    fs.writeFileSync(path.join(dir, '111122223333_CloudTrail-Insight_us-east-1_20240304T0915Z_x.json'), text);
    const r = await t.imports.importPaths(caseNumber, [path.join(s.dataDir, 'tree')]);
    expect([r.files.length, r.imported, r.rejected]).toEqual([1, 2, 0]);
  });

  test('lookup-events output: each CloudTrailEvent string is the event; identity columns from it', async () => {
    const r = await one('lookup-events.json');
    expect([r.format, r.imported, r.rejected]).toEqual(['cloudtrail', 2, 0]);
    const [stop] = where('action', 'stoplogging');
    expect(stop).toMatchObject({
      principal: 'DeployRole',
      sessionName: 'mallory-session',
      identityType: 'AssumedRole',
      callerAccount: '444455556666',
      account: '111122223333',
      highlight: 'logging-tampered',
    });
    const [list] = where('action', 'ListBuckets');
    expect([list!.principal, list!.identityType, list!.errorCode]).toEqual([
      '94482488-3041-7026-18f3-be45837cd0e4',
      'IdentityCenterUser',
      'AccessDenied',
    ]);
    // The raw record is the lookup-events entry exactly as in the file.
    const detail = t.events.get(caseNumber, stop!.id);
    expect(JSON.parse(detail.rawText)).toMatchObject({ EventName: 'StopLogging' });
  });

  test('CloudTrail Lake results: rows become events; the one already held (same eventID, account, time, name) is skipped', async () => {
    const r = await one('lake-results.json');
    expect([r.format, r.imported, r.duplicates, r.rejected]).toEqual(['cloudtrail', 1, 1, 0]);
    expect(r.duplicatesOf).toEqual([{ evidenceId: expect.any(Number), file: 'lookup-events.json', count: 1 }]);
    const [del] = where('action', 'DeleteTrail');
    expect([del!.principal, del!.callerAccount, del!.time]).toEqual(['DeployRole', '444455556666', '2024-03-04T09:25:00.000Z']);
  });

  test('Security Lake OCSF: API Activity becomes CloudTrail events, findings become findings; other classes are refused by name', async () => {
    const a = await one('ocsf-api-activity.ndjson');
    expect([a.format, a.imported, a.rejected]).toEqual(['cloudtrail', 2, 0]);
    const [secret] = where('action', 'GetSecretValue');
    expect(secret).toMatchObject({
      errorCode: 'AccessDenied',
      principal: 'DeployRole',
      callerAccount: '444455556666',
      sourceIp: '203.0.113.66',
    });
    expect(where('principal', 'ROOT').map((e) => e.action)).toEqual(['ConsoleLogin']);
    const f = await one('ocsf-findings.json');
    expect([f.imported, f.findings, f.rejected]).toEqual([2, 2, 1]);
    expect(f.errors.join('\n')).toMatch(/OCSF record of class 4001 \(Network Activity\); Lariat reads OCSF API Activity \(6003/);
    expect(t.findings.list(caseNumber).map((x) => [x.source, x.severityLabel])).toEqual(
      expect.arrayContaining([
        ['securityhub', 'high'],
        ['guardduty', 'medium'],
      ]),
    );
  });

  test('flow logs: a v5 header, a Transit Gateway header (v6 fields), and a header-less custom format given its format', async () => {
    const v5 = await one('flow-v5.log');
    expect([v5.format, v5.imported]).toEqual(['vpcflow', 2]);
    const tgw = await one('tgw-flow.log');
    expect([tgw.format, tgw.imported, tgw.rejected]).toEqual(['vpcflow', 1, 0]);
    expect(where('eventType', 'TransitGatewayFlow').map((e) => [e.resource, e.sourceIp])).toEqual([
      ['tgw-attach-0a1b2c3d4e5f6071', '10.0.1.5'],
    ]);
    const refused = await one('flow-custom-noheader.log');
    expect([refused.imported, refused.rejected]).toEqual([0, 1]);
    expect(refused.errors.join('\n')).toMatch(/a VPC flow log without a header line, in a custom format \(13 fields.*--flow-format/);
    const format =
      '${version} ${vpc-id} ${subnet-id} ${instance-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${start} ${end} ${action} ${log-status}';
    // The same bytes again are a duplicate file; a copy with another name and hash is read with the format.
    const copy = path.join(s.dataDir, 'custom-copy.log');
    fs.writeFileSync(copy, `${fs.readFileSync(path.join(FIX, 'flow-custom-noheader.log'), 'utf8')}\n`);
    const r = (await t.imports.importPaths(caseNumber, [copy], undefined, { flowFields: parseFlowFormat(format) })).files[0]!;
    expect([r.format, r.imported, r.rejected]).toEqual(['vpcflow', 2, 0]);
    const [flow] = where('resource', 'i-0123456789abcdef0').filter((e) => e.sourceIp === '192.0.2.44');
    expect(t.events.get(caseNumber, flow!.id).raw).toMatchObject({ srcaddr: '192.0.2.44', dstport: '443', 'vpc-id': 'vpc-0a1b2c3d' });
    expect(() => parseFlowFormat('${version} ${colour}')).toThrow(/names fields no flow log version has \(colour\)/);
  });

  test('a GuardDuty sample finding is kept, marked as a sample, and gives no indicator', async () => {
    const r = await one('gd-sample.json');
    expect([r.imported, r.findings]).toEqual([1, 1]);
    const f = t.findings.list(caseNumber).find((x) => x.findingId === 'sample-0001')!;
    expect(t.findings.get(caseNumber, f.id).indicators).toEqual([]);
    const [ev] = where('eventId', 'sample-0001');
    expect([ev!.sample, ev!.eventType]).toEqual([true, 'Finding (sample)']);
    expect(t.candidates.list(caseNumber, 'ip').map((c) => c.value)).not.toContain('0.0.0.0');
  });
});
