import { AppError } from '../../core/errors';
import type { IsolateOptions } from '../../../common/contract/response';
import type { InstanceFacts } from '../discovery';
import { type Plan, type StepSpec, ref } from './types';
import { type AclFacts, naclSteps, planNacl } from './nacl';
import { lookupWarnings, unknown } from './lookup-warnings';

/** Lariat's groups found in the instance's VPC at planning (by name): only for warnings, the run checks them again. */
export interface VpcGroups {
  isolation: { id: string; ruleCount: number } | null;
  transit: { id: string; allowAllExactly: boolean } | null;
  /** Why the groups could not be looked up, if they could not (the run finds or creates them anyway). */
  lookupError?: string;
}

export interface IsolateContext {
  caseNumber: string;
  actionId: number;
  facts: InstanceFacts;
  groups: VpcGroups;
  /** The VPC's network ACLs, read at planning when ACL containment is asked for. */
  acls?: AclFacts[];
  options: IsolateOptions;
}

export const ROLE_TAG = 'lariat:role';
export const REVOKE_POLICY_NAME = 'LariatRevokeOlderSessions';
export const ALL_V4 = { IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] };
export const ALL_V6 = { IpProtocol: '-1', Ipv6Ranges: [{ CidrIpv6: '::/0' }] };
export const groupName = (role: 'isolation' | 'transit', vpcId: string): string => `lariat-${role}-${vpcId}`;

/**
 * Isolation in the issue's order: evidence before change, then protection
 * against termination, out of Auto Scaling and load balancers, network cut
 * (through an allow-all group first so tracked connections are dropped too;
 * both groups are found or created and their rules made exact when the step
 * runs, never trusted), optional network ACL denies, optional Elastic IP
 * removal, instance profile, old-session revocation, tags.
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
  if (o.profileMode === 'replace' && !o.isolationProfileArn) {
    throw new AppError(
      'invalid-input',
      'Replacing the instance profile needs an isolation profile ARN.',
      'Enter the ARN of an instance profile with no permissions, or choose to disassociate.',
    );
  }
  const warnings = lookupWarnings(f, [
    'autoScaling',
    'targetGroups',
    ...(o.profileMode !== 'keep' ? (['profileAssociation'] as const) : []),
    ...(o.revokeSessions ? (['profileRole'] as const) : []),
    ...(o.disassociateEips ? (['elasticIps'] as const) : []),
  ]);
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
  if (o.skipEvidence) {
    warnings.push('Console output and screenshot will not be captured (chosen when planning).');
  } else {
    add({
      key: 'evidence-console',
      title: 'Save console output as evidence (best effort: a failure is recorded and isolation goes on)',
      kind: 'evidence-console',
      operation: 'GetConsoleOutput',
      request: { InstanceId: id, Latest: true },
    });
    add({
      key: 'evidence-screenshot',
      title: 'Save console screenshot as evidence (best effort: a failure is recorded and isolation goes on)',
      kind: 'evidence-screenshot',
      operation: 'GetConsoleScreenshot',
      request: { InstanceId: id, WakeUp: true },
    });
  }
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
  warnings.push(...groupWarnings(ctx.groups));
  add({
    key: 'transit-sg',
    title: `Find or create the temporary allow-all group ${groupName('transit', vpc)}`,
    kind: 'ensure-sg',
    operation: 'CreateSecurityGroup',
    request: sgRequest(vpc, 'transit', caseNumber),
  });
  add({
    key: 'transit-rules',
    title: 'Make the temporary group allow exactly all traffic, IPv4 and IPv6, both ways (adds what is missing, removes anything else)',
    kind: 'ensure-sg-rules',
    operation: 'AuthorizeSecurityGroupIngress',
    request: { GroupId: ref('transit-sg.GroupId'), Ingress: [ALL_V4, ALL_V6], Egress: [ALL_V4, ALL_V6] },
  });
  add({
    key: 'isolation-sg',
    title: `Find or create the isolation group ${groupName('isolation', vpc)}`,
    kind: 'ensure-sg',
    operation: 'CreateSecurityGroup',
    request: sgRequest(vpc, 'isolation', caseNumber),
  });
  add({
    key: 'isolation-rules',
    title: 'Make the isolation group have no rule at all (removes the default outbound rule and anything else)',
    kind: 'ensure-sg-rules',
    operation: 'RevokeSecurityGroupEgress',
    request: { GroupId: ref('isolation-sg.GroupId'), Ingress: [], Egress: [] },
  });
  for (const eni of f.networkInterfaces) {
    add({
      key: `transit:${eni.id}`,
      title: `Move ${eni.id} to the allow-all group (untracks open connections)`,
      kind: 'call',
      operation: 'ModifyNetworkInterfaceAttribute',
      request: { NetworkInterfaceId: eni.id, Groups: [ref('transit-sg.GroupId')] },
    });
    add({
      key: `isolate:${eni.id}`,
      title: `Move ${eni.id} to the isolation group (drops all traffic)`,
      kind: 'call',
      operation: 'ModifyNetworkInterfaceAttribute',
      request: { NetworkInterfaceId: eni.id, Groups: [ref('isolation-sg.GroupId')] },
    });
  }
  const nacl = o.nacl
    ? planNacl(ctx.acls ?? [], {
        v4: f.interfaceAddresses.flatMap((a) => a.privateIps),
        v6: f.interfaceAddresses.flatMap((a) => a.ipv6),
      })
    : [];
  steps.push(...naclSteps(nacl, region));
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
  } else if (o.revokeSessions && !unknown(f, 'profileRole')) {
    warnings.push('The instance has no instance profile role, so there are no role sessions to revoke.');
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
    warnings,
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
      nacl,
      revokedRole: o.revokeSessions ? f.instanceProfileRole : null,
      isolationGroupId: ctx.groups.isolation?.id ?? null,
      transitGroupId: ctx.groups.transit?.id ?? null,
    },
  };
}

function groupWarnings(g: VpcGroups): string[] {
  const out: string[] = [];
  if (g.lookupError)
    out.push(`Lariat's security groups in the VPC could not be looked up (${g.lookupError}); the run finds or creates them.`);
  if (g.transit && !g.transit.allowAllExactly)
    out.push(
      `The reused temporary group ${g.transit.id} no longer allows exactly all traffic; the run restores its rules before any interface moves (otherwise open connections would stay tracked).`,
    );
  if (g.isolation && g.isolation.ruleCount > 0)
    out.push(
      `The reused isolation group ${g.isolation.id} has ${g.isolation.ruleCount} rule(s); the run removes them before any interface moves.`,
    );
  return out;
}

function sgRequest(vpcId: string, role: 'isolation' | 'transit', caseNumber: string): Record<string, unknown> {
  const isolation = role === 'isolation';
  return {
    GroupName: groupName(role, vpcId),
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
