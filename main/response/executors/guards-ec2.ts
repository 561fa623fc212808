import { AppError } from '../../core/errors';
import type { NaclEntry } from '../plans/nacl';
import { type StepContext, read } from './context';
import { defineGuards, type InPlace } from './guard';

type Params = Record<string, unknown>;
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));

/** The instance's associated profile (at most one), read by instance id. */
async function currentProfile(
  ctx: StepContext,
  instanceId: string,
): Promise<{ AssociationId?: string; IamInstanceProfile?: { Arn?: string } } | undefined> {
  const out = await read<{
    IamInstanceProfileAssociations?: { AssociationId?: string; State?: string; IamInstanceProfile?: { Arn?: string } }[];
  }>(ctx, 'ec2', 'DescribeIamInstanceProfileAssociations', { Filters: [{ Name: 'instance-id', Values: [instanceId] }] });
  return out.IamInstanceProfileAssociations?.find((a) => a.State === 'associated' || a.State === 'associating');
}

/** The ACL entry with this number and direction, if any. */
async function aclEntry(
  ctx: StepContext,
  p: Params,
): Promise<
  { RuleNumber?: number; Egress?: boolean; RuleAction?: string; Protocol?: string; CidrBlock?: string; Ipv6CidrBlock?: string } | undefined
> {
  const out = await read<{
    NetworkAcls?: {
      Entries?: {
        RuleNumber?: number;
        Egress?: boolean;
        RuleAction?: string;
        Protocol?: string;
        CidrBlock?: string;
        Ipv6CidrBlock?: string;
      }[];
    }[];
  }>(ctx, 'ec2', 'DescribeNetworkAcls', { NetworkAclIds: [p.NetworkAclId] });
  return out.NetworkAcls?.[0]?.Entries?.find((e) => e.RuleNumber === p.RuleNumber && Boolean(e.Egress) === Boolean(p.Egress));
}

const isOurDeny = (
  e: { RuleAction?: string; Protocol?: string; CidrBlock?: string; Ipv6CidrBlock?: string },
  want: { CidrBlock?: unknown; Ipv6CidrBlock?: unknown },
) =>
  e.RuleAction === 'deny' &&
  e.Protocol === '-1' &&
  (e.CidrBlock ?? null) === (want.CidrBlock ?? null) &&
  (e.Ipv6CidrBlock ?? null) === (want.Ipv6CidrBlock ?? null);

