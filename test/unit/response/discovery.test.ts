import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { filtersFor } from '../../../main/response/discovery';
import { ACCOUNT, ID, PROFILE_ARN, REGION, TG_ARN, VPC, setup, stubInstance, type Env } from './fixtures';
import { awsError } from './aws-mock';

let e: Env;
beforeEach(() => {
  e = setup();
  stubInstance(e.mock);
});
afterEach(() => e.cleanup());

describe('discovery', () => {
  it('turns a query into DescribeInstances filters', () => {
    expect(filtersFor(ID)).toEqual([[{ Name: 'instance-id', Values: [ID] }]]);
    expect(filtersFor('10.0.1.15')).toEqual([
      [{ Name: 'private-ip-address', Values: ['10.0.1.15'] }],
      [{ Name: 'ip-address', Values: ['10.0.1.15'] }],
    ]);
    expect(filtersFor('env = prod')).toEqual([[{ Name: 'tag:env', Values: ['prod'] }]]);
    expect(filtersFor('web')).toEqual([[{ Name: 'tag:Name', Values: ['*web*'] }]]);
  });

  it('searches every region of the case and merges what it finds', async () => {
    e.s.core.cases.update({ caseNumber: e.caseNumber, patch: { regions: [REGION, 'us-east-1'] } });
    const found = await e.feature.response.find(e.caseNumber, '203.0.113.10');
    const calls = e.mock.of('ec2', 'DescribeInstances');
    expect(calls).toHaveLength(4);
    expect(calls.map((c) => (c.Filters as { Name: string }[])[0]!.Name)).toEqual([
      'private-ip-address',
      'ip-address',
      'private-ip-address',
      'ip-address',
    ]);
    // The mock answers the same instance in both regions: one result per region.
    expect(found.map((f) => [f.instanceId, f.region, f.name, f.account])).toEqual([
      [ID, REGION, 'web-1', ACCOUNT],
      [ID, 'us-east-1', 'web-1', ACCOUNT],
    ]);
  });

  it('describes network, profile, Auto Scaling group, target groups, volumes, Elastic IPs and SSM', async () => {
    const d = await e.feature.response.describe(e.caseNumber, REGION, ID);
    expect(d).toMatchObject({
      instanceId: ID,
      vpcId: VPC,
      platform: 'linux',
      instanceProfileArn: PROFILE_ARN,
      instanceProfileRole: 'web-role',
      autoScalingGroup: 'web-asg',
      autoScalingState: 'InService',
      targetGroups: [{ arn: TG_ARN, name: 'web-tg', port: 80, health: 'healthy' }],
      volumes: [
        { id: 'vol-1', device: '/dev/xvda', sizeGiB: 8, encrypted: true, deleteOnTermination: true },
        { id: 'vol-2', device: '/dev/xvdf', sizeGiB: 100, encrypted: true, deleteOnTermination: true },
      ],
      elasticIps: [{ publicIp: '203.0.113.10', allocationId: 'eipalloc-1', associationId: 'eipassoc-1' }],
      ssm: { managed: true, pingStatus: 'Online' },
      networkInterfaces: [
        { id: 'eni-1', groups: ['sg-web', 'sg-ssh'] },
        { id: 'eni-2', groups: ['sg-db'] },
      ],
    });
    expect(e.mock.of('autoscaling', 'DescribeAutoScalingInstances')).toEqual([{ InstanceIds: [ID] }]);
    expect(e.mock.of('elbv2', 'DescribeTargetHealth').map((c) => c.TargetGroupArn)).toHaveLength(2);
    expect(e.mock.of('ssm', 'DescribeInstanceInformation')).toEqual([{ Filters: [{ Key: 'InstanceIds', Values: [ID] }] }]);
  });

  it('keeps going without an enrichment it may not read, and says which', async () => {
    e.mock.failNext('autoscaling', 'DescribeAutoScalingInstances', awsError('AccessDenied'));
    const asset = await e.feature.response.addInstance(e.caseNumber, REGION, ID);
    expect(asset.kind).toBe('ec2-instance');
    expect(asset.identifier).toBe(ID);
    expect(asset.label).toBe('web-1');
    expect(asset.details.autoScalingGroup).toBeNull();
    expect(asset.details.warnings).toEqual([expect.stringContaining('autoscaling:DescribeAutoScalingInstances')]);
  });

  it('says which instance and region when it does not exist', async () => {
    e.mock.on('ec2', 'DescribeInstances', { Reservations: [] });
    await expect(e.feature.response.describe(e.caseNumber, REGION, 'i-0000000000000dead')).rejects.toMatchObject({
      code: 'aws-not-found',
      message: expect.stringContaining('eu-west-1'),
    });
  });
});
