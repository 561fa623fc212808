import {
  EC2Client,
  type AuthorizeSecurityGroupIngressCommandInput,
  type CreateSecurityGroupCommandInput,
  type DescribeSecurityGroupsCommandInput,
  type IpPermission,
  type RevokeSecurityGroupIngressCommandInput,
} from '@aws-sdk/client-ec2';
import { h, type CallContext, type Handler, type ModelModule } from '../types';
import { applyTagSpecifications, matches, tagField, tagList } from './ec2-tags';

/** One rule as AWS stores it: a protocol/port range and exactly one peer. */
export interface Rule {
  IpProtocol: string;
  FromPort?: number;
  ToPort?: number;
  peer: { v4: string } | { v6: string } | { group: string } | { prefix: string };
}

export interface GroupRecord {
  GroupId: string;
  GroupName: string;
  Description: string;
  VpcId: string;
  ingress: Rule[];
  egress: Rule[];
}

export interface GroupState {
  groups: Record<string, GroupRecord>;
}

/** Splits IpPermissions into single-peer rules (AWS compares and stores them that way). */
export function toRules(perms: IpPermission[] | undefined): Rule[] {
  const out: Rule[] = [];
  for (const p of perms ?? []) {
    const base = {
      IpProtocol: p.IpProtocol === 'all' ? '-1' : (p.IpProtocol ?? '-1'),
      ...(p.IpProtocol !== '-1' && p.FromPort !== undefined ? { FromPort: p.FromPort } : {}),
      ...(p.IpProtocol !== '-1' && p.ToPort !== undefined ? { ToPort: p.ToPort } : {}),
    };
    for (const r of p.IpRanges ?? []) out.push({ ...base, peer: { v4: r.CidrIp ?? '' } });
    for (const r of p.Ipv6Ranges ?? []) out.push({ ...base, peer: { v6: r.CidrIpv6 ?? '' } });
    for (const r of p.UserIdGroupPairs ?? []) out.push({ ...base, peer: { group: r.GroupId ?? '' } });
    for (const r of p.PrefixListIds ?? []) out.push({ ...base, peer: { prefix: r.PrefixListId ?? '' } });
  }
  return out;
}

const same = (a: Rule, b: Rule) => JSON.stringify(a) === JSON.stringify(b);

/** Back to IpPermissions, one per rule (as DescribeSecurityGroups may legitimately return them). */
export function toPermissions(rules: Rule[]): IpPermission[] {
  return rules.map((r) => ({
    IpProtocol: r.IpProtocol,
    ...(r.FromPort !== undefined ? { FromPort: r.FromPort } : {}),
    ...(r.ToPort !== undefined ? { ToPort: r.ToPort } : {}),
    IpRanges: 'v4' in r.peer ? [{ CidrIp: r.peer.v4 }] : [],
    Ipv6Ranges: 'v6' in r.peer ? [{ CidrIpv6: r.peer.v6 }] : [],
    UserIdGroupPairs: 'group' in r.peer ? [{ GroupId: r.peer.group }] : [],
    PrefixListIds: 'prefix' in r.peer ? [{ PrefixListId: r.peer.prefix }] : [],
  }));
}

function requireGroup(ctx: CallContext<GroupState>, id: string | undefined): GroupRecord {
  const g = id ? ctx.state.groups[id] : undefined;
  if (!g) ctx.error('InvalidGroup.NotFound', `The security group '${id ?? ''}' does not exist`);
  return g;
}

/** Authorize: any rule already present refuses the whole request (InvalidPermission.Duplicate), as in AWS. */
function authorize(direction: 'ingress' | 'egress'): Handler<GroupState> {
  return h<AuthorizeSecurityGroupIngressCommandInput, GroupState>((i, ctx) => {
    const g = requireGroup(ctx, i.GroupId);
    const rules = toRules(i.IpPermissions);
    const dup = rules.find((r) => g[direction].some((x) => same(x, r)));
    if (dup)
      ctx.error(
        'InvalidPermission.Duplicate',
        `the specified rule "peer: ${JSON.stringify(dup.peer)}, ${dup.IpProtocol}, ALLOW" already exists`,
      );
    g[direction].push(...rules);
    return {
      Return: true,
      SecurityGroupRules: rules.map((r) => ({
        SecurityGroupRuleId: ctx.id('sgr'),
        GroupId: g.GroupId,
        IsEgress: direction === 'egress',
        IpProtocol: r.IpProtocol,
      })),
    };
  });
}

