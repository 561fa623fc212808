import { describe, expect, it } from 'vitest';
import { formatUsd, lastDays, listOf, lookupFilter, utcInstant, windowOf } from '../../../renderer/features/acquire/form-input';
import { validationGroups, VERDICT_TEXT } from '../../../renderer/features/acquire/validation-groups';
import { coverageCells } from '../../../renderer/features/acquire/coverage-cells';
import { athenaFigures } from '../../../renderer/features/acquire/athena-figures';
import { emptyPullForm, pullInput } from '../../../renderer/features/inbox/pull-input';
import { acquireContract, type CloudTrailValidation, type RegionCoverage, type ValidationFile } from '../../../common/contract/acquire';

describe('acquisition form helpers', () => {
  it('reads lists, UTC times and windows the way the contract expects them', () => {
    expect(listOf(' eu-west-1, us-east-1 eu-west-1 ')).toEqual(['eu-west-1', 'us-east-1']);
    expect(listOf('  ')).toBeUndefined();
    expect(listOf('TTPs/Initial Access/x, Software and Configuration Checks', true)).toEqual([
      'TTPs/Initial Access/x',
      'Software and Configuration Checks',
    ]);
    expect(utcInstant('2026-11-20T09:05')).toBe('2026-11-20T09:05:00Z');
    expect(utcInstant('2026-11-20T09:05:07')).toBe('2026-11-20T09:05:07Z');
    expect(utcInstant('2026-11-20')).toBe('2026-11-20');
    expect(windowOf('', '')).toBeUndefined();
    expect(windowOf('2026-11-20T09:00', '')).toEqual({ from: '2026-11-20T09:00:00Z', to: '' });
    expect(lastDays(1, Date.parse('2026-11-20T12:34:56Z'))).toEqual({ from: '2026-11-19T12:34', to: '2026-11-20T12:34' });
    expect(formatUsd(0.001)).toBe('< $0.01');
    expect(formatUsd(0)).toBe('$0.00');
    expect(formatUsd(1.234)).toBe('$1.23');
    expect(lookupFilter('none', 'x')).toEqual({});
    expect(lookupFilter('eventName', ' StopLogging ')).toEqual({ eventName: 'StopLogging' });
    expect(lookupFilter('principal', '  ')).toEqual({});
  });

  it('a lookup-events form always yields input the contract accepts (one filter at most)', () => {
    const parsed = acquireContract.acquireLookupEvents.input.safeParse({
      caseNumber: 'IR-2026-0001',
      window: { from: utcInstant('2026-11-20T09:00'), to: utcInstant('2026-11-20T10:00') },
      regions: listOf('eu-west-1'),
      ...lookupFilter('accessKeyId', 'AKIAEXAMPLEKEY000001'),
    });
    expect(parsed.success).toBe(true);
  });

  it('a pull form sends only what was given, and the contract accepts it', () => {
    const form = {
      ...emptyPullForm(['eu-west-1']),
      severity: 'high' as const,
      types: 'Recon:EC2/PortProbeUnprotectedPort',
      resource: ' i-0abc ',
    };
    const input = pullInput(form);
    expect(input).toEqual({
      regions: ['eu-west-1'],
      sources: undefined,
      severity: 'high',
      types: ['Recon:EC2/PortProbeUnprotectedPort'],
      resource: 'i-0abc',
      window: undefined,
      scope: undefined,
    });
    expect(acquireContract.pullFindings.input.safeParse(input).success).toBe(true);
    const org = pullInput({
      ...form,
      sources: ['guardduty'],
      organization: true,
      roleName: 'Audit',
      from: '2026-11-01T00:00',
      to: '2026-11-02T00:00',
    });
    expect(org.sources).toEqual(['guardduty']);
    expect(org.scope).toEqual({ accounts: undefined, organization: true, roleName: 'Audit' });
    expect(acquireContract.pullFindings.input.safeParse(org).success).toBe(true);
    // No region and no case: refused by main's schema, not silently widened here.
    expect(acquireContract.pullFindings.input.safeParse(pullInput(emptyPullForm())).success).toBe(false);
  });
});

