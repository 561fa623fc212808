import { AppError } from '../../core/errors';
import { awsErrorCode } from '../../aws/errors';
import { type Executor, type StepContext, mustStop, ok, read, send } from './context';
import { defineGuards, runGuarded } from './guard';

/** One security-group rule with one peer, in a form that compares exactly (AWS stores and matches rules this way). */
interface Rule {
  IpProtocol: string;
  FromPort?: number;
  ToPort?: number;
  CidrIp?: string;
  CidrIpv6?: string;
  GroupId?: string;
  PrefixListId?: string;
}

export interface Permission {
  IpProtocol?: string;
  FromPort?: number;
  ToPort?: number;
  IpRanges?: { CidrIp?: string }[];
  Ipv6Ranges?: { CidrIpv6?: string }[];
  UserIdGroupPairs?: { GroupId?: string }[];
  PrefixListIds?: { PrefixListId?: string }[];
}

function rules(perms: Permission[] | undefined): Rule[] {
  const out: Rule[] = [];
  for (const p of perms ?? []) {
    const proto = p.IpProtocol ?? '-1';
    const base: Rule = { IpProtocol: proto, ...(proto !== '-1' ? { FromPort: p.FromPort, ToPort: p.ToPort } : {}) };
    for (const r of p.IpRanges ?? []) out.push({ ...base, CidrIp: r.CidrIp });
    for (const r of p.Ipv6Ranges ?? []) out.push({ ...base, CidrIpv6: r.CidrIpv6 });
    for (const r of p.UserIdGroupPairs ?? []) out.push({ ...base, GroupId: r.GroupId });
    for (const r of p.PrefixListIds ?? []) out.push({ ...base, PrefixListId: r.PrefixListId });
  }
  return out;
}

/** Whether a group's permissions are exactly the wanted ones, rule by rule. */
export function sameRules(have: Permission[] | undefined, want: Permission[]): boolean {
  const a = rules(have).map(keyOf).sort();
  const b = rules(want).map(keyOf).sort();
  return a.length === b.length && a.every((k, i) => k === b[i]);
}

const keyOf = (r: Rule) =>
  JSON.stringify([
    r.IpProtocol,
    r.FromPort ?? null,
    r.ToPort ?? null,
    r.CidrIp ?? null,
    r.CidrIpv6 ?? null,
    r.GroupId ?? null,
    r.PrefixListId ?? null,
  ]);

function permission(r: Rule): Permission {
  return {
    IpProtocol: r.IpProtocol,
    ...(r.FromPort !== undefined ? { FromPort: r.FromPort } : {}),
    ...(r.ToPort !== undefined ? { ToPort: r.ToPort } : {}),
    ...(r.CidrIp ? { IpRanges: [{ CidrIp: r.CidrIp }] } : {}),
    ...(r.CidrIpv6 ? { Ipv6Ranges: [{ CidrIpv6: r.CidrIpv6 }] } : {}),
    ...(r.GroupId ? { UserIdGroupPairs: [{ GroupId: r.GroupId }] } : {}),
    ...(r.PrefixListId ? { PrefixListIds: [{ PrefixListId: r.PrefixListId }] } : {}),
  };
}

async function findGroup(ctx: StepContext, vpcId: unknown, name: unknown): Promise<string | null> {
  const out = await read<{ SecurityGroups?: { GroupId?: string }[] }>(ctx, 'ec2', 'DescribeSecurityGroups', {
    Filters: [
      { Name: 'vpc-id', Values: [vpcId] },
      { Name: 'group-name', Values: [name] },
    ],
  });
  return out.SecurityGroups?.[0]?.GroupId ?? null;
}

defineGuards('ec2', {
  CreateSecurityGroup: {
    checks: ['ec2:DescribeSecurityGroups'],
    async inPlace(ctx, p) {
      const id = await findGroup(ctx, p.VpcId, p.GroupName);
      return id ? { saw: { GroupId: id, GroupName: p.GroupName }, result: { GroupId: id } } : null;
    },
  },
});

