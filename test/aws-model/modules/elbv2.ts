import {
  ElasticLoadBalancingV2Client,
  type DeregisterTargetsCommandInput,
  type DescribeTargetGroupsCommandInput,
  type DescribeTargetHealthCommandInput,
  type RegisterTargetsCommandInput,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { h, type CallContext, type ModelModule } from '../types';

export interface TargetGroupRecord {
  TargetGroupArn: string;
  TargetGroupName: string;
  TargetType: 'instance' | 'ip' | 'lambda';
  VpcId: string;
  Port: number;
  targets: { Id: string; Port: number }[];
}

export interface ElbState {
  targetGroups: Record<string, TargetGroupRecord>;
}

function requireTg(ctx: CallContext<ElbState>, arn: string | undefined): TargetGroupRecord {
  const tg = arn ? ctx.state.targetGroups[arn] : undefined;
  if (!tg) ctx.error('TargetGroupNotFound', `Target groups '${arn ?? ''}' not found`);
  return tg;
}

/** Target groups and registrations. Registering twice or deregistering an absent target is accepted, as in AWS. */
export const elbv2: ModelModule<ElbState> = {
  name: 'elbv2',
  service: 'elbv2',
  client: ElasticLoadBalancingV2Client,
  scope: 'regional',
  initial: () => ({ targetGroups: {} }),
  handlers: {
    DescribeTargetGroups: h<DescribeTargetGroupsCommandInput, ElbState>((i, ctx) => ({
      TargetGroups: Object.values(ctx.state.targetGroups)
        .filter((t) => !i.TargetGroupArns?.length || i.TargetGroupArns.includes(t.TargetGroupArn))
        .map(({ targets: _t, ...t }) => t),
    })),
    DescribeTargetHealth: h<DescribeTargetHealthCommandInput, ElbState>((i, ctx) => {
      const tg = requireTg(ctx, i.TargetGroupArn);
      if (i.Targets?.length)
        return {
          TargetHealthDescriptions: i.Targets.map((t) => {
            const port = t.Port ?? tg.Port;
            const on = tg.targets.some((x) => x.Id === t.Id && x.Port === port);
            return {
              Target: { Id: t.Id, Port: port },
              TargetHealth: on
                ? { State: 'healthy' }
                : { State: 'unused', Reason: 'Target.NotRegistered', Description: 'Target is not registered to the target group' },
            };
          }),
        };
      return { TargetHealthDescriptions: tg.targets.map((t) => ({ Target: { ...t }, TargetHealth: { State: 'healthy' } })) };
    }),
    RegisterTargets: h<RegisterTargetsCommandInput, ElbState>((i, ctx) => {
      const tg = requireTg(ctx, i.TargetGroupArn);
      for (const t of i.Targets ?? []) {
        const port = t.Port ?? tg.Port;
        if (!tg.targets.some((x) => x.Id === t.Id && x.Port === port)) tg.targets.push({ Id: t.Id ?? '', Port: port });
      }
      return {};
    }),
    DeregisterTargets: h<DeregisterTargetsCommandInput, ElbState>((i, ctx) => {
      const tg = requireTg(ctx, i.TargetGroupArn);
      tg.targets = tg.targets.filter((x) => !(i.Targets ?? []).some((t) => t.Id === x.Id && (t.Port ?? tg.Port) === x.Port));
      return {};
    }),
  },
};
