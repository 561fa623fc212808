import {
  EC2Client,
  type CreateNetworkAclEntryCommandInput,
  type DeleteNetworkAclEntryCommandInput,
  type DescribeNetworkAclsCommandInput,
} from '@aws-sdk/client-ec2';
import { h, type CallContext, type ModelModule } from '../types';
import { matches, tagField, tagList } from './ec2-tags';

export interface AclEntry {
  RuleNumber: number;
  Egress: boolean;
  Protocol: string;
  RuleAction: 'allow' | 'deny';
  CidrBlock?: string;
  Ipv6CidrBlock?: string;
}

export interface AclRecord {
  NetworkAclId: string;
  VpcId: string;
  IsDefault: boolean;
  entries: AclEntry[];
  /** Subnets using this ACL (each subnet has exactly one). */
  subnets: string[];
}

export interface AclState {
  acls: Record<string, AclRecord>;
}

function requireAcl(ctx: CallContext<AclState>, id: string | undefined): AclRecord {
  const a = id ? ctx.state.acls[id] : undefined;
  if (!a) ctx.error('InvalidNetworkAclID.NotFound', `The network ACL '${id ?? ''}' does not exist`);
  return a;
}

/** Network ACLs: stateless, numbered entries evaluated lowest first; rule 32767 (deny all) cannot be changed. */
export const ec2NetworkAcls: ModelModule<AclState> = {
  name: 'ec2-network-acls',
  service: 'ec2',
  client: EC2Client,
  scope: 'regional',
  throttlingCode: 'RequestLimitExceeded',
  initial: () => ({ acls: {} }),
  owns: (s, id) => id in s.acls,
  handlers: {
    DescribeNetworkAcls: h<DescribeNetworkAclsCommandInput, AclState>((i, ctx) => {
      for (const id of i.NetworkAclIds ?? []) requireAcl(ctx, id);
      const found = Object.values(ctx.state.acls).filter(
        (a) =>
          (!i.NetworkAclIds?.length || i.NetworkAclIds.includes(a.NetworkAclId)) &&
          matches(i.Filters, (name) =>
            name === 'vpc-id'
              ? [a.VpcId]
              : name === 'association.subnet-id'
                ? a.subnets
                : name === 'network-acl-id'
                  ? [a.NetworkAclId]
                  : name === 'default'
                    ? [String(a.IsDefault)]
                    : tagField(ctx, a.NetworkAclId, name),
          ),
      );
      return {
        NetworkAcls: found.map((a) => ({
          NetworkAclId: a.NetworkAclId,
          VpcId: a.VpcId,
          IsDefault: a.IsDefault,
          Entries: [
            ...a.entries,
            { RuleNumber: 32767, Egress: false, Protocol: '-1', RuleAction: 'deny', CidrBlock: '0.0.0.0/0' },
            { RuleNumber: 32767, Egress: true, Protocol: '-1', RuleAction: 'deny', CidrBlock: '0.0.0.0/0' },
          ],
          Associations: a.subnets.map((SubnetId) => ({
            NetworkAclAssociationId: `aclassoc-${SubnetId}`,
            NetworkAclId: a.NetworkAclId,
            SubnetId,
          })),
          Tags: tagList(ctx, a.NetworkAclId),
        })),
      };
    }),
    CreateNetworkAclEntry: h<CreateNetworkAclEntryCommandInput, AclState>((i, ctx) => {
      const a = requireAcl(ctx, i.NetworkAclId);
      const n = i.RuleNumber ?? 0;
      if (n < 1 || n > 32766) ctx.error('InvalidParameterValue', `Rule number ${n} is outside 1-32766`);
      if (!i.CidrBlock === !i.Ipv6CidrBlock) ctx.error('InvalidParameterCombination', 'Give exactly one of CidrBlock and Ipv6CidrBlock');
      if (a.entries.some((e) => e.RuleNumber === n && e.Egress === Boolean(i.Egress)))
        ctx.error('NetworkAclEntryAlreadyExists', `The network acl entry identified by ${n} already exists.`);
      a.entries.push({
        RuleNumber: n,
        Egress: Boolean(i.Egress),
        Protocol: i.Protocol ?? '-1',
        RuleAction: i.RuleAction === 'deny' ? 'deny' : 'allow',
        ...(i.CidrBlock ? { CidrBlock: i.CidrBlock } : { Ipv6CidrBlock: i.Ipv6CidrBlock }),
      });
      a.entries.sort((x, y) => x.RuleNumber - y.RuleNumber);
      return {};
    }),
    DeleteNetworkAclEntry: h<DeleteNetworkAclEntryCommandInput, AclState>((i, ctx) => {
      const a = requireAcl(ctx, i.NetworkAclId);
      const k = a.entries.findIndex((e) => e.RuleNumber === i.RuleNumber && e.Egress === Boolean(i.Egress));
      if (k < 0) ctx.error('InvalidNetworkAclEntry.NotFound', 'The specified rule does not exist in this network acl');
      a.entries.splice(k, 1);
      return {};
    }),
  },
};
