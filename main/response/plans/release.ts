import type { InstanceFacts } from '../discovery';
import type { Plan, StepSpec } from './types';
import { type NaclEntry, naclKey } from './nacl';

/** What an isolation recorded before changing anything (see planIsolate). */
export interface IsolationRecord {
  networkInterfaces: { id: string; groups: string[] }[];
  autoScaling: { group: string; mode: 'detach' | 'standby' } | null;
  targetGroups: { arn: string; name: string; port: number | null }[];
  elasticIps: { publicIp: string; allocationId: string | null; networkInterfaceId: string | null; privateIp: string | null }[];
  instanceProfile: { arn: string | null; associationId: string; mode: 'disassociate' | 'replace' } | null;
  /** Network ACL deny entries (absent in isolations planned before ACL containment existed). */
  nacl?: NaclEntry[];
}

/** An Auto Scaling group's capacity as read when planning the release. */
export interface AsgCapacity {
  desired: number;
  max: number;
}

export interface ReleaseContext {
  caseNumber: string;
  actionId: number;
  isolationActionId: number;
  facts: InstanceFacts;
  recorded: IsolationRecord;
  /**
   * Keys of the isolation's steps that were attempted (succeeded, or failed or
   * interrupted after a call that may have been applied). Each restore step
   * checks first, so restoring something the isolation did not change is
   * recorded as "already in place" and nothing is called.
   */
  touched: ReadonlySet<string>;
  /** The group's capacity, when it could be read (for the capacity warning). */
  asgCapacity?: AsgCapacity | null;
}

/**
 * Release restores exactly what the isolation recorded and changed: the
 * original security groups of each interface, its network ACL entries,
 * Elastic IPs, the instance profile, Auto Scaling membership and target
 * group registrations. Evidence protections (termination protection, kept
 * volumes) and a session revocation stay in place on purpose.
 */
export function planRelease(ctx: ReleaseContext): Plan {
  const { facts: f, recorded: r, touched } = ctx;
  const id = f.instanceId;
  const region = f.region;
  const steps: StepSpec[] = [];
  const warnings: string[] = [];
  const add = (s: Omit<StepSpec, 'region' | 'service'> & { service?: StepSpec['service'] }): void => {
    steps.push({ service: 'ec2', region, ...s });
  };
  for (const eni of r.networkInterfaces) {
    if (!touched.has(`transit:${eni.id}`) && !touched.has(`isolate:${eni.id}`)) continue;
    add({
      key: `groups:${eni.id}`,
      title: `Put ${eni.id} back in ${eni.groups.join(', ')}`,
      kind: 'call',
      operation: 'ModifyNetworkInterfaceAttribute',
      request: { NetworkInterfaceId: eni.id, Groups: eni.groups },
    });
  }
  for (const e of r.nacl ?? []) {
    if (!touched.has(naclKey(e))) continue;
    add({
      key: naclKey(e),
      title: `Network ACL ${e.NetworkAclId}: remove Lariat's ${e.Egress ? 'outbound' : 'inbound'} deny for ${e.CidrBlock ?? e.Ipv6CidrBlock} (rule ${e.RuleNumber})`,
      kind: 'call',
      operation: 'DeleteNetworkAclEntry',
      request: { NetworkAclId: e.NetworkAclId, RuleNumber: e.RuleNumber, Egress: e.Egress },
    });
  }
  for (const e of r.elasticIps) {
    if (!touched.has(`eip:${e.allocationId ?? e.publicIp}`) || !e.allocationId) continue;
    const request: Record<string, unknown> = { AllocationId: e.allocationId, AllowReassociation: false };
    if (e.networkInterfaceId) request.NetworkInterfaceId = e.networkInterfaceId;
    else request.InstanceId = id;
    if (e.privateIp) request.PrivateIpAddress = e.privateIp;
    add({
      key: `eip:${e.allocationId}`,
      title: `Re-associate Elastic IP ${e.publicIp}`,
      kind: 'call',
      operation: 'AssociateAddress',
      request,
    });
  }
  if (r.instanceProfile?.arn && touched.has('profile')) {
    if (r.instanceProfile.mode === 'disassociate' || !f.profileAssociationId) {
      add({
        key: 'profile',
        title: `Re-associate instance profile ${r.instanceProfile.arn}`,
        kind: 'call',
        operation: 'AssociateIamInstanceProfile',
        request: { InstanceId: id, IamInstanceProfile: { Arn: r.instanceProfile.arn } },
      });
    } else {
      add({
        key: 'profile',
        title: `Replace the isolation profile with ${r.instanceProfile.arn}`,
        kind: 'call',
        operation: 'ReplaceIamInstanceProfileAssociation',
        request: { AssociationId: f.profileAssociationId, IamInstanceProfile: { Arn: r.instanceProfile.arn } },
      });
    }
  }
  if (r.autoScaling && touched.has('asg')) {
    const attach = r.autoScaling.mode === 'detach';
    add({
      key: 'asg',
      title: attach
        ? `Attach back to Auto Scaling group ${r.autoScaling.group}`
        : `Exit Standby in Auto Scaling group ${r.autoScaling.group}`,
      kind: 'call',
      service: 'autoscaling',
      operation: attach ? 'AttachInstances' : 'ExitStandby',
      request: { AutoScalingGroupName: r.autoScaling.group, InstanceIds: [id] },
    });
    warnings.push(capacityWarning(r.autoScaling.group, attach, ctx.asgCapacity));
  }
  for (const tg of r.targetGroups) {
    if (!touched.has(`deregister:${tg.arn}:${tg.port ?? ''}`)) continue;
    add({
      key: `register:${tg.arn}:${tg.port ?? ''}`,
      title: `Register again in target group ${tg.name}${tg.port ? ` (port ${tg.port})` : ''}`,
      kind: 'call',
      service: 'elbv2',
      operation: 'RegisterTargets',
      request: { TargetGroupArn: tg.arn, Targets: [tg.port ? { Id: id, Port: tg.port } : { Id: id }] },
    });
  }
  add({
    key: 'tag',
    title: 'Tag the instance as released',
    kind: 'call',
    operation: 'CreateTags',
    request: {
      Resources: [id],
      Tags: [
        { Key: 'lariat:case', Value: ctx.caseNumber },
        { Key: 'lariat:state', Value: 'released' },
        { Key: 'lariat:action', Value: String(ctx.actionId) },
      ],
    },
  });
  return { steps, warnings, recorded: { isolationActionId: ctx.isolationActionId, restored: r } };
}

/** Re-attaching (or leaving Standby) raises the group's desired capacity by one, and AWS refuses it beyond the maximum. */
function capacityWarning(group: string, attach: boolean, cap: AsgCapacity | null | undefined): string {
  const how = attach ? 'Attaching the instance back to' : 'Taking the instance out of Standby in';
  if (!cap)
    return `${how} ${group} raises its desired capacity by one; its current capacity could not be read, so whether that exceeds its maximum is unknown.`;
  const after = cap.desired + 1;
  if (after > cap.max)
    return `${how} ${group} would raise its desired capacity from ${cap.desired} to ${after}, above its maximum of ${cap.max}: AWS refuses that, so that step will stop. Raise the group's maximum (or scale it in) first, then run the release.`;
  return `${how} ${group} raises its desired capacity from ${cap.desired} to ${after} (maximum ${cap.max}); the group may then scale in another instance.`;
}
