import { AppError } from '../../core/errors';
import type { InstanceFacts } from '../discovery';
import type { Plan, StepSpec } from './types';

/** What an isolation recorded before changing anything (see planIsolate). */
export interface IsolationRecord {
  networkInterfaces: { id: string; groups: string[] }[];
  autoScaling: { group: string; mode: 'detach' | 'standby' } | null;
  targetGroups: { arn: string; name: string; port: number | null }[];
  elasticIps: { publicIp: string; allocationId: string | null; networkInterfaceId: string | null; privateIp: string | null }[];
  instanceProfile: { arn: string | null; associationId: string; mode: 'disassociate' | 'replace' } | null;
}

export interface ReleaseContext {
  caseNumber: string;
  actionId: number;
  isolationActionId: number;
  facts: InstanceFacts;
  recorded: IsolationRecord;
  /** Keys of the isolation's steps that succeeded: only what was changed is put back. */
  done: ReadonlySet<string>;
}

/**
 * Release restores exactly what the isolation recorded and changed: the
 * original security groups of each interface, Elastic IPs, the instance
 * profile, Auto Scaling membership and target group registrations. Evidence
 * protections (termination protection, kept volumes) and a session
 * revocation stay in place on purpose.
 */
export function planRelease(ctx: ReleaseContext): Plan {
  const { facts: f, recorded: r, done } = ctx;
  const id = f.instanceId;
  const region = f.region;
  const steps: StepSpec[] = [];
  const add = (s: Omit<StepSpec, 'region' | 'service'> & { service?: StepSpec['service'] }): void => {
    steps.push({ service: 'ec2', region, ...s });
  };
  for (const eni of r.networkInterfaces) {
    if (!done.has(`transit:${eni.id}`) && !done.has(`isolate:${eni.id}`)) continue;
    add({
      key: `groups:${eni.id}`,
      title: `Put ${eni.id} back in ${eni.groups.join(', ')}`,
      kind: 'call',
      operation: 'ModifyNetworkInterfaceAttribute',
      request: { NetworkInterfaceId: eni.id, Groups: eni.groups },
    });
  }
  for (const e of r.elasticIps) {
    if (!done.has(`eip:${e.allocationId ?? e.publicIp}`) || !e.allocationId) continue;
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
  if (r.instanceProfile?.arn && done.has('profile')) {
    if (r.instanceProfile.mode === 'disassociate') {
      add({
        key: 'profile',
        title: `Re-associate instance profile ${r.instanceProfile.arn}`,
        kind: 'call',
        operation: 'AssociateIamInstanceProfile',
        request: { InstanceId: id, IamInstanceProfile: { Arn: r.instanceProfile.arn } },
      });
    } else {
      if (!f.profileAssociationId) {
        throw new AppError(
          'release-profile-missing',
          `Instance ${id} has no instance profile association to replace.`,
          'Someone changed it since the isolation; associate the original profile by hand.',
        );
      }
      add({
        key: 'profile',
        title: `Replace the isolation profile with ${r.instanceProfile.arn}`,
        kind: 'call',
        operation: 'ReplaceIamInstanceProfileAssociation',
        request: { AssociationId: f.profileAssociationId, IamInstanceProfile: { Arn: r.instanceProfile.arn } },
      });
    }
  }
  if (r.autoScaling && done.has('asg')) {
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
  }
  for (const tg of r.targetGroups) {
    if (!done.has(`deregister:${tg.arn}:${tg.port ?? ''}`)) continue;
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
  return { steps, recorded: { isolationActionId: ctx.isolationActionId, restored: r } };
}