const RULE_OPS = {
  ingress: { add: 'AuthorizeSecurityGroupIngress', remove: 'RevokeSecurityGroupIngress' },
  egress: { add: 'AuthorizeSecurityGroupEgress', remove: 'RevokeSecurityGroupEgress' },
} as const;

/** Security-group rule calls whose failure only means "look again" (a repeat, a lost reply, a rule changed meanwhile). */
const convergeable = (err: unknown): boolean =>
  /^InvalidPermission\.(Duplicate|NotFound)$/.test(awsErrorCode(err instanceof AppError ? err.cause : err)) ||
  (err instanceof AppError && ['aws-timeout', 'aws-unreachable', 'aws-service-error'].includes(err.code));

/**
 * Makes a group's rules exactly the wanted set: reads the group, revokes
 * every other rule, authorizes what is missing, and reads again until they
 * match (a repeated or lost call just leads to another look). A reused group
 * is never trusted: whatever someone changed is put back before any
 * interface is moved into it.
 */
const ensureRules: Executor = async (ctx) => {
  const groupId = ctx.request.GroupId as string;
  const want = { ingress: rules(ctx.request.Ingress as Permission[]), egress: rules(ctx.request.Egress as Permission[]) };
  const changed: Record<string, Permission[]> = {};
  const retried: string[] = [];
  for (let pass = 1; pass <= 4; pass++) {
    const out = await read<{ SecurityGroups?: { IpPermissions?: Permission[]; IpPermissionsEgress?: Permission[] }[] }>(
      ctx,
      'ec2',
      'DescribeSecurityGroups',
      {
        GroupIds: [groupId],
      },
    );
    const g = out.SecurityGroups?.[0];
    const have = { ingress: rules(g?.IpPermissions), egress: rules(g?.IpPermissionsEgress) };
    const plan = (['ingress', 'egress'] as const).map((dir) => {
      const wanted = new Set(want[dir].map(keyOf));
      const present = new Set(have[dir].map(keyOf));
      return { dir, extra: have[dir].filter((r) => !wanted.has(keyOf(r))), missing: want[dir].filter((r) => !present.has(keyOf(r))) };
    });
    if (plan.every((p) => !p.extra.length && !p.missing.length))
      return ok({
        GroupId: groupId,
        Exact: true,
        ...(Object.keys(changed).length || retried.length
          ? { Changed: changed, ...(retried.length ? { LookedAgainAfter: retried } : {}) }
          : { AlreadyInPlace: true, CheckedWith: ['ec2:DescribeSecurityGroups'] }),
      });
    for (const p of plan)
      for (const [kind, list] of [
        ['remove', p.extra],
        ['add', p.missing],
      ] as const) {
        if (!list.length) continue;
        const operation = RULE_OPS[p.dir][kind];
        const IpPermissions = list.map(permission);
        try {
          await ctx.clients.call(
            'ec2',
            ctx.region,
            operation,
            { GroupId: groupId, IpPermissions },
            { signal: ctx.signal, onRetry: ctx.onRetry, context: ctx.instanceId },
          );
          (changed[operation] ??= []).push(...IpPermissions);
        } catch (err) {
          if (mustStop(ctx, err) || !convergeable(err)) throw err;
          retried.push(`${operation}: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
  }
  throw new AppError(
    'sg-rules-not-exact',
    `The rules of security group ${groupId} could not be made exact after several attempts (something keeps changing them).`,
    'Look at the group in the console (another tool or person may be editing it), then resume: the step checks the rules again.',
  );
};

/**
 * Finds Lariat's group in the VPC by its name, or creates it. CreateSecurityGroup
 * is not idempotent; a create whose reply was lost is found by name afterwards.
 */
const ensureGroup: Executor = async (ctx) => {
  const outcome = await runGuarded(ctx, ctx.request, () => send(ctx));
  const r = outcome.result as { GroupId?: string; AlreadyInPlace?: boolean };
  return { ...outcome, result: { ...r, Reused: Boolean(r.AlreadyInPlace) } };
};

export const securityGroupExecutors: Record<string, Executor> = {
  'ensure-sg': ensureGroup,
  'create-sg': ensureGroup,
  'ensure-sg-rules': ensureRules,
};
