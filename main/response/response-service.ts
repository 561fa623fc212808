import type { Core } from '../core/core';
import { AppError } from '../core/errors';
import { writeTransaction } from '../db/database';
import type { EvidenceApi } from '../custody/api';
import type { TimelineApi } from '../timeline/api';
import type { AwsSession } from '../aws/session';
import { realSleep, type Sleep } from '../aws/clients';
import type { AssetRecord } from '../../common/contract/assets';
import type { ActionRecord, ActionSummary, InstanceDetails, InstanceSummary, PlanActionInput } from '../../common/contract/response';
import { ActionStore } from './action-store';
import { ActionRunner } from './runner';
import { ActionPlanner } from './planner';
import { requireNoRelease } from './release-guard';
import { ActionLeases, DEFAULT_LEASE_MS, runningElsewhere } from './lease';
import { DiscoveryService } from './discovery';
import { kindDef, type StoredAction } from './kinds';
import { upsertInstanceAsset } from './kinds/ec2-assets';
import type { ResponseRecords } from './executors';
import type { IncidentService } from './incident-service';
import { UseCheckService } from './use-check';
import type { UseCheck } from '../../common/contract/response';

export interface ResponseDeps {
  core: Core;
  evidence: EvidenceApi;
  /** What Lariat already recorded (evidence by source, custody entries), so local steps never record twice. */
  records: ResponseRecords;
  timeline: TimelineApi;
  session: AwsSession;
  /** When the case is linked to an Incident Manager incident, each ended action is added to its timeline. */
  incidents?: IncidentService;
  /** Pause between polls and throttling retries; tests pass an instant one. */
  sleep?: Sleep;
  pollMs?: number;
  /** How long a runner's lease lasts without a heartbeat (default 60 s). */
  leaseMs?: number;
  /** Heartbeat period while a step runs (default a quarter of the lease; 0: only at step boundaries). */
  heartbeatMs?: number;
}

/**
 * Discovery and response actions for a case. Planning is read-only and
 * stores the plan; running needs the instance id typed back, takes the
 * action's lease (one runner at a time, across processes), runs as a job and
 * can be resumed after any interruption.
 */
export class ResponseService {
  readonly store: ActionStore;
  readonly leases: ActionLeases;
  private readonly runner: ActionRunner;
  private readonly planner: ActionPlanner;
  private readonly running = new Set<number>();
  readonly useChecks: UseCheckService;

