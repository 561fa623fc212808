import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PullFindingsInput } from '../../../common/contract/acquire';
import * as ops from '../../../main/acquire/operations';
import { ACCOUNT, REGION, awsError, custodyBodies, setup, type Env } from './fixtures';

let e: Env;
beforeEach(() => {
  e = setup();
});
afterEach(() => e.cleanup());

const demo = path.resolve('resources/demo');
/** Real public GuardDuty and Security Hub samples, shaped as GetFindings returns them. */
const gdSample = (name: string) =>
  JSON.parse(fs.readFileSync(path.join(demo, 'guardduty/blu371ck-samples', name), 'utf8')) as Record<string, unknown>;
const shSample = (name: string) =>
  JSON.parse(fs.readFileSync(path.join(demo, 'securityhub/aws-solutions', name), 'utf8')) as Record<string, unknown>;

function gd(i: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const base = gdSample('UnauthorizedAccess-EC2-SSHBruteForce.json');
  // The sample is an EventBridge event: the finding (API shape, PascalCase) is its detail.
  const f = (base.detail ?? base) as Record<string, unknown>;
  return { ...f, Id: `gd-${i}`, AccountId: ACCOUNT, Region: REGION, UpdatedAt: '2026-11-20T10:00:00.000Z', ...extra };
}

function sh(i: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const base = shSample('afsbp-ec2.1.json');
  const f = (base.detail ? ((base.detail as { findings: Record<string, unknown>[] }).findings[0] ?? base) : base) as Record<
    string,
    unknown
  >;
  return {
    ...f,
    Id: `arn:aws:securityhub:${REGION}:${ACCOUNT}:finding/${i}`,
    AwsAccountId: ACCOUNT,
    Region: REGION,
    UpdatedAt: '2026-11-20T10:00:00.000Z',
    ...extra,
  };
}

/** Two detectors pages, two ListFindings pages of the first detector, Security Hub in two pages. */
function stubFindings(): void {
  e.mock
    .on('guardduty', 'ListDetectors', (i) => (i.NextToken ? { DetectorIds: [] } : { DetectorIds: ['det-1'], NextToken: 'd2' }))
    .on('guardduty', 'ListFindings', (i) => (i.NextToken ? { FindingIds: ['gd-3'] } : { FindingIds: ['gd-1', 'gd-2'], NextToken: 'f2' }))
    .on('guardduty', 'GetFindings', (i) => ({ Findings: (i.FindingIds as string[]).map((id) => gd(Number(id.slice(3)))) }))
    .on('securityhub', 'GetFindings', (i) => (i.NextToken ? { Findings: [sh(2)] } : { Findings: [sh(1)], NextToken: 's2' }));
}

