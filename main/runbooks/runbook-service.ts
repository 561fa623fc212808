import { randomUUID } from 'node:crypto';
import type { Core } from '../core/core';
import type { AwsSession } from '../aws/session';
import { realSleep, type AwsClients, type Sleep } from '../aws/clients';
import { iamActionFor } from '../aws/operations';
import { AppError, toErrorInfo } from '../core/errors';
import type { JobContext } from '../jobs/job-service';
import type { EvidenceApi } from '../custody/api';
import type { TimelineApi } from '../timeline/api';
import type { PlanRunbookInput, RunbookRun, RunbookSummary, RunbookDetail } from '../../common/contract/runbooks';
import { outcomeUnknown } from '../incidents/push';
import { RunbookStore, type RunRow } from './runbook-store';
import { artefactsIn, describeDocument, findStarted, listDocuments, readExecution, stateOf, stepEnded } from './automation';

const START = iamActionFor('ssm', 'StartAutomationExecution');

export interface RunbookDeps {
  core: Core;
  session: AwsSession;
  timeline: TimelineApi;
  evidence: EvidenceApi;
  sleep?: Sleep;
  pollMs?: number;
}

/**
 * SSM Automation runbooks from a case, with the discipline of Lariat's own
 * actions: a stored plan showing the exact StartAutomationExecution request,
 * a typed confirmation (the runbook's name), a job that follows the
 * execution live, and every step recorded once in the case timeline (and in
 * the incident's, through the sync). Evidence named in the outputs is
 * registered with an `acquired` custody entry.
 */
export class RunbookService {
  readonly store: RunbookStore;
  private readonly following = new Set<number>();

  constructor(private readonly deps: RunbookDeps) {
    this.store = new RunbookStore(deps.core.db);
  }

  private get sleep(): Sleep {
    return this.deps.sleep ?? realSleep;
  }

  async list(region: string, owner: 'Amazon' | 'Self' | 'all', search?: string): Promise<RunbookSummary[]> {
    return listDocuments(await this.deps.session.clients(), region, owner, search);
  }

  async describe(region: string, name: string): Promise<RunbookDetail> {
    return describeDocument(await this.deps.session.clients(), region, name);
  }

  get(runId: number): RunbookRun {
    const r = this.store.row(runId);
    if (!r)
      throw new AppError(
        'not-found',
        `Runbook run ${runId} was not found.`,
        'List the runs of the case (`lariat runbook status --case ...`).',
      );
    return this.store.toRun(r, this.following.has(runId), START);
  }

  listRuns(caseNumber: string): RunbookRun[] {
    this.deps.core.cases.require(caseNumber);
    return this.store.rows(caseNumber).map((r) => this.store.toRun(r, this.following.has(r.id), START));
  }

  /** Reads the runbook (DescribeDocument), checks the parameters against it, and stores the exact request. Nothing runs. */
  async plan(input: PlanRunbookInput): Promise<RunbookRun> {
    const { core } = this.deps;
    const c = core.cases.requireWritable(input.caseNumber);
    const doc = await this.describe(input.region, input.documentName);
    const known = new Map(doc.parameters.map((p) => [p.name, p]));
    const unknown = Object.keys(input.parameters).filter((k) => !known.has(k));
    if (unknown.length)
      throw new AppError(
        'runbook-parameter-unknown',
        `${doc.name} has no parameter ${unknown.join(', ')}.`,
        `Its parameters are: ${doc.parameters.map((p) => p.name).join(', ') || 'none'}.`,
      );
    const missing = doc.parameters
      .filter((p) => p.required && !(input.parameters[p.name]?.some((v) => v !== '') ?? false))
      .map((p) => p.name);
    if (missing.length)
      throw new AppError(
        'runbook-parameter-missing',
        `${doc.name} needs ${missing.join(', ')}.`,
        'Give a value for each required parameter.',
      );
    const parameters = Object.fromEntries(Object.entries(input.parameters).filter(([, v]) => v.some((x) => x !== '')));
    // A fresh UUID per run, stored before anything is sent: every retry of this run's start sends the same token.
    const token = randomUUID();
    const request = {
      DocumentName: doc.name,
      ...(input.documentVersion ? { DocumentVersion: input.documentVersion } : {}),
      Parameters: parameters,
      ClientToken: token,
    };
    const id = core.db.transaction(() => {
      const runId = this.store.insert({
        caseId: c.id,
        documentName: doc.name,
        documentVersion: input.documentVersion ?? null,
        region: input.region,
        parameters,
        request,
        clientToken: token,
        actor: core.actor().name,
        now: core.clock.now().toISOString(),
      });
      core.activity.record({
        caseId: c.id,
        action: 'runbook.planned',
        entity: 'runbook',
        entityId: runId,
        details: { document: doc.name, region: input.region, parameters: Object.keys(parameters) },
      });
      return runId;
    })();
    this.changed(id);
    return this.get(id);
  }

