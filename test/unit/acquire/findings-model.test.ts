// The findings inbox against the stateful AWS model (GuardDuty and Security Hub behind the real SDK clients):
// what per-call mocks cannot show, because the state between calls matters (a finding updated between two
// refreshes, a page token valid only for its request, a throttled page in the middle of a listing).
import { afterEach, describe, expect, it } from 'vitest';
import { PullFindingsInput } from '../../../common/contract/acquire';
import * as ops from '../../../main/acquire/operations';
import { createAwsModel } from '../../aws-model';
import { acquireModelEnv, type AcquireModelEnv } from '../../support/acquire-model-env';
import { putGuardDutyFinding, seedDetector, updateGuardDutyFinding, type GuardDutyState } from '../../aws-model/modules/guardduty';
import { enableHub, putHubFinding, updateHubFinding, type SecurityHubState } from '../../aws-model/modules/securityhub';

const REGIONS = ['eu-west-1', 'us-east-1'] as const;
const AT = '2026-11-20T10:00:00.000Z';

type Env = AcquireModelEnv;
let env: Env | null = null;
afterEach(() => {
  env?.cleanup();
  env = null;
});

/**
 * Two regions, each with a GuardDuty detector and Security Hub: GuardDuty
 * findings 5 in eu-west-1 and 3 in us-east-1, listed 2 ids a page;
 * Security Hub 3 Inspector findings in eu-west-1 (2 a page) plus GuardDuty's
 * own copy (which the inbox must not count twice).
 */
function open(): Env {
  const model = createAwsModel();
  for (const region of REGIONS) {
    seedDetector(model, region);
    model.slice<GuardDutyState>('guardduty', region).pageLimit = 2;
    enableHub(model, region);
    model.slice<SecurityHubState>('securityhub', region).pageLimit = 2;
  }
  for (let i = 1; i <= 5; i++)
    putGuardDutyFinding(model, 'eu-west-1', {
      id: `gd-eu-${i}`,
      type: 'Recon:EC2/PortProbeUnprotectedPort',
      severity: 5,
      updatedAt: AT,
      instanceId: `i-0eu${i}`,
    });
  for (let i = 1; i <= 3; i++)
    putGuardDutyFinding(model, 'us-east-1', {
      id: `gd-us-${i}`,
      type: 'UnauthorizedAccess:IAMUser/MaliciousIPCaller',
      severity: 8,
      updatedAt: AT,
      accessKeyId: `AKIAUS${i}`,
    });
  for (let i = 1; i <= 3; i++)
    putHubFinding(model, 'eu-west-1', {
      id: `sh-eu-${i}`,
      type: 'Software and Configuration Checks/Vulnerabilities/CVE',
      label: 'HIGH',
      updatedAt: AT,
      resource: `i-0eu${i}`,
    });
  putHubFinding(model, 'eu-west-1', {
    id: 'sh-gd-copy',
    type: 'TTPs/Discovery',
    label: 'MEDIUM',
    updatedAt: AT,
    resource: 'i-0eu1',
    product: 'GuardDuty',
  });
  env = acquireModelEnv(model, [...REGIONS], 'Findings');
  return env;
}

const pull = (e: Env, extra: Record<string, unknown> = {}) =>
  ops.pullFindings(e.d, PullFindingsInput.parse({ caseNumber: e.caseNumber, ...extra }));
const ids = (e: Env) =>
  ops
    .listInbox(e.d, {})
    .map((f) => f.findingId)
    .sort();
const ALL = [
  ...[1, 2, 3, 4, 5].map((i) => `gd-eu-${i}`),
  ...[1, 2, 3].map((i) => `gd-us-${i}`),
  ...[1, 2, 3].map((i) => `sh-eu-${i}`),
].sort();

