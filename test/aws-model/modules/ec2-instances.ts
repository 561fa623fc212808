import {
  EC2Client,
  type DescribeInstanceAttributeCommandInput,
  type DescribeInstancesCommandInput,
  type DescribeVolumesCommandInput,
  type GetConsoleOutputCommandInput,
  type GetConsoleScreenshotCommandInput,
  type ModifyInstanceAttributeCommandInput,
} from '@aws-sdk/client-ec2';
import { h, type CallContext, type ModelModule } from '../types';
import { matches, tagField, tagList } from './ec2-tags';
import type { NetworkState } from './ec2-interfaces';
import type { GroupState } from './ec2-security-groups';

export interface InstanceRecord {
  InstanceId: string;
  State: 'pending' | 'running' | 'stopping' | 'stopped' | 'shutting-down' | 'terminated';
  InstanceType: string;
  VpcId: string;
  SubnetId: string;
  AvailabilityZone: string;
  Platform?: 'windows';
  LaunchTime: string;
  disableApiTermination: boolean;
  shutdownBehavior: 'stop' | 'terminate';
  /** The first mapping is the root device. */
  blockDevices: { DeviceName: string; VolumeId: string; DeleteOnTermination: boolean }[];
  /** Console text the instance printed (GetConsoleOutput returns it base64-encoded). */
  consoleOutput: string;
  screenshot: 'ok' | 'unsupported';
}

export interface VolumeRecord {
  VolumeId: string;
  Size: number;
  Encrypted: boolean;
  KmsKeyId?: string;
}

export interface InstanceState {
  instances: Record<string, InstanceRecord>;
  volumes: Record<string, VolumeRecord>;
}

const SCREENSHOT_PREFIX = [0xff, 0xd8, 0xff, 0xe0];

export function requireInstance(ctx: CallContext<unknown>, id: string | undefined): InstanceRecord {
  const inst = id ? ctx.slice<InstanceState>('ec2-instances').instances[id] : undefined;
  if (!inst) ctx.error('InvalidInstanceID.NotFound', `The instance ID '${id ?? ''}' does not exist`);
  return inst;
}

/** DescribeInstances' view of one instance: interfaces, groups, profile and public IP are read from their modules. */
function view(ctx: CallContext<InstanceState>, inst: InstanceRecord): Record<string, unknown> {
  const net = ctx.slice<NetworkState>('ec2-interfaces');
  const sgs = ctx.slice<GroupState>('ec2-security-groups').groups;
  const enis = Object.values(net.interfaces)
    .filter((n) => n.instanceId === inst.InstanceId)
    .sort((a, b) => a.deviceIndex - b.deviceIndex);
  const publicIp = (eniId: string) => Object.values(net.addresses).find((a) => a.NetworkInterfaceId === eniId)?.PublicIp;
  const group = (id: string) => ({ GroupId: id, GroupName: sgs[id]?.GroupName ?? id });
  const assoc = Object.values(net.associations).find((a) => a.InstanceId === inst.InstanceId && a.State === 'associated');
  const allGroups = [...new Set(enis.flatMap((n) => n.groups))];
  const primary = enis[0];
  return {
    InstanceId: inst.InstanceId,
    State: { Name: inst.State, Code: inst.State === 'running' ? 16 : 80 },
    InstanceType: inst.InstanceType,
    VpcId: inst.VpcId,
    SubnetId: inst.SubnetId,
    Placement: { AvailabilityZone: inst.AvailabilityZone },
    ...(inst.Platform ? { Platform: inst.Platform } : {}),
    LaunchTime: new Date(inst.LaunchTime),
    PrivateIpAddress: primary?.privateIps[0],
    ...(primary && publicIp(primary.NetworkInterfaceId) ? { PublicIpAddress: publicIp(primary.NetworkInterfaceId) } : {}),
    SecurityGroups: allGroups.map(group),
    NetworkInterfaces: enis.map((n) => ({
      NetworkInterfaceId: n.NetworkInterfaceId,
      SubnetId: n.SubnetId,
      VpcId: n.VpcId,
      PrivateIpAddress: n.privateIps[0],
      PrivateIpAddresses: n.privateIps.map((ip, k) => ({ PrivateIpAddress: ip, Primary: k === 0 })),
      Ipv6Addresses: n.ipv6.map((Ipv6Address) => ({ Ipv6Address })),
      ...(publicIp(n.NetworkInterfaceId) ? { Association: { PublicIp: publicIp(n.NetworkInterfaceId) } } : {}),
      Groups: n.groups.map(group),
      Attachment: { DeviceIndex: n.deviceIndex, Status: 'attached' },
    })),
    ...(assoc ? { IamInstanceProfile: { Arn: assoc.Arn } } : {}),
    BlockDeviceMappings: inst.blockDevices.map((b) => ({
      DeviceName: b.DeviceName,
      Ebs: { VolumeId: b.VolumeId, DeleteOnTermination: b.DeleteOnTermination, Status: 'attached' },
    })),
    RootDeviceName: inst.blockDevices[0]?.DeviceName,
    Tags: tagList(ctx, inst.InstanceId),
  };
}