  discard(runId: number): RunbookRun {
    const r = this.get(runId);
    if (r.state !== 'planned')
      throw new AppError(
        'runbook-not-planned',
        `Run ${runId} is ${r.state}; only a plan that never started can be discarded.`,
        'A started run stays on record.',
      );
    const c = this.deps.core.cases.requireWritable(r.caseNumber);
    this.deps.core.db.transaction(() => {
      this.store.patch(runId, { state: 'discarded', finished_at: this.deps.core.clock.now().toISOString() });
      this.deps.core.activity.record({ caseId: c.id, action: 'runbook.discarded', entity: 'runbook', entityId: runId });
    })();
    this.changed(runId);
    return this.get(runId);
  }

  /** Starts (or, after an unknown outcome, looks for and adopts) the execution, then follows it as a job. */
  start(runId: number, confirm: string): { jobId: string; runId: number; result: Promise<RunbookRun> } {
    const r = this.get(runId);
    if (confirm.trim() !== r.documentName)
      throw new AppError(
        'confirmation-mismatch',
        `The confirmation "${confirm.trim()}" is not the runbook name ${r.documentName}.`,
        `Type ${r.documentName} exactly to start it.`,
      );
    const startable = r.state === 'planned' || r.state === 'starting' || (r.state === 'failed' && !r.executionId);
    if (!startable)
      throw new AppError(
        'runbook-not-startable',
        `Run ${runId} is ${r.state}${r.executionId ? ` (execution ${r.executionId})` : ''}; it cannot be started again.`,
        'Plan a new run to run the runbook again; follow a running one with runbook status.',
      );
    return this.follow(runId, true);
  }

  /** Follows a run as a job until it ends (after a restart, `unfollowed` runs are picked up here). */
  follow(runId: number, starting = false): { jobId: string; runId: number; result: Promise<RunbookRun> } {
    const r = this.get(runId);
    if (this.following.has(runId))
      throw new AppError('runbook-followed', `Run ${runId} is already being followed.`, 'Watch it in the Playbook tab or the jobs drawer.');
    if (!starting && !r.executionId) throw new AppError('runbook-not-started', `Run ${runId} has not started.`, 'Start it first.');
    this.deps.core.cases.requireWritable(r.caseNumber);
    this.following.add(runId);
    const { jobId, result } = this.deps.core.jobs.start(
      { kind: 'runbook', label: `Runbook ${r.documentName} (${r.caseNumber})`, caseNumber: r.caseNumber, unit: 'steps', total: null },
      async (job) => {
        try {
          const clients = await this.deps.session.clients();
          if (starting) await this.startExecution(clients, runId);
          return await this.watch(clients, runId, job);
        } finally {
          this.following.delete(runId);
          this.changed(runId);
        }
      },
    );
    return { jobId, runId, result };
  }

