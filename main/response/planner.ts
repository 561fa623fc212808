import type { Core } from '../core/core';
import { AppError } from '../core/errors';
import type { AwsClients } from '../aws/clients';
import type { PlanActionInput } from '../../common/contract/response';
import type { ActionStore } from './action-store';
import type { ActionLeases } from './lease';
import { DiscoveryService, type InstanceFacts } from './discovery';
import { ALL_V4, ALL_V6, groupName, planIsolate, type VpcGroups } from './plans/isolate';
import { planRelease, requireNotReleased, type AsgCapacity, type IsolationRecord } from './plans/release';
import { planSnapshot } from './plans/snapshot';
import { planMemory } from './plans/memory';
import type { AclFacts } from './plans/nacl';
import type { Plan } from './plans/types';
import { planDigest } from './executors';
import { sameRules, type Permission } from './executors/security-groups';

export interface PlannerDeps {
  core: Core;
  store: ActionStore;
  leases: ActionLeases;
  /** The account Lariat is connected to, when DescribeInstances does not say. */
  account: () => string | null;
  upsertAsset: (caseNumber: string, facts: InstanceFacts) => void;
}

/**
 * Builds and stores plans with read-only calls. Lookups that only enrich a
 * plan (Auto Scaling, target groups, SSM, profile, Lariat's groups, a
 * group's capacity) become warnings when they fail; only what the plan
 * cannot exist without (the instance itself, the ACLs of an ACL
 * containment) stops planning.
 */
export class ActionPlanner {
  constructor(private readonly deps: PlannerDeps) {}

  async plan(input: PlanActionInput, clients: AwsClients, running: ReadonlySet<number>): Promise<number> {
    const { core, store } = this.deps;
    const c = core.cases.requireWritable(input.caseNumber);
    const facts = await new DiscoveryService(clients).describe(input.region, input.instanceId);
    const account = facts.account ?? this.deps.account();
    let release: { id: number; recorded: IsolationRecord; touched: Set<string>; capacity: AsgCapacity | null } | null = null;
    let groups: VpcGroups = { isolation: null, transit: null };
    let acls: AclFacts[] | undefined;
    if (input.kind === 'release')
      release = await this.isolationToRelease(input.caseNumber, input.instanceId, clients, input.region, running);
    if (input.kind === 'isolate' && facts.vpcId) {
      groups = await this.findGroups(clients, input.region, facts.vpcId);
      if (input.options.nacl) acls = await this.findAcls(clients, input.region, facts.vpcId);
    }

    const id = core.db.transaction(() => {
      const actionId = store.insert({
        caseId: c.id,
        kind: input.kind,
        instanceId: input.instanceId,
        region: input.region,
        account,
        options: input.options,
        actor: core.actor().name,
        now: core.clock.now().toISOString(),
      });
      const base = { caseNumber: input.caseNumber, actionId, facts };
      let p: Plan;
      switch (input.kind) {
        case 'isolate':
          p = planIsolate({ ...base, groups, acls, options: input.options });
          break;
        case 'release':
          p = planRelease({
            ...base,
            isolationActionId: release!.id,
            recorded: release!.recorded,
            touched: release!.touched,
            asgCapacity: release!.capacity,
          });
          break;
        case 'snapshot':
          p = planSnapshot({ ...base, investigator: core.actor().name, options: input.options });
          break;
        case 'memory':
          p = planMemory({ ...base, options: input.options, resourcesDir: core.paths.resourcesDir });
          break;
      }
      store.savePlan(actionId, p.recorded, p.steps, p.warnings);
      core.activity.record({
        caseId: c.id,
        action: 'response.action.planned',
        entity: 'response-action',
        entityId: actionId,
        details: {
          kind: input.kind,
          instanceId: input.instanceId,
          region: input.region,
          steps: p.steps.length,
          digest: planDigest(p.steps),
          warnings: p.warnings.length,
        },
      });
      return actionId;
    })();
    this.deps.upsertAsset(input.caseNumber, facts);
    return id;
  }

