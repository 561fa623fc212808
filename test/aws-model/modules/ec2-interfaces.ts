import {
  EC2Client,
  type AssociateAddressCommandInput,
  type AssociateIamInstanceProfileCommandInput,
  type DescribeAddressesCommandInput,
  type DescribeIamInstanceProfileAssociationsCommandInput,
  type DescribeNetworkInterfacesCommandInput,
  type DisassociateAddressCommandInput,
  type DisassociateIamInstanceProfileCommandInput,
  type ModifyNetworkInterfaceAttributeCommandInput,
  type ReplaceIamInstanceProfileAssociationCommandInput,
} from '@aws-sdk/client-ec2';
import { h, type CallContext, type ModelModule } from '../types';
import { matches } from './ec2-tags';
import { requireInstance } from './ec2-instances';
import type { GroupState } from './ec2-security-groups';
import type { IamState } from './iam';

export interface InterfaceRecord {
  NetworkInterfaceId: string;
  SubnetId: string;
  VpcId: string;
  /** The first is the primary private IPv4 address. */
  privateIps: string[];
  ipv6: string[];
  groups: string[];
  instanceId: string | null;
  deviceIndex: number;
}

export interface AddressRecord {
  AllocationId: string;
  PublicIp: string;
  AssociationId: string | null;
  NetworkInterfaceId: string | null;
  PrivateIpAddress: string | null;
}

export interface ProfileAssociationRecord {
  AssociationId: string;
  InstanceId: string;
  Arn: string;
  State: 'associated' | 'disassociated';
}

export interface NetworkState {
  interfaces: Record<string, InterfaceRecord>;
  addresses: Record<string, AddressRecord>;
  associations: Record<string, ProfileAssociationRecord>;
}

function requireEni(ctx: CallContext<NetworkState>, id: string | undefined): InterfaceRecord {
  const eni = id ? ctx.state.interfaces[id] : undefined;
  if (!eni) ctx.error('InvalidNetworkInterfaceID.NotFound', `The networkInterface ID '${id ?? ''}' does not exist`);
  return eni;
}

function addressView(ctx: CallContext<NetworkState>, a: AddressRecord): Record<string, unknown> {
  const eni = a.NetworkInterfaceId ? ctx.state.interfaces[a.NetworkInterfaceId] : undefined;
  return {
    PublicIp: a.PublicIp,
    AllocationId: a.AllocationId,
    Domain: 'vpc',
    ...(a.AssociationId
      ? {
          AssociationId: a.AssociationId,
          NetworkInterfaceId: a.NetworkInterfaceId,
          PrivateIpAddress: a.PrivateIpAddress,
          ...(eni?.instanceId ? { InstanceId: eni.instanceId } : {}),
        }
      : {}),
  };
}

const assocView = (a: ProfileAssociationRecord) => ({
  AssociationId: a.AssociationId,
  InstanceId: a.InstanceId,
  IamInstanceProfile: { Arn: a.Arn, Id: `AIPA${a.Arn.length}` },
  State: a.State,
});

function requireProfile(ctx: CallContext<NetworkState>, arn: string | undefined): string {
  const iam = ctx.slice<IamState>('iam');
  if (!arn || !Object.values(iam.instanceProfiles).some((p) => p.Arn === arn))
    ctx.error(
      'InvalidParameterValue',
      `Value (${arn ?? ''}) for parameter iamInstanceProfile.arn is invalid. Invalid IAM Instance Profile ARN`,
    );
  return arn;
}

