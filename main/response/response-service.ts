import type { Core } from '../core/core';
import { AppError } from '../core/errors';
import type { EvidenceApi } from '../custody/api';
import type { TimelineApi } from '../timeline/api';
import type { AwsSession } from '../aws/session';
import { realSleep, type Sleep } from '../aws/clients';
import type { AssetRecord } from '../../common/contract/assets';
import type { ActionRecord, ActionSummary, InstanceDetails, InstanceSummary, PlanActionInput } from '../../common/contract/response';
import { ActionStore } from './action-store';
import { ActionRunner } from './runner';
import { DiscoveryService, type InstanceFacts } from './discovery';
import { ROLE_TAG, planIsolate, type VpcGroups } from './plans/isolate';
import { planRelease, type IsolationRecord } from './plans/release';
import { planSnapshot } from './plans/snapshot';
import { planMemory } from './plans/memory';
import type { Plan } from './plans/types';
import { planDigest } from './executors';
import type { IncidentService } from './incident-service';

export interface ResponseDeps {
  core: Core;
  evidence: EvidenceApi;
  timeline: TimelineApi;
  session: AwsSession;
  /** When the case is linked to an Incident Manager incident, each ended action is added to its timeline. */
  incidents?: IncidentService;
  /** Pause between polls and throttling retries; tests pass an instant one. */
  sleep?: Sleep;
  pollMs?: number;
}

const LABEL = { isolate: 'Isolate', release: 'Release', snapshot: 'Snapshot volumes of', memory: 'Acquire memory of' } as const;

/**
 * Discovery and response actions for a case. Planning is read-only and
 * stores the plan; running needs the instance id typed back, runs as a job
 * and can be resumed after any interruption.
 */
export class ResponseService {
  readonly store: ActionStore;
  private readonly runner: ActionRunner;
  private readonly running = new Set<number>();

  constructor(private readonly deps: ResponseDeps) {
    const { core } = deps;
    this.store = new ActionStore(core.db);
    this.runner = new ActionRunner({
      db: core.db,
      clock: core.clock,
      events: core.events,
      activity: core.activity,
      store: this.store,
      evidence: deps.evidence,
      timeline: deps.timeline,
      version: core.version,
      actorName: () => core.actor().name,
      sleep: deps.sleep ?? realSleep,
      pollMs: deps.pollMs ?? 15_000,
    });
  }

  private async discovery(): Promise<DiscoveryService> {
    return new DiscoveryService(await this.deps.session.clients());
  }

  /** Searches the given regions, or the case's, or the default region. */
  async find(caseNumber: string, query: string, regions?: string[]): Promise<InstanceSummary[]> {
    const c = this.deps.core.cases.get(caseNumber);
    const scope = regions?.length ? regions : c.regions.length ? c.regions : [this.deps.session.whoAmI().region];
    return (await this.discovery()).search(query, scope);
  }

  async describe(caseNumber: string, region: string, instanceId: string): Promise<InstanceDetails> {
    this.deps.core.cases.get(caseNumber);
    const { profileAssociationId: _p, ...details } = await (await this.discovery()).describe(region, instanceId);
    return details;
  }

  async addInstance(caseNumber: string, region: string, instanceId: string): Promise<AssetRecord> {
    this.deps.core.cases.requireWritable(caseNumber);
    const facts = await (await this.discovery()).describe(region, instanceId);
    return this.upsertAsset(caseNumber, facts, {});
  }