  private async startExecution(clients: AwsClients, runId: number): Promise<void> {
    const { core } = this.deps;
    const r = this.store.row(runId)!;
    const caller = this.deps.session.whoAmI().arn;
    if (r.state === 'starting' && r.attempted_at) {
      const found = await findStarted(clients, r.region, { documentName: r.document_name, since: r.attempted_at, callerArn: r.caller_arn });
      if (found) return this.started(r, found);
    }
    this.store.patch(runId, { state: 'starting', attempted_at: core.clock.now().toISOString(), caller_arn: caller, error: null });
    try {
      const out = await clients.call<{ AutomationExecutionId?: string }>(
        'ssm',
        r.region,
        'StartAutomationExecution',
        JSON.parse(r.request) as Record<string, unknown>,
      );
      if (!out.AutomationExecutionId)
        throw new AppError('aws-error', 'StartAutomationExecution returned no execution id.', 'Look for the execution in the console.');
      this.started(r, out.AutomationExecutionId);
    } catch (err) {
      // Refused outright: nothing ran, so the run may be started again with the same token. Unknown: it stays `starting`.
      this.store.patch(runId, { ...(outcomeUnknown(err) ? {} : { state: 'failed' as const }), error: JSON.stringify(toErrorInfo(err)) });
      throw err;
    }
  }

  private started(r: RunRow, executionId: string): void {
    const { core } = this.deps;
    const now = core.clock.now().toISOString();
    core.db.transaction(() => {
      this.store.patch(r.id, { execution_id: executionId, state: 'running', started_at: now, error: null });
      core.activity.record({
        caseId: r.case_id,
        action: 'runbook.started',
        entity: 'runbook',
        entityId: r.id,
        details: { document: r.document_name, executionId, region: r.region },
      });
      this.deps.timeline.appendEvents(r.case_number, [
        {
          time: now,
          source: 'lariat',
          action: 'runbook.started',
          actor: core.actor().name,
          resource: `automation-execution/${executionId}`,
          region: r.region,
          raw: { runId: r.id, document: r.document_name, executionId, request: JSON.parse(r.request) as unknown },
        },
      ]);
    })();
    this.changed(r.id);
  }

  private async watch(clients: AwsClients, runId: number, job: JobContext): Promise<RunbookRun> {
    let stopAsked = false;
    // After a stop, AWS reports Cancelled within a few polls; the bound keeps a silent service from holding the job forever.
    for (let afterStop = 0; afterStop < 120; afterStop += stopAsked ? 1 : 0) {
      const run = await this.refreshWith(clients, runId);
      const done = run.steps.filter((s) => stepEnded(s.status)).length;
      job.progress(done, run.steps.length || null, `${run.awsStatus ?? 'starting'}: ${done}/${run.steps.length} steps`);
      if (run.state !== 'running') return run;
      if (job.signal.aborted && !stopAsked) {
        // Cancelling the job stops the runbook itself, then follows it to its end.
        stopAsked = true;
        await this.stop(runId);
      }
      await this.sleep(this.deps.pollMs ?? 5000).catch(() => undefined);
    }
    return this.get(runId);
  }

  /** One look at the execution: new step states go to the timeline (once each), the end is recorded with its outputs. */
  async refresh(runId: number): Promise<RunbookRun> {
    return this.refreshWith(await this.deps.session.clients(), runId);
  }

