import {
  AutoScalingClient,
  type AttachInstancesCommandInput,
  type DescribeAutoScalingGroupsCommandInput,
  type DescribeAutoScalingInstancesCommandInput,
  type DetachInstancesCommandInput,
  type EnterStandbyCommandInput,
  type ExitStandbyCommandInput,
} from '@aws-sdk/client-auto-scaling';
import { h, type CallContext, type ModelModule } from '../types';

export interface AsgMember {
  InstanceId: string;
  LifecycleState: 'InService' | 'Standby' | 'Pending';
  AvailabilityZone: string;
}

export interface AsgRecord {
  AutoScalingGroupName: string;
  MinSize: number;
  MaxSize: number;
  DesiredCapacity: number;
  members: AsgMember[];
}

export interface AsgState {
  groups: Record<string, AsgRecord>;
}

function requireGroup(ctx: CallContext<AsgState>, name: string | undefined): AsgRecord {
  const g = name ? ctx.state.groups[name] : undefined;
  if (!g) ctx.error('ValidationError', `AutoScalingGroup name not found - AutoScalingGroup ${name ?? ''} not found`);
  return g;
}

function member(ctx: CallContext<AsgState>, g: AsgRecord, id: string): AsgMember {
  const m = g.members.find((x) => x.InstanceId === id);
  if (!m) ctx.error('ValidationError', `The instance ${id} is not part of Auto Scaling group ${g.AutoScalingGroupName}.`);
  return m;
}

const activity = (ctx: CallContext<AsgState>, g: AsgRecord, what: string) => ({
  ActivityId: ctx.id('act'),
  AutoScalingGroupName: g.AutoScalingGroupName,
  Description: what,
  StatusCode: 'InProgress',
});

/**
 * Auto Scaling membership and capacity. Detaching without decrementing makes
 * the group launch a replacement (so desired stays and a new member appears);
 * attaching or leaving Standby raises desired capacity and is refused beyond
 * the group's maximum, as AWS refuses it.
 */
export const autoscaling: ModelModule<AsgState> = {
  name: 'autoscaling',
  service: 'autoscaling',
  client: AutoScalingClient,
  scope: 'regional',
  initial: () => ({ groups: {} }),
  handlers: {
    DescribeAutoScalingInstances: h<DescribeAutoScalingInstancesCommandInput, AsgState>((i, ctx) => {
      const out = [];
      for (const g of Object.values(ctx.state.groups))
        for (const m of g.members)
          if (!i.InstanceIds?.length || i.InstanceIds.includes(m.InstanceId))
            out.push({
              InstanceId: m.InstanceId,
              AutoScalingGroupName: g.AutoScalingGroupName,
              LifecycleState: m.LifecycleState,
              AvailabilityZone: m.AvailabilityZone,
              HealthStatus: 'HEALTHY',
            });
      return { AutoScalingInstances: out };
    }),
    DescribeAutoScalingGroups: h<DescribeAutoScalingGroupsCommandInput, AsgState>((i, ctx) => ({
      AutoScalingGroups: Object.values(ctx.state.groups)
        .filter((g) => !i.AutoScalingGroupNames?.length || i.AutoScalingGroupNames.includes(g.AutoScalingGroupName))
        .map((g) => ({
          AutoScalingGroupName: g.AutoScalingGroupName,
          MinSize: g.MinSize,
          MaxSize: g.MaxSize,
          DesiredCapacity: g.DesiredCapacity,
          Instances: g.members.map((m) => ({ ...m, HealthStatus: 'Healthy' })),
        })),
    })),
    DetachInstances: h<DetachInstancesCommandInput, AsgState>((i, ctx) => {
      const g = requireGroup(ctx, i.AutoScalingGroupName);
      const ids = i.InstanceIds ?? [];
      const ms = ids.map((id) => member(ctx, g, id));
      if (i.ShouldDecrementDesiredCapacity && g.DesiredCapacity - ids.length < g.MinSize)
        ctx.error('ValidationError', `Currently, desired capacity would go below the min size ${g.MinSize}.`);
      g.members = g.members.filter((m) => !ids.includes(m.InstanceId));
      if (i.ShouldDecrementDesiredCapacity) g.DesiredCapacity -= ids.length;
      else for (const m of ms) g.members.push({ InstanceId: ctx.id('i'), LifecycleState: 'Pending', AvailabilityZone: m.AvailabilityZone });
      return { Activities: ids.map((id) => activity(ctx, g, `Detaching EC2 instance: ${id}`)) };
    }),
    AttachInstances: h<AttachInstancesCommandInput, AsgState>((i, ctx) => {
      const g = requireGroup(ctx, i.AutoScalingGroupName);
      const ids = i.InstanceIds ?? [];
      for (const id of ids)
        for (const other of Object.values(ctx.state.groups))
          if (other.members.some((m) => m.InstanceId === id))
            ctx.error('ValidationError', `The instance ${id} is already part of Auto Scaling group ${other.AutoScalingGroupName}.`);
      if (g.DesiredCapacity + ids.length > g.MaxSize)
        ctx.error(
          'ValidationError',
          `Desired capacity:${g.DesiredCapacity + ids.length} must be between the specified min size:${g.MinSize} and max size:${g.MaxSize}`,
        );
      g.DesiredCapacity += ids.length;
      for (const id of ids) g.members.push({ InstanceId: id, LifecycleState: 'InService', AvailabilityZone: 'eu-west-1a' });
      return {};
    }),
    EnterStandby: h<EnterStandbyCommandInput, AsgState>((i, ctx) => {
      const g = requireGroup(ctx, i.AutoScalingGroupName);
      const ids = i.InstanceIds ?? [];
      const ms = ids.map((id) => member(ctx, g, id));
      for (const m of ms)
        if (m.LifecycleState !== 'InService') ctx.error('ValidationError', `The instance ${m.InstanceId} is not in InService.`);
      if (i.ShouldDecrementDesiredCapacity) {
        if (g.DesiredCapacity - ids.length < g.MinSize)
          ctx.error('ValidationError', `Desired capacity would go below the min size ${g.MinSize}.`);
        g.DesiredCapacity -= ids.length;
      } else
        for (const m of ms) g.members.push({ InstanceId: ctx.id('i'), LifecycleState: 'Pending', AvailabilityZone: m.AvailabilityZone });
      for (const m of ms) m.LifecycleState = 'Standby';
      return { Activities: ids.map((id) => activity(ctx, g, `Moving EC2 instance to Standby: ${id}`)) };
    }),
    ExitStandby: h<ExitStandbyCommandInput, AsgState>((i, ctx) => {
      const g = requireGroup(ctx, i.AutoScalingGroupName);
      const ids = i.InstanceIds ?? [];
      const ms = ids.map((id) => member(ctx, g, id));
      for (const m of ms)
        if (m.LifecycleState !== 'Standby') ctx.error('ValidationError', `The instance ${m.InstanceId} is not in Standby.`);
      if (g.DesiredCapacity + ids.length > g.MaxSize)
        ctx.error(
          'ValidationError',
          `Desired capacity:${g.DesiredCapacity + ids.length} must be between the specified min size:${g.MinSize} and max size:${g.MaxSize}`,
        );
      g.DesiredCapacity += ids.length;
      for (const m of ms) m.LifecycleState = 'InService';
      return { Activities: ids.map((id) => activity(ctx, g, `Moving EC2 instance out of Standby: ${id}`)) };
    }),
  },
};