  /** Builds the plan with read-only calls and stores it, steps pending. Nothing changes in AWS. */
  async plan(input: PlanActionInput): Promise<ActionRecord> {
    const { core } = this.deps;
    const c = core.cases.requireWritable(input.caseNumber);
    const clients = await this.deps.session.clients();
    const facts = await new DiscoveryService(clients).describe(input.region, input.instanceId);
    const account = facts.account ?? this.deps.session.whoAmI().account;
    let isolation: { id: number; recorded: IsolationRecord; done: Set<string> } | null = null;
    let groups: VpcGroups = { isolation: null, transit: null };
    if (input.kind === 'release') {
      const isoId = this.store.latestIsolation(input.caseNumber, input.instanceId);
      if (isoId == null)
        throw new AppError(
          'nothing-to-release',
          `Lariat has no isolation of ${input.instanceId} in ${input.caseNumber} to undo.`,
          'Release restores what an isolation recorded; isolate first, or restore by hand.',
        );
      const iso = this.store.get(isoId, this.running);
      if (this.running.has(isoId))
        throw new AppError(
          'action-running',
          `Isolation ${isoId} of ${input.instanceId} is still running.`,
          'Wait for it to end (or cancel it), then plan the release.',
        );
      isolation = {
        id: isoId,
        recorded: iso.recorded as unknown as IsolationRecord,
        done: new Set(iso.steps.filter((s) => s.state === 'succeeded').map((s) => s.key)),
      };
    }
    if (input.kind === 'isolate' && facts.vpcId) groups = await this.findGroups(clients, input.region, facts.vpcId);

    const plan = core.db.transaction(() => {
      const id = this.store.insert({
        caseId: c.id,
        kind: input.kind,
        instanceId: input.instanceId,
        region: input.region,
        account,
        options: input.options,
        actor: core.actor().name,
        now: core.clock.now().toISOString(),
      });
      const base = { caseNumber: input.caseNumber, actionId: id, facts };
      let p: Plan;
      switch (input.kind) {
        case 'isolate':
          p = planIsolate({ ...base, groups, options: input.options });
          break;
        case 'release':
          p = planRelease({ ...base, isolationActionId: isolation!.id, recorded: isolation!.recorded, done: isolation!.done });
          break;
        case 'snapshot':
          p = planSnapshot({ ...base, investigator: core.actor().name, options: input.options });
          break;
        case 'memory':
          p = planMemory({ ...base, options: input.options, resourcesDir: core.paths.resourcesDir });
          break;
      }
      this.store.savePlan(id, p.recorded, p.steps);
      core.activity.record({
        caseId: c.id,
        action: 'response.action.planned',
        entity: 'response-action',
        entityId: id,
        details: {
          kind: input.kind,
          instanceId: input.instanceId,
          region: input.region,
          steps: p.steps.length,
          digest: planDigest(p.steps),
        },
      });
      return id;
    })();
    this.upsertAsset(input.caseNumber, facts, {});
    core.events.emit('actionChanged', { caseNumber: input.caseNumber, actionId: plan, state: 'planned', stepIndex: null, stepState: null });
    return this.get(plan);
  }

  get(actionId: number): ActionRecord {
    return this.store.get(actionId, this.running);
  }

  list(caseNumber: string): ActionSummary[] {
    this.deps.core.cases.get(caseNumber);
    return this.store.list(caseNumber, this.running);
  }

  discard(actionId: number): ActionRecord {
    const a = this.get(actionId);
    if (a.state !== 'planned')
      throw new AppError(
        'action-not-planned',
        `Action ${actionId} is ${a.state}; only a plan that never ran can be discarded.`,
        'A started action stays on record; resume it or plan a new one.',
      );
    const c = this.deps.core.cases.requireWritable(a.caseNumber);
    this.deps.core.db.transaction(() => {
      this.store.setState(actionId, 'discarded', { finishedAt: this.deps.core.clock.now().toISOString() });
      this.deps.core.activity.record({
        caseId: c.id,
        action: 'response.action.discarded',
        entity: 'response-action',
        entityId: actionId,
        details: {},
      });
    })();
    this.deps.core.events.emit('actionChanged', {
      caseNumber: a.caseNumber,
      actionId,
      state: 'discarded',
      stepIndex: null,
      stepState: null,
    });
    return this.get(actionId);
  }

  /** Starts (or resumes) the action as a job once the instance id was typed back; returns at once. */
  start(actionId: number, confirmInstanceId: string): { jobId: string; actionId: number; result: Promise<ActionRecord> } {
    const a = this.get(actionId);
    this.checkRunnable(a, confirmInstanceId);
    const { core } = this.deps;
    const c = core.cases.requireWritable(a.caseNumber);
    this.running.add(actionId);
    const resumed = a.state !== 'planned';
    const { jobId, result } = core.jobs.start(
      {
        kind: `response.${a.kind}`,
        label: `${LABEL[a.kind]} ${a.instanceId} (${a.caseNumber})`,
        caseNumber: a.caseNumber,
        unit: 'steps',
        total: a.stepsTotal,
      },
      async (job) => {
        try {
          core.db.transaction(() => {
            this.store.setState(actionId, 'running', { startedAt: core.clock.now().toISOString() });
            core.activity.record({
              caseId: c.id,
              action: resumed ? 'response.action.resumed' : 'response.action.started',
              entity: 'response-action',
              entityId: actionId,
              details: { kind: a.kind, instanceId: a.instanceId, fromStep: a.stepsDone },
            });
          })();
          core.events.emit('actionChanged', { caseNumber: a.caseNumber, actionId, state: 'running', stepIndex: null, stepState: null });
          const clients = await this.deps.session.clients();
          await this.runner.run(this.store.get(actionId, this.running), c.id, clients, job);
          core.db.transaction(() => {
            this.store.setState(actionId, 'succeeded', { finishedAt: core.clock.now().toISOString() });
            core.activity.record({
              caseId: c.id,
              action: 'response.action.succeeded',
              entity: 'response-action',
              entityId: actionId,
              details: { kind: a.kind, instanceId: a.instanceId },
            });
          })();
          this.afterSuccess(a);
          core.events.emit('actionChanged', { caseNumber: a.caseNumber, actionId, state: 'succeeded', stepIndex: null, stepState: null });
          const done = this.get(actionId);
          await this.deps.incidents?.recordAction(done);
          return done;
        } catch (err) {
          // A failure before the first step (connection) still leaves the action resumable.
          if (this.store.summary(actionId).state === 'running') {
            const info = err instanceof AppError ? err.toInfo() : { code: 'internal', message: String(err), hint: 'Resume the action.' };
            this.store.setState(actionId, 'failed', { error: info, finishedAt: core.clock.now().toISOString() });
            core.events.emit('actionChanged', { caseNumber: a.caseNumber, actionId, state: 'failed', stepIndex: null, stepState: null });
          }
          if (this.store.summary(actionId).state === 'failed') await this.deps.incidents?.recordAction(this.get(actionId));
          throw err;
        } finally {
          this.running.delete(actionId);
        }
      },
    );
    return { jobId, actionId, result };
  }