describe('findings inbox over the AWS model (GuardDuty, Security Hub)', () => {
  it('a refresh across two regions follows every page of each, once per finding, and not GuardDuty twice', async () => {
    const e = open();
    const r = await pull(e);
    expect(ids(e)).toEqual(ALL);
    expect(r).toMatchObject({ pulled: 11, new: 11, updated: 0 });
    expect(r.places.every((p) => p.error === null)).toBe(true);
    // eu-west-1: 3 ListFindings pages (2+2+1), us-east-1: 2; Security Hub eu-west-1: 2 pages, each after a token.
    const listFindings = e.model.calls.filter((c) => c.op === 'ListFindings');
    expect(listFindings.filter((c) => c.region === 'eu-west-1')).toHaveLength(3);
    expect(listFindings.filter((c) => c.region === 'us-east-1')).toHaveLength(2);
    expect(e.model.calls.filter((c) => c.service === 'securityhub' && c.op === 'GetFindings' && c.region === 'eu-west-1')).toHaveLength(2);
    expect(e.model.unhandled).toEqual([]);
    // A second refresh with nothing changed adds nothing and updates nothing.
    expect(await pull(e)).toMatchObject({ pulled: 11, new: 0, updated: 0 });
    expect(ids(e)).toEqual(ALL);
  });

  it('a finding updated in AWS between refreshes stays one inbox row: updated, its triage state kept and flagged as changed since', async () => {
    const e = open();
    await pull(e);
    const gd = ops.listInbox(e.d, {}).find((f) => f.findingId === 'gd-us-2')!;
    const sh = ops.listInbox(e.d, {}).find((f) => f.findingId === 'sh-eu-1')!;
    ops.triageFinding(e.d, { inboxId: gd.id, state: 'triaged', note: 'known scanner' });
    ops.triageFinding(e.d, { inboxId: sh.id, state: 'dismissed' });
    updateGuardDutyFinding(e.model, 'us-east-1', 'gd-us-2', '2026-11-21T08:00:00.000Z', 9.1);
    updateHubFinding(e.model, 'eu-west-1', 'sh-eu-1', '2026-11-21T09:00:00.000Z', { label: 'CRITICAL' });
    const r = await pull(e);
    expect(r).toMatchObject({ pulled: 11, new: 0, updated: 2 });
    const rows = ops.listInbox(e.d, {}).filter((f) => f.findingId === 'gd-us-2' || f.findingId === 'sh-eu-1');
    expect(rows).toHaveLength(2);
    const gd2 = rows.find((f) => f.findingId === 'gd-us-2')!;
    expect(gd2).toMatchObject({
      id: gd.id,
      state: 'triaged',
      severityLabel: 'critical',
      lastSeen: '2026-11-21T08:00:00.000Z',
      updatedSinceTriage: true,
    });
    expect(gd2.note).toBe('known scanner');
    expect(rows.find((f) => f.findingId === 'sh-eu-1')).toMatchObject({
      id: sh.id,
      state: 'dismissed',
      severityLabel: 'critical',
      updatedSinceTriage: true,
    });
  });

  it('throttling in the middle of a pagination is retried and the refresh completes with every finding', async () => {
    const e = open();
    const gd = e.model.inject({
      service: 'guardduty',
      op: 'ListFindings',
      when: (i) => Boolean(i.NextToken),
      fault: { kind: 'throttle', times: 2 },
    });
    const sh = e.model.inject({
      service: 'securityhub',
      op: 'GetFindings',
      when: (i) => Boolean(i.NextToken),
      fault: { kind: 'throttle', times: 2 },
    });
    const r = await pull(e);
    expect(gd.hits).toBe(2);
    expect(sh.hits).toBe(2);
    expect(r.places.every((p) => p.error === null)).toBe(true);
    expect(ids(e)).toEqual(ALL);
    expect(e.model.calls.filter((c) => c.code === 'TooManyRequestsException')).toHaveLength(4);
  });

  it('a reply lost after GuardDuty answered (the SDK retries the read) brings the same findings, not duplicates', async () => {
    const e = open();
    e.model.inject({ service: 'guardduty', op: 'GetFindings', nth: 2, fault: { kind: 'drop-reply-retried' } });
    await pull(e);
    expect(ids(e)).toEqual(ALL);
  });

  it('AccessDenied in one region names the IAM action and the other region is still pulled; Security Hub off is said, not fatal', async () => {
    const e = open();
    e.model.slice<SecurityHubState>('securityhub', 'us-east-1').hub = null;
    e.model.inject({
      service: 'guardduty',
      op: 'ListDetectors',
      when: (_i, region) => region === 'eu-west-1',
      fault: {
        kind: 'fail',
        code: 'AccessDeniedException',
        status: 403,
        message: 'User is not authorized to perform: guardduty:ListDetectors',
      },
    });
    const r = await pull(e);
    const place = (region: string, source: string) => r.places.find((p) => p.region === region && p.source === source)!;
    expect(place('eu-west-1', 'guardduty').error).toContain('guardduty:ListDetectors');
    expect(place('us-east-1', 'securityhub').error).toMatch(/not subscribed/i);
    expect(place('us-east-1', 'guardduty')).toMatchObject({ found: 3, error: null });
    expect(ids(e)).toEqual([...[1, 2, 3].map((i) => `gd-us-${i}`), ...[1, 2, 3].map((i) => `sh-eu-${i}`)].sort());
  });

  it('a detector disabled in one region, and Security Hub off in it, show as blind spots of that region only', async () => {
    const e = open();
    const det = Object.keys(e.model.slice<GuardDutyState>('guardduty', 'us-east-1').detectors)[0]!;
    e.model.slice<GuardDutyState>('guardduty', 'us-east-1').detectors[det]!.Status = 'DISABLED';
    e.model.slice<SecurityHubState>('securityhub', 'us-east-1').hub = null;
    const map = await ops.loggingCoverage(e.d, { caseNumber: e.caseNumber });
    const cell = (region: string) => map.regions.find((c) => c.region === region)!;
    expect(cell('us-east-1').guardDuty).toMatchObject({ enabled: false, detectorId: det, status: 'DISABLED' });
    expect(cell('us-east-1').securityHub).toEqual({ enabled: false });
    expect(cell('us-east-1').gaps).toEqual(expect.arrayContaining(['GuardDuty is off', 'Security Hub is off']));
    expect(cell('eu-west-1').guardDuty).toMatchObject({ enabled: true, status: 'ENABLED' });
    expect(cell('eu-west-1').gaps).not.toContain('GuardDuty is off');
    expect(cell('eu-west-1').gaps).not.toContain('Security Hub is off');
  });
});