defineGuards('ec2', {
  ModifyInstanceAttribute: {
    checks: ['ec2:DescribeInstanceAttribute'],
    async inPlace(ctx, p) {
      const InstanceId = p.InstanceId;
      if (p.DisableApiTermination) {
        const out = await read<{ DisableApiTermination?: { Value?: boolean } }>(ctx, 'ec2', 'DescribeInstanceAttribute', {
          InstanceId,
          Attribute: 'disableApiTermination',
        });
        const want = (p.DisableApiTermination as { Value?: boolean }).Value;
        return out.DisableApiTermination?.Value === want ? { saw: { DisableApiTermination: want } } : null;
      }
      if (p.InstanceInitiatedShutdownBehavior) {
        const out = await read<{ InstanceInitiatedShutdownBehavior?: { Value?: string } }>(ctx, 'ec2', 'DescribeInstanceAttribute', {
          InstanceId,
          Attribute: 'instanceInitiatedShutdownBehavior',
        });
        const want = (p.InstanceInitiatedShutdownBehavior as { Value?: string }).Value;
        return out.InstanceInitiatedShutdownBehavior?.Value === want ? { saw: { InstanceInitiatedShutdownBehavior: want } } : null;
      }
      if (Array.isArray(p.BlockDeviceMappings)) {
        const out = await read<{ BlockDeviceMappings?: { DeviceName?: string; Ebs?: { DeleteOnTermination?: boolean } }[] }>(
          ctx,
          'ec2',
          'DescribeInstanceAttribute',
          {
            InstanceId,
            Attribute: 'blockDeviceMapping',
          },
        );
        const wanted = p.BlockDeviceMappings as { DeviceName?: string; Ebs?: { DeleteOnTermination?: boolean } }[];
        const all = wanted.every((w) =>
          out.BlockDeviceMappings?.some((m) => m.DeviceName === w.DeviceName && m.Ebs?.DeleteOnTermination === w.Ebs?.DeleteOnTermination),
        );
        return all ? { saw: { BlockDeviceMappings: wanted } } : null;
      }
      return null;
    },
  },
  ModifyNetworkInterfaceAttribute: {
    checks: ['ec2:DescribeNetworkInterfaces'],
    async inPlace(ctx, p) {
      if (!Array.isArray(p.Groups)) return null;
      const out = await read<{ NetworkInterfaces?: { Groups?: { GroupId?: string }[] }[] }>(ctx, 'ec2', 'DescribeNetworkInterfaces', {
        NetworkInterfaceIds: [p.NetworkInterfaceId],
      });
      const groups = (out.NetworkInterfaces?.[0]?.Groups ?? []).map((g) => g.GroupId ?? '');
      return sameSet(groups, p.Groups as string[]) ? { saw: { NetworkInterfaceId: p.NetworkInterfaceId, Groups: groups } } : null;
    },
  },
  CreateTags: {
    checks: ['ec2:DescribeTags'],
    async inPlace(ctx, p) {
      const resources = p.Resources as string[];
      const tags = p.Tags as { Key: string; Value: string }[];
      const out = await read<{ Tags?: { ResourceId?: string; Key?: string; Value?: string }[] }>(ctx, 'ec2', 'DescribeTags', {
        Filters: [
          { Name: 'resource-id', Values: resources },
          { Name: 'key', Values: tags.map((t) => t.Key) },
        ],
      });
      const have = out.Tags ?? [];
      const all = resources.every((r) => tags.every((t) => have.some((x) => x.ResourceId === r && x.Key === t.Key && x.Value === t.Value)));
      return all ? { saw: { Tags: have } } : null;
    },
  },
  DisassociateAddress: {
    checks: ['ec2:DescribeAddresses'],
    async inPlace(ctx, p) {
      const out = await read<{ Addresses?: unknown[] }>(ctx, 'ec2', 'DescribeAddresses', {
        Filters: [{ Name: 'association-id', Values: [p.AssociationId] }],
      });
      return out.Addresses?.length ? null : { saw: { AssociationId: p.AssociationId, associated: false } };
    },
  },
  AssociateAddress: {
    checks: ['ec2:DescribeAddresses'],
    async inPlace(ctx, p) {
      const out = await read<{
        Addresses?: {
          PublicIp?: string;
          AssociationId?: string;
          NetworkInterfaceId?: string;
          InstanceId?: string;
          PrivateIpAddress?: string;
        }[];
      }>(ctx, 'ec2', 'DescribeAddresses', { AllocationIds: [p.AllocationId] });
      const a = out.Addresses?.[0];
      if (!a?.AssociationId) return null;
      const here =
        (p.NetworkInterfaceId ? a.NetworkInterfaceId === p.NetworkInterfaceId : a.InstanceId === p.InstanceId) &&
        (!p.PrivateIpAddress || a.PrivateIpAddress === p.PrivateIpAddress);
      if (here) return { saw: a, result: { AssociationId: a.AssociationId } };
      throw new AppError(
        'eip-associated-elsewhere',
        `Elastic IP ${a.PublicIp ?? str(p.AllocationId)} is now associated with ${a.NetworkInterfaceId ?? a.InstanceId ?? 'another resource'}, not where the isolation found it.`,
        'Lariat does not take an address away from another resource. Disassociate it by hand if it should come back here, then resume the release.',
      );
    },
  },
  DisassociateIamInstanceProfile: {
    checks: ['ec2:DescribeIamInstanceProfileAssociations'],
    async inPlace(ctx, p) {
      try {
        const out = await read<{ IamInstanceProfileAssociations?: { State?: string }[] }>(
          ctx,
          'ec2',
          'DescribeIamInstanceProfileAssociations',
          { AssociationIds: [p.AssociationId] },
        );
        const state = out.IamInstanceProfileAssociations?.[0]?.State;
        return state === 'associated' || state === 'associating'
          ? null
          : { saw: { AssociationId: p.AssociationId, State: state ?? 'gone' } };
      } catch (err) {
        if (err instanceof AppError && err.code === 'aws-not-found') return { saw: { AssociationId: p.AssociationId, State: 'gone' } };
        throw err;
      }
    },
  },
  AssociateIamInstanceProfile: {
    checks: ['ec2:DescribeIamInstanceProfileAssociations'],
    async inPlace(ctx, p) {
      const want = (p.IamInstanceProfile as { Arn?: string }).Arn;
      const cur = await currentProfile(ctx, str(p.InstanceId));
      if (!cur) return null;
      if (cur.IamInstanceProfile?.Arn === want)
        return { saw: cur, result: { IamInstanceProfileAssociation: { AssociationId: cur.AssociationId } } };
      throw new AppError(
        'profile-associated-elsewhere',
        `Instance ${str(p.InstanceId)} now has instance profile ${cur.IamInstanceProfile?.Arn ?? '?'} associated, not ${want ?? '?'}.`,
        'Someone changed it since the isolation; Lariat does not replace a profile it did not put there. Remove or replace it by hand, then resume the release.',
      );
    },
  },
  ReplaceIamInstanceProfileAssociation: {
    checks: ['ec2:DescribeIamInstanceProfileAssociations'],
    async inPlace(ctx, p) {
      const want = (p.IamInstanceProfile as { Arn?: string }).Arn;
      const cur = await currentProfile(ctx, ctx.instanceId);
      return cur && cur.IamInstanceProfile?.Arn === want
        ? { saw: cur, result: { IamInstanceProfileAssociation: { AssociationId: cur.AssociationId } } }
        : null;
    },
  },
  CreateNetworkAclEntry: {
    checks: ['ec2:DescribeNetworkAcls'],
    async inPlace(ctx, p) {
      const e = await aclEntry(ctx, p);
      if (!e) return null;
      if (isOurDeny(e, p)) return { saw: e };
      throw new AppError(
        'nacl-rule-taken',
        `Rule ${String(p.RuleNumber)} (${p.Egress ? 'outbound' : 'inbound'}) of network ACL ${str(p.NetworkAclId)} was taken by another entry since planning.`,
        'Plan the isolation again: planning picks free rule numbers. Steps that already succeeded stay done.',
      );
    },
  },
  DeleteNetworkAclEntry: {
    checks: ['ec2:DescribeNetworkAcls'],
    async inPlace(ctx, p) {
      const e = await aclEntry(ctx, p);
      if (!e) return { saw: { NetworkAclId: p.NetworkAclId, RuleNumber: p.RuleNumber, Egress: p.Egress, present: false } };
      const restored = (ctx.recorded.restored ?? {}) as { nacl?: NaclEntry[] };
      const ours = restored.nacl?.find((x) => x.NetworkAclId === p.NetworkAclId && x.RuleNumber === p.RuleNumber && x.Egress === p.Egress);
      if (ours && isOurDeny(e, ours)) return null;
      throw new AppError(
        'nacl-entry-changed',
        `Rule ${String(p.RuleNumber)} (${p.Egress ? 'outbound' : 'inbound'}) of network ACL ${str(p.NetworkAclId)} is no longer the deny Lariat added (${e.RuleAction ?? '?'} ${e.CidrBlock ?? e.Ipv6CidrBlock ?? '?'}).`,
        'Someone replaced it; Lariat only removes its own entries. Check the ACL by hand, then resume the release (this step then finds its entry gone or yours left alone).',
      );
    },
  },
  ModifySnapshotAttribute: {
    checks: ['ec2:DescribeSnapshotAttribute'],
    async inPlace(ctx, p) {
      if (p.OperationType !== 'add') return null;
      const out = await read<{ CreateVolumePermissions?: { UserId?: string }[] }>(ctx, 'ec2', 'DescribeSnapshotAttribute', {
        SnapshotId: p.SnapshotId,
        Attribute: 'createVolumePermission',
      });
      const users = (out.CreateVolumePermissions ?? []).map((u) => u.UserId);
      return (p.UserIds as string[]).every((u) => users.includes(u))
        ? { saw: { SnapshotId: p.SnapshotId, CreateVolumePermissions: users } }
        : null;
    },
  },
  CreateSnapshots: {
    checks: ['ec2:DescribeSnapshots'],
    // CreateSnapshots has no client token: snapshots already tagged with this action are the ones a lost reply hid.
    async inPlace(ctx): Promise<InPlace | null> {
      const out = await read<{ Snapshots?: { SnapshotId?: string; VolumeId?: string; State?: string; VolumeSize?: number }[] }>(
        ctx,
        'ec2',
        'DescribeSnapshots',
        {
          OwnerIds: ['self'],
          Filters: [
            { Name: 'tag:lariat:action', Values: [String(ctx.actionId)] },
            { Name: 'tag:lariat:case', Values: [ctx.caseNumber] },
          ],
        },
      );
      const snaps = (out.Snapshots ?? []).map((s) => ({
        SnapshotId: s.SnapshotId,
        VolumeId: s.VolumeId,
        State: s.State,
        VolumeSize: s.VolumeSize,
      }));
      return snaps.length ? { saw: { Snapshots: snaps }, result: { Snapshots: snaps, Recovered: true } } : null;
    },
  },
  CopySnapshot: {
    checks: ['ec2:DescribeSnapshots'],
    // The copy carries this action's tags (applied atomically by CopySnapshot), so a lost reply is found by them.
    async inPlace(ctx, p) {
      const tags = ((p.TagSpecifications as { Tags?: { Key?: string; Value?: string }[] }[] | undefined)?.[0]?.Tags ?? []).filter(
        (t) => t.Key === 'lariat:action' || t.Key === 'lariat:source-volume',
      );
      if (tags.length < 2) return null;
      const out = await read<{ Snapshots?: { SnapshotId?: string; State?: string }[] }>(ctx, 'ec2', 'DescribeSnapshots', {
        OwnerIds: ['self'],
        Filters: tags.map((t) => ({ Name: `tag:${t.Key}`, Values: [t.Value] })),
      });
      const s = out.Snapshots?.[0];
      return s?.SnapshotId ? { saw: s, result: { SnapshotId: s.SnapshotId } } : null;
    },
  },
});