  private async refreshWith(clients: AwsClients, runId: number): Promise<RunbookRun> {
    const { core } = this.deps;
    const r = this.store.row(runId)!;
    if (!r.execution_id) return this.get(runId);
    const snap = await readExecution(clients, r.region, r.execution_id);
    const end = stateOf(snap.status ?? undefined);
    const now = core.clock.now().toISOString();
    core.db.transaction(() => {
      const events = snap.steps
        .filter((s) => stepEnded(s.status) && this.store.addStep(runId, s, now))
        .map((s) => ({
          time: s.endedAt ?? now,
          source: 'lariat' as const,
          action: 'runbook.step',
          actor: core.actor().name,
          resource: `automation-execution/${r.execution_id}`,
          region: r.region,
          errorCode: s.status === 'Success' ? undefined : s.status,
          raw: { runId, document: r.document_name, step: s },
        }));
      for (const s of snap.steps.filter((x) => !stepEnded(x.status))) this.store.addStep(runId, s, now);
      if (events.length) this.deps.timeline.appendEvents(r.case_number, events);
      this.store.patch(runId, { aws_status: snap.status, outputs: JSON.stringify(snap.outputs), failure: snap.failure });
      if (end && r.state === 'running') {
        this.store.patch(runId, { state: end, finished_at: snap.endedAt ?? now });
        core.activity.record({
          caseId: r.case_id,
          action: `runbook.${end}`,
          entity: 'runbook',
          entityId: runId,
          details: { status: snap.status },
        });
        // AWS's end time when given, else the latest step end: the end never sorts before its steps.
        const lastStep = snap.steps
          .map((s) => s.endedAt ?? '')
          .sort()
          .pop();
        this.deps.timeline.appendEvents(r.case_number, [
          {
            time: snap.endedAt ?? (lastStep && lastStep > now ? lastStep : now),
            source: 'lariat',
            action: 'runbook.finished',
            actor: core.actor().name,
            resource: `automation-execution/${r.execution_id}`,
            region: r.region,
            ...(end === 'succeeded' ? {} : { errorCode: snap.status ?? end }),
            raw: { runId, document: r.document_name, status: snap.status, outputs: snap.outputs, failure: snap.failure },
          },
        ]);
      }
    })();
    if (end === 'succeeded') await this.recordEvidence(runId, snap);
    this.changed(runId);
    return this.get(runId);
  }

  /** Registers what the runbook acquired (named in its outputs) and the execution record itself, once. */
  private async recordEvidence(
    runId: number,
    snap: { outputs: Record<string, string[]>; steps: { outputs: Record<string, string[]> }[] },
  ): Promise<void> {
    const r = this.store.row(runId)!;
    if ((JSON.parse(r.evidence_ids) as number[]).length) return;
    const found = artefactsIn([snap.outputs, ...snap.steps.map((s) => s.outputs)]);
    if (found.length === 0) return;
    const { core, evidence } = this.deps;
    try {
      const acquisition = { tool: `AWS Systems Manager Automation (${r.document_name})`, method: `automation execution ${r.execution_id}` };
      const ids = found.map(
        (a) =>
          evidence.registerRemote(r.case_number, {
            kind: a.kind,
            description: `${a.what} ${a.resource} produced by runbook ${r.document_name}`,
            source: { region: r.region, resource: a.resource },
            acquisition,
            size: null,
            hashes: {},
          }).id,
      );
      const record = await evidence.importBytes(
        r.case_number,
        `automation-${r.execution_id}.json`,
        Buffer.from(`${JSON.stringify({ request: JSON.parse(r.request) as unknown, execution: r.execution_id, ...snap }, null, 2)}\n`),
        {
          kind: 'log-export',
          description: `Execution record of runbook ${r.document_name} (${r.execution_id})`,
          source: { region: r.region },
          acquisition,
        },
      );
      this.store.patch(runId, { evidence_ids: JSON.stringify([...ids, record.id]) });
    } catch (err) {
      core.activity.record({
        caseId: r.case_id,
        action: 'runbook.evidence-failed',
        entity: 'runbook',
        entityId: runId,
        details: { reason: toErrorInfo(err).message },
      });
    }
  }

  /** StopAutomationExecution (Cancel); the run ends when AWS reports it cancelled. Stopping a run that ended is "already done". */
  async stop(runId: number): Promise<RunbookRun> {
    const r = this.get(runId);
    if (!r.executionId || r.state !== 'running') return r;
    const c = this.deps.core.cases.requireWritable(r.caseNumber);
    const clients = await this.deps.session.clients();
    await clients.call('ssm', r.region, 'StopAutomationExecution', { AutomationExecutionId: r.executionId, Type: 'Cancel' });
    this.deps.core.activity.record({ caseId: c.id, action: 'runbook.stop-requested', entity: 'runbook', entityId: runId });
    return this.refreshWith(clients, runId);
  }

  private changed(runId: number): void {
    const r = this.store.row(runId);
    if (r) this.deps.core.events.emit('runbookChanged', { caseNumber: r.case_number, runId, state: r.state });
  }
}