/** Revoke: rules that exist go; unknown ones are listed in UnknownIpPermissions, without an error (AWS's documented behaviour). */
function revoke(direction: 'ingress' | 'egress'): Handler<GroupState> {
  return h<RevokeSecurityGroupIngressCommandInput, GroupState>((i, ctx) => {
    const g = requireGroup(ctx, i.GroupId);
    const rules = toRules(i.IpPermissions);
    const unknown = rules.filter((r) => !g[direction].some((x) => same(x, r)));
    g[direction] = g[direction].filter((x) => !rules.some((r) => same(x, r)));
    return { Return: true, ...(unknown.length ? { UnknownIpPermissions: toPermissions(unknown) } : {}) };
  });
}

/** Security groups and their rules; a new group gets AWS's default allow-all IPv4 egress rule. */
export const ec2SecurityGroups: ModelModule<GroupState> = {
  name: 'ec2-security-groups',
  service: 'ec2',
  client: EC2Client,
  scope: 'regional',
  throttlingCode: 'RequestLimitExceeded',
  initial: () => ({ groups: {} }),
  owns: (s, id) => id in s.groups,
  handlers: {
    DescribeSecurityGroups: h<DescribeSecurityGroupsCommandInput, GroupState>((i, ctx) => {
      for (const id of i.GroupIds ?? []) requireGroup(ctx, id);
      const found = Object.values(ctx.state.groups).filter(
        (g) =>
          (!i.GroupIds?.length || i.GroupIds.includes(g.GroupId)) &&
          matches(i.Filters, (name) =>
            name === 'vpc-id'
              ? [g.VpcId]
              : name === 'group-name'
                ? [g.GroupName]
                : name === 'group-id'
                  ? [g.GroupId]
                  : tagField(ctx, g.GroupId, name),
          ),
      );
      return {
        SecurityGroups: found.map((g) => ({
          GroupId: g.GroupId,
          GroupName: g.GroupName,
          Description: g.Description,
          VpcId: g.VpcId,
          OwnerId: ctx.model.account,
          IpPermissions: toPermissions(g.ingress),
          IpPermissionsEgress: toPermissions(g.egress),
          Tags: tagList(ctx, g.GroupId),
        })),
      };
    }),
    CreateSecurityGroup: h<CreateSecurityGroupCommandInput, GroupState>((i, ctx) => {
      if (!i.VpcId || !i.GroupName) return ctx.error('MissingParameter', 'GroupName and VpcId are required');
      if (Object.values(ctx.state.groups).some((g) => g.VpcId === i.VpcId && g.GroupName === i.GroupName))
        ctx.error('InvalidGroup.Duplicate', `The security group '${i.GroupName}' already exists for VPC '${i.VpcId}'`);
      const g: GroupRecord = {
        GroupId: ctx.id('sg'),
        GroupName: i.GroupName,
        Description: i.Description ?? '',
        VpcId: i.VpcId,
        ingress: [],
        egress: [{ IpProtocol: '-1', peer: { v4: '0.0.0.0/0' } }],
      };
      ctx.state.groups[g.GroupId] = g;
      applyTagSpecifications(ctx, g.GroupId, 'security-group', i.TagSpecifications);
      return { GroupId: g.GroupId };
    }),
    AuthorizeSecurityGroupIngress: authorize('ingress'),
    AuthorizeSecurityGroupEgress: authorize('egress'),
    RevokeSecurityGroupIngress: revoke('ingress'),
    RevokeSecurityGroupEgress: revoke('egress'),
  },
};