  /** The isolation a release undoes, refusing one already released (or being released) and one still running. */
  private async isolationToRelease(
    caseNumber: string,
    instanceId: string,
    clients: AwsClients,
    region: string,
    running: ReadonlySet<number>,
  ): Promise<{ id: number; recorded: IsolationRecord; touched: Set<string>; capacity: AsgCapacity | null }> {
    const { store, leases } = this.deps;
    const isoId = store.latestIsolation(caseNumber, instanceId);
    if (isoId == null)
      throw new AppError(
        'nothing-to-release',
        `Lariat has no isolation of ${instanceId} in ${caseNumber} to undo.`,
        'Release restores what an isolation recorded; isolate first, or restore by hand.',
      );
    if (running.has(isoId) || leases.heldElsewhere(isoId))
      throw new AppError(
        'action-running',
        `Isolation ${isoId} of ${instanceId} is still running.`,
        'Wait for it to end (or cancel it), then plan the release.',
      );
    requireNotReleased(isoId, instanceId, store.releasesOf(isoId));
    const iso = store.get(isoId, running);
    const recorded = iso.recorded as unknown as IsolationRecord;
    // A step that failed or was interrupted may still have been applied; its restore step checks before calling.
    const touched = new Set(
      iso.steps.filter((s) => s.state === 'succeeded' || s.state === 'failed' || s.state === 'running').map((s) => s.key),
    );
    let capacity: AsgCapacity | null = null;
    if (recorded.autoScaling && touched.has('asg')) {
      try {
        const out = await clients.call<{ AutoScalingGroups?: { DesiredCapacity?: number; MaxSize?: number }[] }>(
          'autoscaling',
          region,
          'DescribeAutoScalingGroups',
          {
            AutoScalingGroupNames: [recorded.autoScaling.group],
          },
        );
        const g = out.AutoScalingGroups?.[0];
        if (g?.DesiredCapacity !== undefined && g.MaxSize !== undefined) capacity = { desired: g.DesiredCapacity, max: g.MaxSize };
      } catch {
        // Enrichment only: the warning then says the capacity is unknown, and the step checks it when it runs.
      }
    }
    return { id: isoId, recorded, touched, capacity };
  }

  /** Lariat's two groups in the VPC, by name, to warn about repairs (the run finds or creates them and fixes their rules). */
  private async findGroups(clients: AwsClients, region: string, vpcId: string): Promise<VpcGroups> {
    try {
      const out = await clients.call<{
        SecurityGroups?: { GroupId?: string; GroupName?: string; IpPermissions?: Permission[]; IpPermissionsEgress?: Permission[] }[];
      }>('ec2', region, 'DescribeSecurityGroups', {
        Filters: [
          { Name: 'vpc-id', Values: [vpcId] },
          { Name: 'group-name', Values: [groupName('transit', vpcId), groupName('isolation', vpcId)] },
        ],
      });
      const iso = out.SecurityGroups?.find((g) => g.GroupName === groupName('isolation', vpcId));
      const transit = out.SecurityGroups?.find((g) => g.GroupName === groupName('transit', vpcId));
      const allowAll = [ALL_V4, ALL_V6];
      return {
        isolation: iso?.GroupId
          ? { id: iso.GroupId, ruleCount: (iso.IpPermissions?.length ?? 0) + (iso.IpPermissionsEgress?.length ?? 0) }
          : null,
        transit: transit?.GroupId
          ? {
              id: transit.GroupId,
              allowAllExactly: sameRules(transit.IpPermissions, allowAll) && sameRules(transit.IpPermissionsEgress, allowAll),
            }
          : null,
      };
    } catch (err) {
      return { isolation: null, transit: null, lookupError: err instanceof Error ? err.message : String(err) };
    }
  }

  /** The VPC's network ACLs; needed, not enrichment, when ACL containment was asked for. */
  private async findAcls(clients: AwsClients, region: string, vpcId: string): Promise<AclFacts[]> {
    const out = await clients.call<{
      NetworkAcls?: {
        NetworkAclId?: string;
        Associations?: { SubnetId?: string }[];
        Entries?: { RuleNumber?: number; Egress?: boolean; RuleAction?: string }[];
      }[];
    }>('ec2', region, 'DescribeNetworkAcls', { Filters: [{ Name: 'vpc-id', Values: [vpcId] }] });
    return (out.NetworkAcls ?? []).map((a) => ({
      id: a.NetworkAclId ?? '',
      subnets: (a.Associations ?? []).map((x) => x.SubnetId ?? '').filter(Boolean),
      entries: (a.Entries ?? []).map((e) => ({ RuleNumber: e.RuleNumber ?? 0, Egress: Boolean(e.Egress), RuleAction: e.RuleAction ?? '' })),
    }));
  }
}