/** Instances, their attributes, volumes and console; interfaces and addresses live in ec2-interfaces. */
export const ec2Instances: ModelModule<InstanceState> = {
  name: 'ec2-instances',
  service: 'ec2',
  client: EC2Client,
  scope: 'regional',
  throttlingCode: 'RequestLimitExceeded',
  initial: () => ({ instances: {}, volumes: {} }),
  owns: (s, id) => id in s.instances || id in s.volumes,
  handlers: {
    DescribeInstances: h<DescribeInstancesCommandInput, InstanceState>((i, ctx) => {
      for (const id of i.InstanceIds ?? []) requireInstance(ctx, id);
      const net = ctx.slice<NetworkState>('ec2-interfaces');
      const ips = (id: string) => Object.values(net.interfaces).filter((n) => n.instanceId === id);
      const found = Object.values(ctx.state.instances).filter(
        (inst) =>
          (!i.InstanceIds?.length || i.InstanceIds.includes(inst.InstanceId)) &&
          matches(i.Filters, (name) => {
            if (name === 'instance-id') return [inst.InstanceId];
            if (name === 'instance-state-name') return [inst.State];
            if (name === 'vpc-id') return [inst.VpcId];
            if (name === 'private-ip-address') return ips(inst.InstanceId).flatMap((n) => n.privateIps);
            if (name === 'ip-address')
              return Object.values(net.addresses)
                .filter((a) => ips(inst.InstanceId).some((n) => n.NetworkInterfaceId === a.NetworkInterfaceId))
                .map((a) => a.PublicIp);
            return tagField(ctx, inst.InstanceId, name);
          }),
      );
      return { Reservations: found.map((inst) => ({ OwnerId: ctx.model.account, Instances: [view(ctx, inst)] })) };
    }),
    DescribeInstanceAttribute: h<DescribeInstanceAttributeCommandInput, InstanceState>((i, ctx) => {
      const inst = requireInstance(ctx, i.InstanceId);
      switch (i.Attribute) {
        case 'disableApiTermination':
          return { InstanceId: inst.InstanceId, DisableApiTermination: { Value: inst.disableApiTermination } };
        case 'instanceInitiatedShutdownBehavior':
          return { InstanceId: inst.InstanceId, InstanceInitiatedShutdownBehavior: { Value: inst.shutdownBehavior } };
        case 'blockDeviceMapping':
          return {
            InstanceId: inst.InstanceId,
            BlockDeviceMappings: inst.blockDevices.map((b) => ({
              DeviceName: b.DeviceName,
              Ebs: { VolumeId: b.VolumeId, DeleteOnTermination: b.DeleteOnTermination, Status: 'attached' },
            })),
          };
        default:
          return ctx.error('InvalidParameterValue', `Value (${String(i.Attribute)}) for parameter attribute is invalid.`);
      }
    }),
    ModifyInstanceAttribute: h<ModifyInstanceAttributeCommandInput, InstanceState>((i, ctx) => {
      const inst = requireInstance(ctx, i.InstanceId);
      const given = [i.DisableApiTermination, i.InstanceInitiatedShutdownBehavior, i.BlockDeviceMappings].filter((v) => v !== undefined);
      if (given.length !== 1) ctx.error('InvalidParameterCombination', 'Exactly one attribute may be modified per call.');
      if (inst.State === 'terminated')
        ctx.error('IncorrectInstanceState', `The instance '${inst.InstanceId}' is not in a state from which it can be modified.`);
      if (i.BlockDeviceMappings) {
        for (const m of i.BlockDeviceMappings)
          if (!inst.blockDevices.some((b) => b.DeviceName === m.DeviceName))
            ctx.error('InvalidInstanceAttributeValue', `No device is currently mapped at ${m.DeviceName ?? ''}`);
        for (const m of i.BlockDeviceMappings) {
          const b = inst.blockDevices.find((x) => x.DeviceName === m.DeviceName)!;
          if (m.Ebs?.DeleteOnTermination !== undefined) b.DeleteOnTermination = m.Ebs.DeleteOnTermination;
        }
      }
      if (i.DisableApiTermination?.Value !== undefined) inst.disableApiTermination = i.DisableApiTermination.Value;
      if (i.InstanceInitiatedShutdownBehavior?.Value)
        inst.shutdownBehavior = i.InstanceInitiatedShutdownBehavior.Value === 'stop' ? 'stop' : 'terminate';
      return {};
    }),
    DescribeVolumes: h<DescribeVolumesCommandInput, InstanceState>((i, ctx) => {
      for (const id of i.VolumeIds ?? [])
        if (!ctx.state.volumes[id]) ctx.error('InvalidVolume.NotFound', `The volume '${id}' does not exist.`);
      return { Volumes: (i.VolumeIds ?? Object.keys(ctx.state.volumes)).map((id) => ({ ...ctx.state.volumes[id]! })) };
    }),
    GetConsoleOutput: h<GetConsoleOutputCommandInput, InstanceState>((i, ctx) => {
      const inst = requireInstance(ctx, i.InstanceId);
      return { InstanceId: inst.InstanceId, Output: Buffer.from(inst.consoleOutput).toString('base64'), Timestamp: new Date(ctx.now()) };
    }),
    GetConsoleScreenshot: h<GetConsoleScreenshotCommandInput, InstanceState>((i, ctx) => {
      const inst = requireInstance(ctx, i.InstanceId);
      if (inst.screenshot === 'unsupported') ctx.error('UnsupportedOperation', 'This instance type does not support console screenshots.');
      const bytes = Buffer.concat([Buffer.from(SCREENSHOT_PREFIX), Buffer.from(inst.InstanceId)]);
      return { InstanceId: inst.InstanceId, ImageData: bytes.toString('base64') };
    }),
  },
};