  constructor(private readonly deps: ResponseDeps) {
    const { core } = deps;
    this.leases = new ActionLeases(core.db, core.clock, deps.leaseMs ?? DEFAULT_LEASE_MS);
    this.store = new ActionStore(core.db, this.leases);
    this.runner = new ActionRunner({
      db: core.db,
      clock: core.clock,
      events: core.events,
      activity: core.activity,
      store: this.store,
      leases: this.leases,
      evidence: deps.evidence,
      records: deps.records,
      timeline: deps.timeline,
      version: core.version,
      actorName: () => core.actor().name,
      sleep: deps.sleep ?? realSleep,
      pollMs: deps.pollMs ?? 15_000,
    });
    this.useChecks = new UseCheckService({
      core,
      evidence: deps.evidence,
      timeline: deps.timeline,
      session: deps.session,
      version: core.version,
    });
    this.planner = new ActionPlanner({
      core,
      store: this.store,
      leases: this.leases,
      account: () => deps.session.whoAmI().account,
      region: () => deps.session.whoAmI().region,
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
    const {
      profileAssociationId: _p,
      lookupFailures: _l,
      interfaceAddresses: _a,
      ...details
    } = await (await this.discovery()).describe(region, instanceId);
    return details;
  }

  async addInstance(caseNumber: string, region: string, instanceId: string): Promise<AssetRecord> {
    this.deps.core.cases.requireWritable(caseNumber);
    const facts = await (await this.discovery()).describe(region, instanceId);
    return upsertInstanceAsset(this.deps.core, caseNumber, facts);
  }

  /** Builds the plan with read-only calls and stores it, steps pending. Nothing changes in AWS. */
  async plan(input: PlanActionInput): Promise<ActionRecord> {
    const id = await this.planner.plan(input, await this.deps.session.clients(), this.running);
    return this.planned(id);
  }

  /** Plans (read-only) the release of an action of any kind; its kind says how it is undone. */
  async planRelease(actionId: number): Promise<ActionRecord> {
    const id = await this.planner.planRelease(actionId, await this.deps.session.clients(), this.running);
    return this.planned(id);
  }

  private planned(id: number): ActionRecord {
    const a = this.get(id);
    this.deps.core.events.emit('actionChanged', {
      caseNumber: a.caseNumber,
      actionId: id,
      state: 'planned',
      stepIndex: null,
      stepState: null,
    });
    return a;
  }

  get(actionId: number): StoredAction {
    const a = this.store.get(actionId, this.running);
    return { ...a, useCheck: this.useChecks.latest(a.id) };
  }

  list(caseNumber: string): ActionSummary[] {
    this.deps.core.cases.get(caseNumber);
    return this.store.list(caseNumber, this.running).map((a) => ({ ...a, useCheck: this.useChecks.latest(a.id) }));
  }

  /** "Still in use?": looks up CloudTrail for the contained principal since the containment, as a job. */
  startUseCheck(actionId: number): { jobId: string; actionId: number; result: Promise<UseCheck> } {
    const a = this.get(actionId);
    this.useChecks.requireCheckable(a);
    this.deps.core.cases.requireWritable(a.caseNumber);
    const { jobId, result } = this.deps.core.jobs.start<UseCheck>(
      {
        kind: 'response.use-check',
        label: `Still in use? ${a.instanceId} since action ${a.id} (${a.caseNumber})`,
        caseNumber: a.caseNumber,
        unit: 'steps',
      },
      async (job) => {
        const check = await this.useChecks.check(a, job);
        this.deps.core.events.emit('actionChanged', {
          caseNumber: a.caseNumber,
          actionId,
          state: a.state,
          stepIndex: null,
          stepState: null,
        });
        return check;
      },
    );
    return { jobId, actionId, result };
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

  /**
   * Starts (or resumes) the action as a job once its target's identifier (the
   * instance id, user, role...) was typed back; returns at once. The lease is taken here, with the state change, in
   * one write transaction: a second process or window is refused at once.
   */
  start(actionId: number, confirm: string): { jobId: string; actionId: number; result: Promise<ActionRecord> } {
    const a = this.get(actionId);
    this.checkRunnable(a, confirm);
    const def = kindDef(a.kind);
    const { core } = this.deps;
    const c = core.cases.requireWritable(a.caseNumber);
    const resumed = a.state !== 'planned';
    writeTransaction(core.db, () => {
      this.leases.acquire(actionId);
      this.store.setState(actionId, 'running', { startedAt: core.clock.now().toISOString() });
      core.activity.record({
        caseId: c.id,
        action: resumed ? 'response.action.resumed' : 'response.action.started',
        entity: 'response-action',
        entityId: actionId,
        details: { kind: a.kind, instanceId: a.instanceId, fromStep: a.stepsDone, pid: this.leases.pid },
      });
    });
    this.running.add(actionId);
    const heartbeatMs = this.deps.heartbeatMs ?? Math.floor(this.leases.ttlMs / 4);
    const beat =
      heartbeatMs > 0
        ? setInterval(() => {
            try {
              this.leases.renew(actionId);
            } catch {
              // The database is closing (the app quits): the lease then simply expires.
            }
          }, heartbeatMs)
        : null;
    beat?.unref();
    const { jobId, result } = core.jobs.start(
      {
        kind: `response.${a.kind}`,
        label: `${def.label} ${a.instanceId} (${a.caseNumber})`,
        caseNumber: a.caseNumber,
        unit: 'steps',
        total: a.stepsTotal,
      },
      async (job) => {
        let lost = false;
        try {
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
          this.afterSuccess(def, actionId);
          core.events.emit('actionChanged', { caseNumber: a.caseNumber, actionId, state: 'succeeded', stepIndex: null, stepState: null });
          const done = this.get(actionId);
          await this.deps.incidents?.recordAction(done);
          return done;
        } catch (err) {
          // Another Lariat owns the action now: record nothing, it reports for itself.
          lost = err instanceof AppError && err.code === 'lease-lost';
          // A failure before the first step (connection) still leaves the action resumable.
          if (!lost && this.store.summary(actionId).state === 'running') {
            const info = err instanceof AppError ? err.toInfo() : { code: 'internal', message: String(err), hint: 'Resume the action.' };
            this.store.setState(actionId, 'failed', { error: info, finishedAt: core.clock.now().toISOString() });
            core.events.emit('actionChanged', { caseNumber: a.caseNumber, actionId, state: 'failed', stepIndex: null, stepState: null });
          }
          if (!lost && this.store.summary(actionId).state === 'failed') await this.deps.incidents?.recordAction(this.get(actionId));
          throw err;
        } finally {
          if (beat) clearInterval(beat);
          this.running.delete(actionId);
          if (!lost) this.leases.release(actionId);
        }
      },
    );
    return { jobId, actionId, result };
  }

  /** Runs the action to its end (CLI, tests). */
  async run(actionId: number, confirm: string): Promise<ActionRecord> {
    return this.start(actionId, confirm).result;
  }

  private checkRunnable(a: StoredAction, confirm: string): void {
    if (this.running.has(a.id))
      throw new AppError(
        'action-running',
        `Action ${a.id} is already running.`,
        'Follow its progress in the Actions tab or the activity drawer.',
      );
    const elsewhere = this.leases.heldElsewhere(a.id);
    if (elsewhere) throw runningElsewhere(a.id, elsewhere);
    if (a.state === 'succeeded')
      throw new AppError(
        'action-done',
        `Action ${a.id} already succeeded; its steps are never run twice.`,
        'Plan a new action if something must be done again.',
      );
    if (a.state === 'discarded') throw new AppError('action-discarded', `Action ${a.id} was discarded.`, 'Plan it again.');
    const what = a.target.type === 'ec2-instance' ? 'instance id' : a.target.type.replace('-', ' ');
    if (confirm.trim() !== a.instanceId) {
      throw new AppError(
        'confirmation-mismatch',
        `The confirmation "${confirm.trim()}" is not the ${what} ${a.instanceId}.`,
        `Type ${a.instanceId} exactly to confirm this ${a.kind} action.`,
      );
    }
    if (a.releaseOf != null && a.kind !== 'release') {
      requireNoRelease(
        a.releaseOf,
        a.instanceId,
        this.store.releasesOf(a.releaseOf).filter((r) => r.id !== a.id && r.state === 'succeeded'),
      );
    }
    kindDef(a.kind).checkRunnable?.(a, { core: this.deps.core, store: this.store });
  }

  private afterSuccess(def: ReturnType<typeof kindDef>, actionId: number): void {
    try {
      def.afterSuccess?.(this.get(actionId), { core: this.deps.core, store: this.store });
    } catch {
      // Bookkeeping after success (an asset marker) never turns a done action into a failure.
    }
  }
}
