import { AppError } from '../../core/errors';
import type { IsolateOptions } from '../../../common/contract/response';
import type { InstanceFacts } from '../discovery';
import { type Plan, type StepSpec, ref } from './types';

/** Security groups Lariat already made in the instance's VPC (found by tag), reused across instances. */
export interface VpcGroups {
  isolation: { id: string; ruleCount: number } | null;
  transit: { id: string } | null;
}

export interface IsolateContext {
  caseNumber: string;
  actionId: number;
  facts: InstanceFacts;
  groups: VpcGroups;
  options: IsolateOptions;
}

export const ROLE_TAG = 'lariat:role';
export const REVOKE_POLICY_NAME = 'LariatRevokeOlderSessions';
const ALL_V4 = { IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] };
const ALL_V6 = { IpProtocol: '-1', Ipv6Ranges: [{ CidrIpv6: '::/0' }] };

/**
 * Isolation in the issue's order: evidence before change, then protection
 * against termination, out of Auto Scaling and load balancers, network cut
 * (through an allow-all group first so tracked connections are dropped too),
 * optional Elastic IP removal, instance profile, old-session revocation, tags.
 */
export function planIsolate(ctx: IsolateContext): Plan {
  const { facts: f, options: o, caseNumber, actionId } = ctx;
  const id = f.instanceId;
  const region = f.region;
  if (f.state === 'terminated' || f.state === 'shutting-down') {
    throw new AppError(
      'instance-terminated',
      `Instance ${id} is ${f.state}; there is nothing left to isolate.`,
      'Acquire what remains (snapshots that still exist, logs) instead.',
    );
  }
  if (!f.vpcId)
    throw new AppError(
      'instance-no-vpc',
      `Instance ${id} is not in a VPC.`,
      'EC2-Classic instances cannot be isolated with security groups; stop the instance instead.',
    );
  if (ctx.groups.isolation && ctx.groups.isolation.ruleCount > 0) {
    throw new AppError(
      'isolation-group-has-rules',
      `The isolation security group ${ctx.groups.isolation.id} in ${f.vpcId} has ${ctx.groups.isolation.ruleCount} rule(s); it must have none.`,
      `Remove its rules (or its ${ROLE_TAG} tag so Lariat creates a new one), then plan again.`,
    );
  }
  if (o.profileMode === 'replace' && !o.isolationProfileArn) {
    throw new AppError(
      'invalid-input',
      'Replacing the instance profile needs an isolation profile ARN.',
      'Enter the ARN of an instance profile with no permissions, or choose to disassociate.',
    );
  }
  const steps: StepSpec[] = [];
  const add = (s: Omit<StepSpec, 'region' | 'service'> & { service?: StepSpec['service']; region?: string }): void => {
    steps.push({ service: 'ec2', region, ...s });
  };

  add({
    key: 'evidence-describe',
    title: 'Save DescribeInstances JSON as evidence',
    kind: 'evidence-describe',
    operation: 'DescribeInstances',
    request: { InstanceIds: [id] },
  });
  add({
    key: 'evidence-console',
    title: 'Save console output as evidence',
    kind: 'evidence-console',
    operation: 'GetConsoleOutput',
    request: { InstanceId: id, Latest: true },
  });
  add({
    key: 'evidence-screenshot',
    title: 'Save console screenshot as evidence',
    kind: 'evidence-screenshot',
    operation: 'GetConsoleScreenshot',
    request: { InstanceId: id, WakeUp: true },
  });
  add({
    key: 'termination-protection',
    title: 'Turn termination protection on',
    kind: 'call',
    operation: 'ModifyInstanceAttribute',
    request: { InstanceId: id, DisableApiTermination: { Value: true } },
  });
  add({
    key: 'shutdown-stop',
    title: 'Set shutdown behaviour to stop',
    kind: 'call',
    operation: 'ModifyInstanceAttribute',
    request: { InstanceId: id, InstanceInitiatedShutdownBehavior: { Value: 'stop' } },
  });
  for (const v of f.volumes) {
    add({
      key: `keep-volume:${v.id}`,
      title: `Keep ${v.id} (${v.device}) when the instance terminates`,
      kind: 'call',
      operation: 'ModifyInstanceAttribute',
      request: { InstanceId: id, BlockDeviceMappings: [{ DeviceName: v.device, Ebs: { DeleteOnTermination: false } }] },
    });
  }
  if (f.autoScalingGroup) {
    const detach = o.asgMode === 'detach';
    add({
      key: 'asg',
      title: detach
        ? `Detach from Auto Scaling group ${f.autoScalingGroup} (it launches a replacement)`
        : `Move to Standby in Auto Scaling group ${f.autoScalingGroup}`,
      kind: 'call',
      service: 'autoscaling',
      operation: detach ? 'DetachInstances' : 'EnterStandby',
      request: { AutoScalingGroupName: f.autoScalingGroup, InstanceIds: [id], ShouldDecrementDesiredCapacity: !detach },
    });
  }
  for (const tg of f.targetGroups) {
    add({
      key: `deregister:${tg.arn}:${tg.port ?? ''}`,
      title: `Deregister from target group ${tg.name}${tg.port ? ` (port ${tg.port})` : ''}`,
      kind: 'call',
      service: 'elbv2',
      operation: 'DeregisterTargets',
      request: { TargetGroupArn: tg.arn, Targets: [tg.port ? { Id: id, Port: tg.port } : { Id: id }] },
    });
  }
  const vpc = f.vpcId;
  const transitId = ctx.groups.transit?.id ?? ref('create-transit-sg.GroupId');
  if (!ctx.groups.transit) {
    add({
      key: 'create-transit-sg',
      title: `Create the temporary allow-all group in ${vpc}`,
      kind: 'create-sg',
      operation: 'CreateSecurityGroup',
      request: sgRequest(vpc, 'transit', caseNumber),
    });
    add({
      key: 'transit-ingress',
      title: 'Allow all inbound traffic in the temporary group',
      kind: 'call',
      operation: 'AuthorizeSecurityGroupIngress',
      request: { GroupId: transitId, IpPermissions: [{ ...ALL_V4, ...ALL_V6 }] },
    });
    add({
      key: 'transit-egress-v6',
      title: 'Allow all outbound IPv6 traffic in the temporary group',
      kind: 'call-optional',
      operation: 'AuthorizeSecurityGroupEgress',
      request: { GroupId: transitId, IpPermissions: [ALL_V6] },
    });
  }
  const isolationId = ctx.groups.isolation?.id ?? ref('create-isolation-sg.GroupId');
  if (!ctx.groups.isolation) {
    add({
      key: 'create-isolation-sg',
      title: `Create the no-rule isolation group in ${vpc}`,
      kind: 'create-sg',
      operation: 'CreateSecurityGroup',
      request: sgRequest(vpc, 'isolation', caseNumber),
    });
    add({
      key: 'isolation-egress-v4',
      title: 'Remove the default outbound rule from the isolation group',
      kind: 'call-optional',
      operation: 'RevokeSecurityGroupEgress',
      request: { GroupId: isolationId, IpPermissions: [ALL_V4] },
    });
    add({
      key: 'isolation-egress-v6',
      title: 'Remove the default outbound IPv6 rule, if any',
      kind: 'call-optional',
      operation: 'RevokeSecurityGroupEgress',
      request: { GroupId: isolationId, IpPermissions: [ALL_V6] },
    });
  }
  for (const eni of f.networkInterfaces) {
    add({
      key: `transit:${eni.id}`,
      title: `Move ${eni.id} to the allow-all group (untracks open connections)`,
      kind: 'call',
      operation: 'ModifyNetworkInterfaceAttribute',
      request: { NetworkInterfaceId: eni.id, Groups: [transitId] },
    });
    add({
      key: `isolate:${eni.id}`,
      title: `Move ${eni.id} to the isolation group (drops all traffic)`,
      kind: 'call',
      operation: 'ModifyNetworkInterfaceAttribute',
      request: { NetworkInterfaceId: eni.id, Groups: [isolationId] },
    });
  }
  const eips = o.disassociateEips ? f.elasticIps.filter((e) => e.associationId) : [];
  for (const e of eips) {
    add({
      key: `eip:${e.allocationId ?? e.publicIp}`,
      title: `Disassociate Elastic IP ${e.publicIp}`,
      kind: 'call',
      operation: 'DisassociateAddress',
      request: { AssociationId: e.associationId },
    });
  }
  if (f.profileAssociationId && o.profileMode === 'disassociate') {
    add({
      key: 'profile',
      title: `Disassociate instance profile ${f.instanceProfileArn}`,
      kind: 'call',
      operation: 'DisassociateIamInstanceProfile',
      request: { AssociationId: f.profileAssociationId },
    });
  } else if (f.profileAssociationId && o.profileMode === 'replace') {
    add({
      key: 'profile',
      title: `Replace instance profile with ${o.isolationProfileArn}`,
      kind: 'call',
      operation: 'ReplaceIamInstanceProfileAssociation',
      request: { AssociationId: f.profileAssociationId, IamInstanceProfile: { Arn: o.isolationProfileArn } },
    });
  }
  if (o.revokeSessions && f.instanceProfileRole) {
    add({
      key: 'revoke-sessions',
      title: `Deny every session of role ${f.instanceProfileRole} issued before now`,
      kind: 'revoke-sessions',
      service: 'iam',
      operation: 'PutRolePolicy',
      request: { RoleName: f.instanceProfileRole, PolicyName: REVOKE_POLICY_NAME, PolicyDocument: revokePolicy() },
    });
  }
  add({
    key: 'tag',
    title: 'Tag the instance with the case number and isolation state',
    kind: 'call',
    operation: 'CreateTags',
    request: {
      Resources: [id],
      Tags: [
        { Key: 'lariat:case', Value: caseNumber },
        { Key: 'lariat:state', Value: 'isolated' },
        { Key: 'lariat:action', Value: String(actionId) },
      ],
    },
  });

  return {
    steps,
    recorded: {
      vpcId: vpc,
      networkInterfaces: f.networkInterfaces.map((n) => ({ id: n.id, groups: n.groups })),
      autoScaling: f.autoScalingGroup ? { group: f.autoScalingGroup, mode: o.asgMode, lifecycleState: f.autoScalingState } : null,
      targetGroups: f.targetGroups.map((t) => ({ arn: t.arn, name: t.name, port: t.port })),
      elasticIps: eips.map((e) => ({
        publicIp: e.publicIp,
        allocationId: e.allocationId,
        networkInterfaceId: e.networkInterfaceId,
        privateIp: e.privateIp,
      })),
      instanceProfile:
        f.profileAssociationId && o.profileMode !== 'keep'
          ? { arn: f.instanceProfileArn, associationId: f.profileAssociationId, mode: o.profileMode }
          : null,
      revokedRole: o.revokeSessions ? f.instanceProfileRole : null,
      isolationGroupId: ctx.groups.isolation?.id ?? null,
      transitGroupId: ctx.groups.transit?.id ?? null,
    },
  };
}

function sgRequest(vpcId: string, role: 'isolation' | 'transit', caseNumber: string): Record<string, unknown> {
  const isolation = role === 'isolation';
  return {
    GroupName: `lariat-${role}-${vpcId}`,
    Description: isolation
      ? 'Lariat isolation: no inbound or outbound rules'
      : 'Lariat isolation transit: allow-all so tracked connections become untracked',
    VpcId: vpcId,
    TagSpecifications: [
      {
        ResourceType: 'security-group',
        Tags: [
          { Key: ROLE_TAG, Value: isolation ? 'isolation' : 'isolation-transit' },
          { Key: 'Name', Value: `lariat-${role}` },
          { Key: 'lariat:created-for', Value: caseNumber },
        ],
      },
    ],
  };
}

/** The AWS-documented way to revoke a role's older sessions: deny everything to tokens issued before a time (filled in when the step runs). */
function revokePolicy(): Record<string, unknown> {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Deny',
        Action: ['*'],
        Resource: ['*'],
        Condition: { DateLessThan: { 'aws:TokenIssueTime': { $now: 'time the step runs' } } },
      },
    ],
  };
}
