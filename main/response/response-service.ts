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
import { ActionLeases, DEFAULT_LEASE_MS, runningElsewhere } from './lease';
import { DiscoveryService, type InstanceFacts } from './discovery';
import { requireNotReleased } from './plans/release';
import type { ResponseRecords } from './executors';
import type { IncidentService } from './incident-service';

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

const LABEL = { isolate: 'Isolate', release: 'Release', snapshot: 'Snapshot volumes of', memory: 'Acquire memory of' } as const;

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
    this.planner = new ActionPlanner({
      core,
      store: this.store,
      leases: this.leases,
      account: () => deps.session.whoAmI().account,
      upsertAsset: (caseNumber, facts) => void this.upsertAsset(caseNumber, facts, {}),
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
    return this.upsertAsset(caseNumber, facts, {});
  }

  /** Builds the plan with read-only calls and stores it, steps pending. Nothing changes in AWS. */
  async plan(input: PlanActionInput): Promise<ActionRecord> {
    const id = await this.planner.plan(input, await this.deps.session.clients(), this.running);
    this.deps.core.events.emit('actionChanged', {
      caseNumber: input.caseNumber,
      actionId: id,
      state: 'planned',
      stepIndex: null,
      stepState: null,
    });
    return this.get(id);
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

  /**
   * Starts (or resumes) the action as a job once the instance id was typed
   * back; returns at once. The lease is taken here, with the state change, in
   * one write transaction: a second process or window is refused at once.
   */
  start(actionId: number, confirmInstanceId: string): { jobId: string; actionId: number; result: Promise<ActionRecord> } {
    const a = this.get(actionId);
    this.checkRunnable(a, confirmInstanceId);
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
        label: `${LABEL[a.kind]} ${a.instanceId} (${a.caseNumber})`,
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
          this.afterSuccess(a);
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
    const elsewhere = this.leases.heldElsewhere(a.id);
    if (elsewhere) throw runningElsewhere(a.id, elsewhere);
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
    if (a.kind === 'release') {
      const iso = Number(a.recorded.isolationActionId);
      requireNotReleased(
        iso,
        a.instanceId,
        this.store.releasesOf(iso).filter((r) => r.id !== a.id && r.state === 'succeeded'),
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
    const { warnings, profileAssociationId: _p, lookupFailures: _l, interfaceAddresses: _a, ...details } = f;
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
}
