import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeServices, type TestServices } from '../../helpers/services';
import { ensureTestIdentity } from '../../helpers/identity';
import { instanceFactsFromFinding } from '../../../main/assets/instance-facts';

const DEMO = path.resolve(import.meta.dirname, '../../../resources/demo');
let s: TestServices | undefined;
afterEach(() => {
  s?.cleanup();
  s = undefined;
});

async function caseWith(file: string) {
  s = makeServices();
  ensureTestIdentity(s);
  const c = s.core.cases.create({ title: 'findings', severity: 'high' });
  await s.timeline.imports.importPaths(c.number, [path.join(DEMO, file)]);
  return { s, n: c.number, findings: s.timeline.findings.list(c.number) };
}

describe('assets made from a finding carry its instance details', () => {
  it('GuardDuty: state, type, IPs, VPC, subnet, groups and interfaces from Resource.InstanceDetails', async () => {
    const { s, n, findings } = await caseWith('guardduty/blu371ck-samples/Trojan-EC2-DropPoint.json');
    const f = findings[0]!;
    await s.handlers.addFindingAssets({ caseNumber: n, findingId: f.id });
    const asset = s.core.assets.find(n, 'ec2-instance', 'i-99999999')!;
    expect(asset.details).toMatchObject({
      state: 'running',
      instanceType: 'm3.xlarge',
      privateIp: '10.0.0.1',
      publicIp: '198.51.100.1',
      vpcId: 'vpc-generatedvpcid1',
      subnetId: 'GeneratedFindingSubnetId1',
      availabilityZone: 'generated-az-1a',
      instanceProfileArn: 'arn:aws:iam::1234567891234:instance-profile/generated',
      factsSource: `GuardDuty finding ${f.findingId}`,
      fromFinding: `guardduty:${f.findingId}`,
    });
    expect((asset.details.securityGroups as { id: string }[]).map((g) => g.id)).toContain('GeneratedFindingSecurityId1');
    expect((asset.details.networkInterfaces as { id: string }[])[0]!.id).toBe('eni-abcdef00');
  });

  it('Security Hub: VPC, subnet, type and interfaces from Resources[].Details.AwsEc2Instance', async () => {
    const { s, n, findings } = await caseWith('securityhub/aws-solutions/afsbp-ec2.8.json');
    const f = findings.find((x) => x.resources.some((r) => r.type === 'ec2-instance'))!;
    await s.handlers.addFindingAssets({ caseNumber: n, findingId: f.id });
    const asset = s.core.assets.find(n, 'ec2-instance', 'i-077c4d5f32561ac45')!;
    expect(asset.details).toMatchObject({
      vpcId: 'vpc-0771fca5bdb3f07f5',
      subnetId: 'subnet-016e21c9895ea4ded',
      factsSource: expect.stringContaining('Security Hub'),
    });
  });

  it('never overwrites what a live description from AWS recorded', async () => {
    const { s, n, findings } = await caseWith('guardduty/blu371ck-samples/Trojan-EC2-DropPoint.json');
    s.core.assets.upsert({
      caseNumber: n,
      kind: 'ec2-instance',
      identifier: 'i-99999999',
      details: { state: 'stopped', privateIp: '10.9.9.9', describedAt: '2026-11-27T09:00:00.000Z' },
    });
    await s.handlers.addFindingAssets({ caseNumber: n, findingId: findings[0]!.id });
    const asset = s.core.assets.find(n, 'ec2-instance', 'i-99999999')!;
    expect(asset.details).toMatchObject({ state: 'stopped', privateIp: '10.9.9.9', vpcId: 'vpc-generatedvpcid1' });
  });

  it('says nothing about an instance the finding does not describe', () => {
    expect(
      instanceFactsFromFinding('guardduty', { Resource: { InstanceDetails: { InstanceId: 'i-1' } } }, 'i-2', {
        findingId: 'x',
        lastSeen: null,
      }),
    ).toBeNull();
    expect(instanceFactsFromFinding('securityhub', { Resources: [] }, 'i-2', { findingId: 'x', lastSeen: null })).toBeNull();
  });
});
