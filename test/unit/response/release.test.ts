import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ID, PROFILE_ARN, REGION, TG_ARN, setup, stubInstance, type Env } from './fixtures';
import { awsError } from './aws-mock';

let e: Env;
beforeEach(() => {
  e = setup();
  stubInstance(e.mock);
});
afterEach(() => e.cleanup());

const isolate = async (options: Record<string, unknown> = {}) => {
  const p = await e.feature.response.plan({
    kind: 'isolate',
    caseNumber: e.caseNumber,
    region: REGION,
    instanceId: ID,
    options: { asgMode: 'detach', disassociateEips: true, profileMode: 'disassociate', revokeSessions: true, ...options },
  });
  return p;
};
const release = () => e.feature.response.plan({ kind: 'release', caseNumber: e.caseNumber, region: REGION, instanceId: ID, options: {} });

describe('release', () => {
  it('restores exactly the groups, Elastic IP, profile, Auto Scaling group and target group that were recorded', async () => {
    const iso = await isolate();
    await e.feature.response.run(iso.id, ID);
    const recorded = e.feature.response.get(iso.id).recorded as { networkInterfaces: { id: string; groups: string[] }[] };
    e.mock.clearCalls();
    const rel = await release();
    await e.feature.response.run(rel.id, ID);
    expect(e.mock.mutations().map((c) => ({ op: c.op, input: c.input }))).toEqual([
      { op: 'ModifyNetworkInterfaceAttribute', input: { NetworkInterfaceId: 'eni-1', Groups: recorded.networkInterfaces[0]!.groups } },
      { op: 'ModifyNetworkInterfaceAttribute', input: { NetworkInterfaceId: 'eni-2', Groups: recorded.networkInterfaces[1]!.groups } },
      {
        op: 'AssociateAddress',
        input: { AllocationId: 'eipalloc-1', AllowReassociation: false, NetworkInterfaceId: 'eni-1', PrivateIpAddress: '10.0.1.15' },
      },
      { op: 'AssociateIamInstanceProfile', input: { InstanceId: ID, IamInstanceProfile: { Arn: PROFILE_ARN } } },
      { op: 'AttachInstances', input: { AutoScalingGroupName: 'web-asg', InstanceIds: [ID] } },
      { op: 'RegisterTargets', input: { TargetGroupArn: TG_ARN, Targets: [{ Id: ID, Port: 80 }] } },
      {
        op: 'CreateTags',
        input: {
          Resources: [ID],
          Tags: [
            { Key: 'lariat:case', Value: e.caseNumber },
            { Key: 'lariat:state', Value: 'released' },
            { Key: 'lariat:action', Value: String(rel.id) },
          ],
        },
      },
    ]);
    expect(recorded.networkInterfaces).toEqual([
      { id: 'eni-1', groups: ['sg-web', 'sg-ssh'] },
      { id: 'eni-2', groups: ['sg-db'] },
    ]);
    expect(e.s.core.assets.find(e.caseNumber, 'ec2-instance', ID)!.details.isolation).toBe('released');
    // Evidence protections stay: release never turns termination protection off.
    expect(e.mock.of('ec2', 'ModifyInstanceAttribute')).toEqual([]);
  });

  it('exits Standby instead of attaching when the isolation used Standby, and swaps the profile back when it was replaced', async () => {
    const iso = await isolate({
      asgMode: 'standby',
      profileMode: 'replace',
      isolationProfileArn: 'arn:aws:iam::111122223333:instance-profile/quarantine',
    });
    await e.feature.response.run(iso.id, ID);
    e.mock.on('ec2', 'DescribeIamInstanceProfileAssociations', {
      IamInstanceProfileAssociations: [
        { AssociationId: 'iip-assoc-quarantine', IamInstanceProfile: { Arn: 'arn:aws:iam::111122223333:instance-profile/quarantine' } },
      ],
    });
    e.mock.clearCalls();
    const rel = await release();
    await e.feature.response.run(rel.id, ID);
    expect(e.mock.of('autoscaling', 'ExitStandby')).toEqual([{ AutoScalingGroupName: 'web-asg', InstanceIds: [ID] }]);
    expect(e.mock.of('autoscaling', 'AttachInstances')).toEqual([]);
    expect(e.mock.of('ec2', 'ReplaceIamInstanceProfileAssociation')).toEqual([
      { AssociationId: 'iip-assoc-quarantine', IamInstanceProfile: { Arn: PROFILE_ARN } },
    ]);
  });

  it('after a partial isolation, puts back only what was changed', async () => {
    const iso = await isolate();
    e.mock.failNext('elbv2', 'DeregisterTargets', awsError('AccessDenied'));
    await expect(e.feature.response.run(iso.id, ID)).rejects.toMatchObject({ code: 'aws-access-denied' });
    e.mock.clearCalls();
    const rel = await release();
    expect(rel.steps.map((s) => s.operation)).toEqual(['AttachInstances', 'CreateTags']);
    await e.feature.response.run(rel.id, ID);
    expect(e.mock.of('elbv2', 'RegisterTargets')).toEqual([]);
  });

  it('refuses when there is no isolation to undo', async () => {
    await expect(release()).rejects.toMatchObject({ code: 'nothing-to-release' });
  });
});
