import { AppError } from '../../core/errors';
import type { AwsClients } from '../../aws/clients';
import { DiscoveryService, type InstanceFacts } from '../discovery';
import { ALL_V4, ALL_V6, groupName, planIsolate, type VpcGroups } from '../plans/isolate';
import { planRelease, type AsgCapacity, type IsolationRecord } from '../plans/release';
import { planSnapshot } from '../plans/snapshot';
import { planMemory } from '../plans/memory';
import type { AclFacts } from '../plans/nacl';
import { sameRules, type Permission } from '../executors/security-groups';
import { defineActionKind, type PlanEnv, type Prepared, type StoredAction } from './registry';
import { markInstanceAsset, upsertInstanceAsset } from './ec2-assets';
import { ISOLATION_WORDING, requireNoRelease } from '../release-guard';

/**
 * EC2 instance actions: isolate, release (of an isolation), snapshot, memory.
 * Discovery describes the instance (it must exist); lookups that only enrich
 * a plan (Auto Scaling, target groups, SSM, Lariat's groups) become warnings.
 */
const target = (f: InstanceFacts) => ({ type: 'ec2-instance' as const, id: f.instanceId, region: f.region });

async function describe(env: PlanEnv, region: string, instanceId: string): Promise<InstanceFacts> {
  return new DiscoveryService(env.clients).describe(region, instanceId);
}

function prepared(env: PlanEnv, caseNumber: string, facts: InstanceFacts, options: unknown, build: Prepared['build']): Prepared {
  return {
    target: target(facts),
    account: facts.account ?? env.account(),
    options,
    build,
    afterPlan: () => {
      try {
        upsertInstanceAsset(env.core, caseNumber, facts);
      } catch {
        // The plan is stored; the asset refresh is a convenience.
      }
    },
  };
}

const afterSuccess = (a: StoredAction, env: { core: PlanEnv['core'] }) => markInstanceAsset(env.core, a);

defineActionKind({
  kind: 'isolate',
  label: 'Isolate',
  async prepare(input, env) {
    const facts = await describe(env, input.region, input.instanceId);
    let groups: VpcGroups = { isolation: null, transit: null };
    let acls: AclFacts[] | undefined;
    if (facts.vpcId) {
      groups = await findGroups(env.clients, input.region, facts.vpcId);
      if (input.options.nacl) acls = await findAcls(env.clients, input.region, facts.vpcId);
    }
    return prepared(env, input.caseNumber, facts, input.options, (actionId) =>
      planIsolate({ caseNumber: input.caseNumber, actionId, facts, groups, acls, options: input.options }),
    );
  },
  async release(action, env) {
    if (action.kind !== 'isolate') throw new Error('not an isolation');
    const facts = await describe(env, action.region, action.instanceId);
    return { kind: 'release', ...(await releasePrepared(env, action.caseNumber, facts, action.id, {})) };
  },
  afterSuccess,
});

defineActionKind({
  kind: 'release',
  label: 'Release',
  async prepare(input, env) {
    const facts = await describe(env, input.region, input.instanceId);
    const isoId = env.store.latestIsolation(input.caseNumber, input.instanceId);
    if (isoId == null)
      throw new AppError(
        'nothing-to-release',
        `Lariat has no isolation of ${input.instanceId} in ${input.caseNumber} to undo.`,
        'Release restores what an isolation recorded; isolate first, or restore by hand.',
      );
    return releasePrepared(env, input.caseNumber, facts, isoId, input.options);
  },
  checkRunnable(a, env) {
    const iso = Number(a.recorded.isolationActionId);
    requireNoRelease(
      iso,
      a.instanceId,
      env.store.releasesOf(iso).filter((r) => r.id !== a.id && r.state === 'succeeded'),
      ISOLATION_WORDING,
    );
  },
  afterSuccess,
});

defineActionKind({
  kind: 'snapshot',
  label: 'Snapshot volumes of',
  async prepare(input, env) {
    const facts = await describe(env, input.region, input.instanceId);
    return prepared(env, input.caseNumber, facts, input.options, (actionId) =>
      planSnapshot({ caseNumber: input.caseNumber, actionId, facts, investigator: env.core.actor().name, options: input.options }),
    );
  },
  afterSuccess,
});

defineActionKind({
  kind: 'memory',
  label: 'Acquire memory of',
  async prepare(input, env) {
    const facts = await describe(env, input.region, input.instanceId);
    return prepared(env, input.caseNumber, facts, input.options, (actionId) =>
      planMemory({ caseNumber: input.caseNumber, actionId, facts, options: input.options, resourcesDir: env.core.paths.resourcesDir }),
    );
  },
  afterSuccess,
});

/** The release of isolation `isoId` (planned from the isolation, or by instance id): what it recorded, put back. */
async function releasePrepared(env: PlanEnv, caseNumber: string, facts: InstanceFacts, isoId: number, options: unknown): Promise<Prepared> {
  const r = await isolationToRelease(env, isoId, facts.instanceId, facts.region);
  return prepared(env, caseNumber, facts, options, (actionId) =>
    planRelease({
      caseNumber,
      actionId,
      facts,
      isolationActionId: r.id,
      recorded: r.recorded,
      touched: r.touched,
      asgCapacity: r.capacity,
    }),
  );
}

/** The isolation a release undoes, refusing one already released (or being released) and one still running. */
async function isolationToRelease(
  env: PlanEnv,
  isoId: number,
  instanceId: string,
  region: string,
): Promise<{ id: number; recorded: IsolationRecord; touched: Set<string>; capacity: AsgCapacity | null }> {
  const { store, leases, running, clients } = env;
  if (running.has(isoId) || leases.heldElsewhere(isoId))
    throw new AppError(
      'action-running',
      `Isolation ${isoId} of ${instanceId} is still running.`,
      'Wait for it to end (or cancel it), then plan the release.',
    );
  requireNoRelease(isoId, instanceId, store.releasesOf(isoId), ISOLATION_WORDING);
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
        { AutoScalingGroupNames: [recorded.autoScaling.group] },
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
async function findGroups(clients: AwsClients, region: string, vpcId: string): Promise<VpcGroups> {
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
async function findAcls(clients: AwsClients, region: string, vpcId: string): Promise<AclFacts[]> {
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