  /** Runs the action to its end (CLI, tests). */
  async run(actionId: number, confirmInstanceId: string): Promise<ActionRecord> {
    return this.start(actionId, confirmInstanceId).result;
  }

  private checkRunnable(a: ActionRecord, confirm: string): void {
    if (this.running.has(a.id))
      throw new AppError(
        'action-running',
        `Action ${a.id} is already running.`,
        'Follow its progress in the Actions tab or the activity drawer.',
      );
    if (a.state === 'succeeded')
      throw new AppError(
        'action-done',
        `Action ${a.id} already succeeded; its steps are never run twice.`,
        'Plan a new action if something must be done again.',
      );
    if (a.state === 'discarded') throw new AppError('action-discarded', `Action ${a.id} was discarded.`, 'Plan it again.');
    if (confirm.trim() !== a.instanceId) {
      throw new AppError(
        'confirmation-mismatch',
        `The confirmation "${confirm.trim()}" is not the instance id ${a.instanceId}.`,
        `Type ${a.instanceId} exactly to confirm this ${a.kind} action.`,
      );
    }
  }

  private afterSuccess(a: ActionRecord): void {
    const details: Record<string, unknown> =
      a.kind === 'isolate'
        ? { isolation: 'isolated', isolationActionId: a.id }
        : a.kind === 'release'
          ? { isolation: 'released', releaseActionId: a.id }
          : { [`last${a.kind === 'snapshot' ? 'Snapshot' : 'Memory'}ActionId`]: a.id };
    try {
      this.deps.core.assets.upsert({
        caseNumber: a.caseNumber,
        kind: 'ec2-instance',
        identifier: a.instanceId,
        region: a.region,
        account: a.account,
        details,
      });
    } catch {
      // The case may have become read-only meanwhile; the action itself is recorded.
    }
  }

  private upsertAsset(caseNumber: string, f: InstanceFacts, extra: Record<string, unknown>): AssetRecord {
    const { warnings, profileAssociationId: _p, ...details } = f;
    return this.deps.core.assets.upsert({
      caseNumber,
      kind: 'ec2-instance',
      identifier: f.instanceId,
      label: f.name ?? '',
      account: f.account,
      region: f.region,
      details: { ...details, warnings, describedAt: this.deps.core.clock.now().toISOString(), ...extra },
    });
  }

  private async findGroups(clients: Awaited<ReturnType<AwsSession['clients']>>, region: string, vpcId: string): Promise<VpcGroups> {
    const out = await clients.call<{
      SecurityGroups?: {
        GroupId?: string;
        IpPermissions?: unknown[];
        IpPermissionsEgress?: unknown[];
        Tags?: { Key?: string; Value?: string }[];
      }[];
    }>('ec2', region, 'DescribeSecurityGroups', {
      Filters: [
        { Name: 'vpc-id', Values: [vpcId] },
        { Name: `tag:${ROLE_TAG}`, Values: ['isolation', 'isolation-transit'] },
      ],
    });
    const role = (g: { Tags?: { Key?: string; Value?: string }[] }) => g.Tags?.find((t) => t.Key === ROLE_TAG)?.Value;
    const iso = out.SecurityGroups?.find((g) => role(g) === 'isolation');
    const transit = out.SecurityGroups?.find((g) => role(g) === 'isolation-transit');
    return {
      isolation: iso?.GroupId
        ? { id: iso.GroupId, ruleCount: (iso.IpPermissions?.length ?? 0) + (iso.IpPermissionsEgress?.length ?? 0) }
        : null,
      transit: transit?.GroupId ? { id: transit.GroupId } : null,
    };
  }
}