/** Network interfaces and their security groups, Elastic IPs, and instance profile associations. */
export const ec2Interfaces: ModelModule<NetworkState> = {
  name: 'ec2-interfaces',
  service: 'ec2',
  client: EC2Client,
  scope: 'regional',
  throttlingCode: 'RequestLimitExceeded',
  initial: () => ({ interfaces: {}, addresses: {}, associations: {} }),
  owns: (s, id) => id in s.interfaces || id in s.addresses,
  handlers: {
    DescribeNetworkInterfaces: h<DescribeNetworkInterfacesCommandInput, NetworkState>((i, ctx) => {
      for (const id of i.NetworkInterfaceIds ?? []) requireEni(ctx, id);
      const sgs = ctx.slice<GroupState>('ec2-security-groups').groups;
      return {
        NetworkInterfaces: Object.values(ctx.state.interfaces)
          .filter(
            (n) =>
              (!i.NetworkInterfaceIds?.length || i.NetworkInterfaceIds.includes(n.NetworkInterfaceId)) &&
              matches(i.Filters, (name) =>
                name === 'attachment.instance-id'
                  ? [n.instanceId ?? undefined]
                  : name === 'vpc-id'
                    ? [n.VpcId]
                    : name === 'subnet-id'
                      ? [n.SubnetId]
                      : undefined,
              ),
          )
          .map((n) => ({
            NetworkInterfaceId: n.NetworkInterfaceId,
            SubnetId: n.SubnetId,
            VpcId: n.VpcId,
            PrivateIpAddress: n.privateIps[0],
            PrivateIpAddresses: n.privateIps.map((ip, k) => ({ PrivateIpAddress: ip, Primary: k === 0 })),
            Ipv6Addresses: n.ipv6.map((Ipv6Address) => ({ Ipv6Address })),
            Groups: n.groups.map((g) => ({ GroupId: g, GroupName: sgs[g]?.GroupName ?? g })),
            ...(n.instanceId ? { Attachment: { InstanceId: n.instanceId, DeviceIndex: n.deviceIndex, Status: 'attached' } } : {}),
          })),
      };
    }),
    ModifyNetworkInterfaceAttribute: h<ModifyNetworkInterfaceAttributeCommandInput, NetworkState>((i, ctx) => {
      const eni = requireEni(ctx, i.NetworkInterfaceId);
      if (!i.Groups) return {};
      const sgs = ctx.slice<GroupState>('ec2-security-groups').groups;
      if (i.Groups.length === 0) ctx.error('MissingParameter', 'The request must contain the parameter groupId');
      for (const g of i.Groups) {
        const sg = sgs[g];
        if (!sg) ctx.error('InvalidGroup.NotFound', `The security group '${g}' does not exist`);
        if (sg.VpcId !== eni.VpcId)
          ctx.error('InvalidParameter', `Security group ${g} and subnet ${eni.SubnetId} belong to different networks.`);
      }
      eni.groups = [...new Set(i.Groups)];
      return {};
    }),
    DescribeAddresses: h<DescribeAddressesCommandInput, NetworkState>((i, ctx) => {
      const all = Object.values(ctx.state.addresses);
      for (const id of i.AllocationIds ?? [])
        if (!ctx.state.addresses[id]) ctx.error('InvalidAllocationID.NotFound', `The allocation ID '${id}' does not exist`);
      const found = all.filter((a) => {
        if (i.AllocationIds?.length && !i.AllocationIds.includes(a.AllocationId)) return false;
        if (i.PublicIps?.length && !i.PublicIps.includes(a.PublicIp)) return false;
        const eni = a.NetworkInterfaceId ? ctx.state.interfaces[a.NetworkInterfaceId] : undefined;
        return matches(i.Filters, (name) => {
          if (name === 'instance-id') return [eni?.instanceId ?? undefined];
          if (name === 'association-id') return [a.AssociationId ?? undefined];
          if (name === 'allocation-id') return [a.AllocationId];
          if (name === 'network-interface-id') return [a.NetworkInterfaceId ?? undefined];
          if (name === 'public-ip') return [a.PublicIp];
          return undefined;
        });
      });
      return { Addresses: found.map((a) => addressView(ctx, a)) };
    }),
    DisassociateAddress: h<DisassociateAddressCommandInput, NetworkState>((i, ctx) => {
      const a = Object.values(ctx.state.addresses).find((x) => x.AssociationId && x.AssociationId === i.AssociationId);
      if (!a) return ctx.error('InvalidAssociationID.NotFound', `The association ID '${i.AssociationId ?? ''}' does not exist`);
      a.AssociationId = null;
      a.NetworkInterfaceId = null;
      a.PrivateIpAddress = null;
      return {};
    }),
    AssociateAddress: h<AssociateAddressCommandInput, NetworkState>((i, ctx) => {
      const a = i.AllocationId ? ctx.state.addresses[i.AllocationId] : undefined;
      if (!a) return ctx.error('InvalidAllocationID.NotFound', `The allocation ID '${i.AllocationId ?? ''}' does not exist`);
      let eni: InterfaceRecord | undefined;
      if (i.NetworkInterfaceId) eni = requireEni(ctx, i.NetworkInterfaceId);
      else {
        const inst = requireInstance(ctx, i.InstanceId);
        eni = Object.values(ctx.state.interfaces).find((n) => n.instanceId === inst.InstanceId && n.deviceIndex === 0);
        if (!eni) return ctx.error('InvalidInstanceID', `Instance ${inst.InstanceId} has no primary network interface`);
      }
      const ip = i.PrivateIpAddress ?? eni.privateIps[0]!;
      if (!eni.privateIps.includes(ip)) ctx.error('InvalidParameterValue', `Private IP ${ip} is not on ${eni.NetworkInterfaceId}`);
      if (a.AssociationId && i.AllowReassociation === false)
        ctx.error('Resource.AlreadyAssociated', `resource ${a.AllocationId} is already associated with associate-id ${a.AssociationId}`);
      a.AssociationId = ctx.id('eipassoc');
      a.NetworkInterfaceId = eni.NetworkInterfaceId;
      a.PrivateIpAddress = ip;
      return { AssociationId: a.AssociationId };
    }),
    DescribeIamInstanceProfileAssociations: h<DescribeIamInstanceProfileAssociationsCommandInput, NetworkState>((i, ctx) => {
      for (const id of i.AssociationIds ?? [])
        if (!ctx.state.associations[id]) ctx.error('InvalidAssociationID.NotFound', `An association ID '${id}' does not exist`);
      const found = Object.values(ctx.state.associations).filter(
        (a) =>
          (!i.AssociationIds?.length || i.AssociationIds.includes(a.AssociationId)) &&
          matches(i.Filters, (name) => (name === 'instance-id' ? [a.InstanceId] : name === 'state' ? [a.State] : undefined)),
      );
      return { IamInstanceProfileAssociations: found.map(assocView) };
    }),
    DisassociateIamInstanceProfile: h<DisassociateIamInstanceProfileCommandInput, NetworkState>((i, ctx) => {
      const a = i.AssociationId ? ctx.state.associations[i.AssociationId] : undefined;
      if (!a || a.State !== 'associated')
        return ctx.error('InvalidAssociationID.NotFound', `An association ID '${i.AssociationId ?? ''}' does not exist`);
      a.State = 'disassociated';
      return { IamInstanceProfileAssociation: { ...assocView(a), State: 'disassociating' } };
    }),
    AssociateIamInstanceProfile: h<AssociateIamInstanceProfileCommandInput, NetworkState>((i, ctx) => {
      const inst = requireInstance(ctx, i.InstanceId);
      const arn = requireProfile(ctx, i.IamInstanceProfile?.Arn);
      if (Object.values(ctx.state.associations).some((a) => a.InstanceId === inst.InstanceId && a.State === 'associated'))
        ctx.error('IncorrectState', `There is an existing association for instance ${inst.InstanceId}`);
      const a: ProfileAssociationRecord = {
        AssociationId: ctx.id('iip-assoc'),
        InstanceId: inst.InstanceId,
        Arn: arn,
        State: 'associated',
      };
      ctx.state.associations[a.AssociationId] = a;
      return { IamInstanceProfileAssociation: { ...assocView(a), State: 'associating' } };
    }),
    ReplaceIamInstanceProfileAssociation: h<ReplaceIamInstanceProfileAssociationCommandInput, NetworkState>((i, ctx) => {
      const old = i.AssociationId ? ctx.state.associations[i.AssociationId] : undefined;
      if (!old || old.State !== 'associated')
        return ctx.error('InvalidAssociationID.NotFound', `An association ID '${i.AssociationId ?? ''}' does not exist`);
      const arn = requireProfile(ctx, i.IamInstanceProfile?.Arn);
      old.State = 'disassociated';
      const a: ProfileAssociationRecord = { AssociationId: ctx.id('iip-assoc'), InstanceId: old.InstanceId, Arn: arn, State: 'associated' };
      ctx.state.associations[a.AssociationId] = a;
      return { IamInstanceProfileAssociation: { ...assocView(a), State: 'associating' } };
    }),
  },
};
