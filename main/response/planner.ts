import type { Core } from '../core/core';
import { AppError } from '../core/errors';
import type { AwsClients } from '../aws/clients';
import type { PlanActionInput } from '../../common/contract/response';
import type { ActionStore } from './action-store';
import type { ActionLeases } from './lease';
import { planDigest } from './executors';
import { kindDef, type PlanEnv, type Prepared } from './kinds';
import { requireNoRelease } from './release-guard';

export interface PlannerDeps {
  core: Core;
  store: ActionStore;
  leases: ActionLeases;
  /** The account Lariat is connected to, when the resource does not say. */
  account: () => string | null;
  /** The session's region. */
  region: () => string;
}

/**
 * Builds and stores plans with read-only calls. What each kind looks up and
 * plans is its own (main/response/kinds); here the plan is stored with its
 * target, in one transaction with its activity entry.
 */
export class ActionPlanner {
  constructor(private readonly deps: PlannerDeps) {}

  private env(clients: AwsClients, running: ReadonlySet<number>): PlanEnv {
    const { core, store, leases, account, region } = this.deps;
    return { core, clients, store, leases, running, account, region };
  }

  async plan(input: PlanActionInput, clients: AwsClients, running: ReadonlySet<number>): Promise<number> {
    this.deps.core.cases.requireWritable(input.caseNumber);
    const def = kindDef(input.kind);
    const prep = await def.prepare(input as never, this.env(clients, running));
    return this.store(input.caseNumber, input.kind, prep, null);
  }

  /** Plans the release of an action of any kind, refusing one still running, not releasable, or already (being) released. */
  async planRelease(actionId: number, clients: AwsClients, running: ReadonlySet<number>): Promise<number> {
    const { store, leases } = this.deps;
    const action = store.get(actionId, running);
    this.deps.core.cases.requireWritable(action.caseNumber);
    const def = kindDef(action.kind);
    if (!def.release)
      throw new AppError(
        'not-releasable',
        `Action ${actionId} is a ${action.kind}: there is nothing for Lariat to undo.`,
        'Only containments are released (isolate, credentials, role sessions...). Plan another action instead.',
      );
    if (action.state === 'planned' || action.state === 'discarded')
      throw new AppError(
        'nothing-to-release',
        `Action ${actionId} is ${action.state}: it changed nothing.`,
        action.state === 'planned' ? `Discard it instead (or run it first).` : 'Nothing to undo.',
      );
    if (running.has(actionId) || leases.heldElsewhere(actionId))
      throw new AppError(
        'action-running',
        `Action ${actionId} (${action.kind} of ${action.instanceId}) is still running.`,
        'Wait for it to end (or cancel it), then plan the release.',
      );
    requireNoRelease(actionId, action.instanceId, store.releasesOf(actionId));
    const prep = await def.release(action, this.env(clients, running));
    return this.store(action.caseNumber, prep.kind, prep, actionId);
  }

  private store(caseNumber: string, kind: string, prep: Prepared, releaseOf: number | null): number {
    const { core, store } = this.deps;
    const c = core.cases.requireWritable(caseNumber);
    const id = core.db.transaction(() => {
      const actionId = store.insert({
        caseId: c.id,
        kind,
        target: prep.target,
        account: prep.account,
        options: prep.options,
        actor: core.actor().name,
        now: core.clock.now().toISOString(),
      });
      const p = prep.build(actionId);
      const recorded = releaseOf != null && p.recorded.isolationActionId === undefined ? { releaseOf, ...p.recorded } : p.recorded;
      store.savePlan(actionId, recorded, p.steps, p.warnings);
      core.activity.record({
        caseId: c.id,
        action: 'response.action.planned',
        entity: 'response-action',
        entityId: actionId,
        details: {
          kind,
          ...(prep.target.type === 'ec2-instance' ? { instanceId: prep.target.id } : { target: prep.target }),
          region: prep.target.region,
          ...(releaseOf != null ? { releaseOf } : {}),
          steps: p.steps.length,
          digest: planDigest(p.steps),
          warnings: p.warnings.length,
        },
      });
      return actionId;
    })();
    prep.afterPlan?.();
    return id;
  }
}