describe('findings inbox', () => {
  it('pulls GuardDuty and Security Hub every page, with the filters sent to AWS', async () => {
    stubFindings();
    const r = await ops.pullFindings(
      e.d,
      PullFindingsInput.parse({
        caseNumber: e.caseNumber,
        severity: 'high',
        types: ['UnauthorizedAccess:EC2/SSHBruteForce'],
        window: { from: '2026-11-19', to: '2026-11-21' },
      }),
    );
    expect(r).toMatchObject({ pulled: 5, new: 5, updated: 0 });
    expect(e.mock.of('guardduty', 'ListDetectors')).toHaveLength(2);
    const lf = e.mock.of('guardduty', 'ListFindings');
    expect(lf.map((c) => c.NextToken ?? null)).toEqual([null, 'f2']);
    expect(lf[0]).toMatchObject({
      DetectorId: 'det-1',
      FindingCriteria: {
        Criterion: {
          severity: { Gte: 7 },
          type: { Eq: ['UnauthorizedAccess:EC2/SSHBruteForce'] },
          updatedAt: { Gte: Date.parse('2026-11-19'), Lte: Date.parse('2026-11-22') },
        },
      },
    });
    expect(e.mock.of('guardduty', 'GetFindings').map((c) => c.FindingIds)).toEqual([['gd-1', 'gd-2'], ['gd-3']]);
    const shCalls = e.mock.of('securityhub', 'GetFindings');
    expect(shCalls.map((c) => c.NextToken ?? null)).toEqual([null, 's2']);
    expect(shCalls[0]!.Filters).toMatchObject({
      SeverityLabel: [
        { Value: 'HIGH', Comparison: 'EQUALS' },
        { Value: 'CRITICAL', Comparison: 'EQUALS' },
      ],
      ProductName: [{ Value: 'GuardDuty', Comparison: 'NOT_EQUALS' }],
      RecordState: [{ Value: 'ACTIVE', Comparison: 'EQUALS' }],
    });
    const inbox = ops.listInbox(e.d, {});
    expect(inbox).toHaveLength(5);
    expect(inbox.every((i) => i.state === 'new')).toBe(true);
    expect(inbox.find((i) => i.findingId === 'gd-1')).toMatchObject({
      source: 'guardduty',
      account: ACCOUNT,
      region: REGION,
      resource: expect.any(String),
    });
    const acq = ops.listAcquisitions(e.d, e.caseNumber);
    expect(acq[0]).toMatchObject({ kind: 'findings', state: 'done' });
  });

  it('keeps triage across pulls, and says when AWS updated a triaged finding', async () => {
    stubFindings();
    await ops.pullFindings(e.d, PullFindingsInput.parse({ caseNumber: e.caseNumber, sources: ['guardduty'] }));
    const item = ops.listInbox(e.d, {}).find((i) => i.findingId === 'gd-2')!;
    ops.triageFinding(e.d, { inboxId: item.id, state: 'dismissed', note: 'known scanner' });
    e.mock.on('guardduty', 'GetFindings', (i) => ({
      Findings: (i.FindingIds as string[]).map((id) =>
        gd(Number(id.slice(3)), id === 'gd-2' ? { UpdatedAt: '2026-11-21T08:00:00.000Z' } : {}),
      ),
    }));
    const r = await ops.pullFindings(e.d, PullFindingsInput.parse({ caseNumber: e.caseNumber, sources: ['guardduty'] }));
    expect(r).toMatchObject({ new: 0, updated: 1 });
    const after = ops.listInbox(e.d, { states: ['dismissed'] });
    expect(after).toEqual([
      expect.objectContaining({ findingId: 'gd-2', state: 'dismissed', note: 'known scanner', updatedSinceTriage: true }),
    ]);
    expect(ops.listInbox(e.d, { states: ['new'] })).toHaveLength(2);
  });

  it('filters on a resource the finding names', async () => {
    stubFindings();
    e.mock.on('guardduty', 'GetFindings', (i) => ({
      Findings: (i.FindingIds as string[]).map((id) =>
        gd(
          Number(id.slice(3)),
          id === 'gd-3' ? { Resource: { ResourceType: 'Instance', InstanceDetails: { InstanceId: 'i-0abc1234def567890' } } } : {},
        ),
      ),
    }));
    const r = await ops.pullFindings(e.d, PullFindingsInput.parse({ caseNumber: e.caseNumber, resource: 'i-0abc1234def567890' }));
    expect(e.mock.of('securityhub', 'GetFindings')[0]!.Filters).toMatchObject({
      ResourceId: [{ Value: 'i-0abc1234def567890', Comparison: 'EQUALS' }],
    });
    expect(ops.listInbox(e.d, { source: 'guardduty' }).map((i) => i.findingId)).toEqual(['gd-3']);
    expect(r.places.every((p) => p.error === null)).toBe(true);
  });

  it('reports a region where a service refuses, and names the IAM action when every place fails', async () => {
    stubFindings();
    e.mock.failNext('securityhub', 'GetFindings', awsError('InvalidAccessException', 'Account is not subscribed to AWS Security Hub'));
    const r = await ops.pullFindings(e.d, PullFindingsInput.parse({ caseNumber: e.caseNumber }));
    expect(r.places.find((p) => p.source === 'securityhub')!.error).toContain('not subscribed');
    expect(r.pulled).toBe(3);
    e.mock.failNext('guardduty', 'ListDetectors', awsError('AccessDeniedException', 'denied'));
    await expect(
      ops.pullFindings(e.d, PullFindingsInput.parse({ caseNumber: e.caseNumber, sources: ['guardduty'] })),
    ).rejects.toMatchObject({
      code: 'aws-access-denied',
      message: expect.stringContaining('guardduty:ListDetectors'),
    });
  });

  it('retries throttling on GetFindings', async () => {
    stubFindings();
    e.mock.failNext('securityhub', 'GetFindings', awsError('TooManyRequestsException'));
    const r = await ops.pullFindings(e.d, PullFindingsInput.parse({ caseNumber: e.caseNumber, sources: ['securityhub'] }));
    expect(r.pulled).toBe(2);
    expect(e.mock.of('securityhub', 'GetFindings')).toHaveLength(3);
  });

  it('opens a case from a finding: its JSON is acquired evidence with custody, imported, with its assets', async () => {
    stubFindings();
    await ops.pullFindings(e.d, PullFindingsInput.parse({ regions: [REGION], sources: ['guardduty'] }));
    const item = ops.listInbox(e.d, {}).find((i) => i.findingId === 'gd-1')!;
    const r = await ops.openCaseFromInbox(e.d, { inboxId: item.id });
    expect(r.case).toMatchObject({ title: item.title, accounts: [ACCOUNT], regions: [REGION] });
    expect(r.item).toMatchObject({ state: 'in-case', cases: [r.case.number] });
    const ev = e.s.custody.vault.get(r.case.number, r.evidenceId);
    expect(ev).toMatchObject({ kind: 'finding', source: { account: ACCOUNT, region: REGION, resource: 'gd-1' } });
    expect(ev.acquisition.method).toContain('guardduty:GetFindings');
    const stored = JSON.parse(fs.readFileSync(path.join(e.s.core.paths.vaultDir, ev.vaultPath!), 'utf8')) as { Findings: unknown[] };
    expect(stored.Findings[0]).toEqual(e.d.inbox.raw(item.id));
    expect(custodyBodies(e.s, r.case.number).find((b) => b.evidence?.id === r.evidenceId)!.action).toBe('acquired');
    const findings = e.s.timeline.findings.list(r.case.number);
    expect(findings).toEqual([expect.objectContaining({ source: 'guardduty', findingId: 'gd-1' })]);
    expect(e.s.core.assets.list(r.case.number).length).toBeGreaterThan(0);
  });

  it('attaches a finding to an existing case, and refuses an unknown inbox id', async () => {
    stubFindings();
    await ops.pullFindings(e.d, PullFindingsInput.parse({ caseNumber: e.caseNumber, sources: ['securityhub'] }));
    const item = ops.listInbox(e.d, {})[0]!;
    const r = await ops.attachInboxFinding(e.d, { inboxId: item.id, caseNumber: e.caseNumber });
    expect(r.case.number).toBe(e.caseNumber);
    expect(e.s.timeline.findings.list(e.caseNumber)).toHaveLength(1);
    await expect(ops.attachInboxFinding(e.d, { inboxId: 999, caseNumber: e.caseNumber })).rejects.toMatchObject({ code: 'not-found' });
  });
});