const file = (key: string, status: ValidationFile['status']): ValidationFile => ({
  kind: 'log',
  bucket: 'b',
  key,
  account: '111122223333',
  region: 'eu-west-1',
  evidenceId: 1,
  status,
  reason: status === 'authentic' ? null : status,
});

describe('validation groups', () => {
  it('puts every file in exactly one group: changed or deleted, missing, not proven, authentic', () => {
    const statuses: ValidationFile['status'][] = ['authentic', 'changed', 'deleted', 'missing', 'unverified', 'not-acquired'];
    const v: CloudTrailValidation = {
      caseNumber: 'IR-2026-0001',
      validatedAt: '2026-11-20T00:00:00Z',
      verdict: 'tampered',
      digests: { total: 1, valid: 1, invalid: 0 },
      logs: { authentic: 1, changed: 1, deleted: 1, unverified: 1, notAcquired: 1 },
      keys: [],
      files: statuses.map((s) => file(s, s)),
      problems: [],
    };
    const groups = validationGroups(v);
    expect(Object.fromEntries(groups.map((g) => [g.id, g.files.map((f) => f.key)]))).toEqual({
      changed: ['changed', 'deleted'],
      missing: ['missing'],
      unchecked: ['unverified', 'not-acquired'],
      authentic: ['authentic'],
    });
    expect(groups.flatMap((g) => g.files)).toHaveLength(statuses.length);
    expect(Object.keys(VERDICT_TEXT).sort()).toEqual(['incomplete', 'intact', 'nothing-to-validate', 'tampered']);
  });
});

const region = (over: Partial<RegionCoverage>): RegionCoverage => ({
  account: '111122223333',
  region: 'eu-west-1',
  trails: [],
  flowLogs: { vpcs: 0, resources: [] },
  guardDuty: { enabled: false, detectorId: null, status: null },
  securityHub: { enabled: false },
  gaps: [],
  errors: [],
  ...over,
});
const trail = { name: 'main', arn: 'arn', homeRegion: 'eu-west-1', organization: false, bucket: 'b', prefix: null };

describe('coverage cells', () => {
  it('marks a region with nothing as a blind spot in every column', () => {
    expect(coverageCells(region({})).map((c) => c.state)).toEqual(['gap', 'gap', 'gap', 'gap', 'gap', 'gap', 'gap']);
  });
  it('one good trail covers the region; a stopped trail does not; an unknown check is never shown as covered', () => {
    const good = { ...trail, multiRegion: true, logging: true, validation: true, dataEvents: true };
    const cells = coverageCells(
      region({
        trails: [good, { ...good, name: 'old', logging: false, validation: false }],
        flowLogs: { vpcs: 2, resources: [] },
        guardDuty: { enabled: true, detectorId: 'd', status: 'ENABLED' },
        securityHub: { enabled: true },
      }),
    );
    expect(cells.map((c) => c.state)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok']);
    expect(cells[0]!.text).toBe('main, old (stopped)');
    const stopped = coverageCells(region({ trails: [{ ...good, logging: false }] }));
    expect(stopped[0]!.state).toBe('gap');
    const unknown = coverageCells(region({ trails: [{ ...good, dataEvents: null }], flowLogs: null, guardDuty: null, securityHub: null }));
    expect(unknown.slice(3).map((c) => c.state)).toEqual(['unknown', 'unknown', 'unknown', 'unknown']);
  });
});

describe('athena figures', () => {
  it('reads the estimate and the statistics, ignoring values of the wrong type', () => {
    expect(
      athenaFigures({
        result: { estimatedBytes: 10, estimatedCostUsd: 0.5, bytesScanned: 4, costUsd: 0.1, queryExecutionId: 'q', state: 'SUCCEEDED' },
      }),
    ).toEqual({
      queryExecutionId: 'q',
      estimatedBytes: 10,
      estimatedCostUsd: 0.5,
      bytesScanned: 4,
      costUsd: 0.1,
      state: 'SUCCEEDED',
    });
    expect(athenaFigures({ result: { bytesScanned: '4', costUsd: Number.NaN } })).toMatchObject({
      bytesScanned: null,
      costUsd: null,
      queryExecutionId: null,
    });
  });
});
