import { AppError } from '../../core/errors';
import { type StepContext, read } from './context';
import { defineGuards } from './guard';

type Params = Record<string, unknown>;

/** Which Auto Scaling group holds the instance, and in which lifecycle state. */
async function membership(ctx: StepContext, id: string): Promise<{ group: string; state: string } | null> {
  const out = await read<{ AutoScalingInstances?: { AutoScalingGroupName?: string; LifecycleState?: string }[] }>(
    ctx,
    'autoscaling',
    'DescribeAutoScalingInstances',
    {
      InstanceIds: [id],
    },
  );
  const m = out.AutoScalingInstances?.[0];
  return m?.AutoScalingGroupName ? { group: m.AutoScalingGroupName, state: m.LifecycleState ?? '' } : null;
}

/** Attaching or leaving Standby raises desired capacity; AWS refuses it beyond the maximum, so say so first, with what to do. */
async function requireRoom(ctx: StepContext, p: Params): Promise<void> {
  const name = String(p.AutoScalingGroupName);
  const out = await read<{ AutoScalingGroups?: { DesiredCapacity?: number; MaxSize?: number }[] }>(
    ctx,
    'autoscaling',
    'DescribeAutoScalingGroups',
    {
      AutoScalingGroupNames: [name],
    },
  );
  const g = out.AutoScalingGroups?.[0];
  const n = (p.InstanceIds as string[]).length;
  if (g?.DesiredCapacity !== undefined && g.MaxSize !== undefined && g.DesiredCapacity + n > g.MaxSize)
    throw new AppError(
      'asg-at-maximum',
      `Auto Scaling group ${name} is at its maximum (desired ${g.DesiredCapacity}, maximum ${g.MaxSize}): putting ${(p.InstanceIds as string[]).join(', ')} back would need desired ${g.DesiredCapacity + n}.`,
      "Raise the group's maximum size (or scale it in) in the console, then resume the release; the other restored parts stay restored.",
    );
}

const targetStates = async (ctx: StepContext, p: Params): Promise<{ Id?: string; Port?: number; State?: string }[]> => {
  const out = await read<{ TargetHealthDescriptions?: { Target?: { Id?: string; Port?: number }; TargetHealth?: { State?: string } }[] }>(
    ctx,
    'elbv2',
    'DescribeTargetHealth',
    { TargetGroupArn: p.TargetGroupArn, Targets: p.Targets },
  );
  return (out.TargetHealthDescriptions ?? []).map((d) => ({ Id: d.Target?.Id, Port: d.Target?.Port, State: d.TargetHealth?.State }));
};
const GONE = new Set(['unused', 'draining']);

defineGuards('autoscaling', {
  DetachInstances: {
    checks: ['autoscaling:DescribeAutoScalingInstances'],
    async inPlace(ctx, p) {
      const m = await membership(ctx, (p.InstanceIds as string[])[0]!);
      return m?.group === p.AutoScalingGroupName ? null : { saw: { AutoScalingGroupName: p.AutoScalingGroupName, member: false, now: m } };
    },
  },
  EnterStandby: {
    checks: ['autoscaling:DescribeAutoScalingInstances'],
    async inPlace(ctx, p) {
      const m = await membership(ctx, (p.InstanceIds as string[])[0]!);
      return m && m.group === p.AutoScalingGroupName && /Standby/.test(m.state) ? { saw: m } : null;
    },
  },
  AttachInstances: {
    checks: ['autoscaling:DescribeAutoScalingInstances', 'autoscaling:DescribeAutoScalingGroups'],
    async inPlace(ctx, p) {
      const m = await membership(ctx, (p.InstanceIds as string[])[0]!);
      if (!m) return null;
      if (m.group === p.AutoScalingGroupName) return { saw: m };
      throw new AppError(
        'asg-member-elsewhere',
        `The instance is now in Auto Scaling group ${m.group}, not ${String(p.AutoScalingGroupName)}.`,
        'Someone attached it elsewhere since the isolation; Lariat leaves it there. Detach it by hand if it should go back, then resume.',
      );
    },
    before: requireRoom,
  },
  ExitStandby: {
    checks: ['autoscaling:DescribeAutoScalingInstances', 'autoscaling:DescribeAutoScalingGroups'],
    async inPlace(ctx, p) {
      const m = await membership(ctx, (p.InstanceIds as string[])[0]!);
      return m && m.group === p.AutoScalingGroupName && !/Standby/.test(m.state) ? { saw: m } : null;
    },
    before: requireRoom,
  },
});

defineGuards('elbv2', {
  DeregisterTargets: {
    checks: ['elbv2:DescribeTargetHealth'],
    async inPlace(ctx, p) {
      const states = await targetStates(ctx, p);
      return states.length && states.every((s) => GONE.has(s.State ?? '')) ? { saw: states } : null;
    },
  },
  RegisterTargets: {
    checks: ['elbv2:DescribeTargetHealth'],
    async inPlace(ctx, p) {
      const states = await targetStates(ctx, p);
      return states.length && states.every((s) => !GONE.has(s.State ?? 'unused')) ? { saw: states } : null;
    },
  },
});

defineGuards('iam', {
  /** The revocation's cut-off is the time of this attempt, so only the exact document sent counts as in place. */
  PutRolePolicy: {
    checks: ['iam:GetRolePolicy'],
    async inPlace(ctx, p) {
      try {
        const out = await read<{ PolicyDocument?: string }>(ctx, 'iam', 'GetRolePolicy', {
          RoleName: p.RoleName,
          PolicyName: p.PolicyName,
        });
        const doc = decodeURIComponent(out.PolicyDocument ?? '');
        return JSON.stringify(JSON.parse(doc)) === JSON.stringify(JSON.parse(String(p.PolicyDocument)))
          ? { saw: { PolicyName: p.PolicyName } }
          : null;
      } catch (err) {
        if (err instanceof AppError && err.code === 'aws-not-found') return null;
        throw err;
      }
    },
  },
});

defineGuards('ssm', {
  /** SendCommand has no idempotency token: a command of this action (its comment names it) that already exists is the one to follow. */
  SendCommand: {
    checks: ['ssm:ListCommands'],
    async inPlace(ctx, p) {
      const out = await read<{ Commands?: { CommandId?: string; Comment?: string; Status?: string }[] }>(ctx, 'ssm', 'ListCommands', {
        InstanceId: (p.InstanceIds as string[])[0],
        Filters: [{ key: 'DocumentName', value: p.DocumentName }],
      });
      const c = out.Commands?.find((x) => x.Comment === p.Comment);
      return c?.CommandId ? { saw: c, result: { Command: { CommandId: c.CommandId, Status: c.Status } } } : null;
    },
  },
});
