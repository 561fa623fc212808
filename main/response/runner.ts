import type { Db } from '../db/database';
import type { Clock } from '../core/clock';
import type { EventBus } from '../core/events';
import type { ActivityService } from '../activity/activity-service';
import type { JobContext } from '../jobs/job-service';
import type { EvidenceApi } from '../custody/api';
import type { TimelineApi } from '../timeline/api';
import type { AwsClients, Sleep } from '../aws/clients';
import type { AwsService } from '../aws/operations';
import { redact, toJson } from '../aws/redact';
import { AppError, toErrorInfo } from '../core/errors';
import type { ActionRecord, StepState } from '../../common/contract/response';
import type { ActionStore, StoredStep } from './action-store';
import { resolveRefs } from './refs';
import { executeStep, StepFailure, type ResponseRecords } from './executors';
import type { ActionLeases } from './lease';

export interface RunnerDeps {
  db: Db;
  clock: Clock;
  events: EventBus;
  activity: ActivityService;
  store: ActionStore;
  leases: ActionLeases;
  evidence: EvidenceApi;
  records: ResponseRecords;
  timeline: TimelineApi;
  version: string;
  actorName: () => string;
  sleep: Sleep;
  pollMs: number;
}

/**
 * Runs an action's stored steps in order. Each step is marked running (and
 * committed) before its call and succeeded/failed after it, with its
 * request and result (redacted) written to the activity log and the case
 * timeline. A step that succeeded is never run again: resuming starts at the
 * first step that did not, reusing the stored results earlier steps produced.
 * The runner renews its lease before each step and inside each step's record:
 * a runner that lost its lease (it slept past expiry and another Lariat took
 * over) stops before its next call and records nothing more.
 */
export class ActionRunner {
  constructor(private readonly deps: RunnerDeps) {}

  async run(action: ActionRecord & { steps: StoredStep[] }, caseId: number, clients: AwsClients, job: JobContext): Promise<void> {
    const { store, clock } = this.deps;
    const results = new Map<string, unknown>();
    for (const s of action.steps) if (s.state === 'succeeded' || s.state === 'skipped') results.set(s.key, s.result);
    const total = action.steps.length;
    let done = results.size;
    job.progress(done, total, done ? `resuming at step ${done + 1} of ${total}` : 'starting');
    for (const step of action.steps) {
      if (step.state === 'succeeded' || step.state === 'skipped') continue;
      job.throwIfCancelled();
      const now = clock.now().toISOString();
      let request: Record<string, unknown> = step.request as Record<string, unknown>;
      this.deps.db.transaction(() => {
        this.deps.leases.requireHeld(action.id);
        store.stepRunning(action.id, step.index, now);
      })();
      this.emit(action, step.index, 'running');
      try {
        request = resolveRefs(step.request, results, now) as Record<string, unknown>;
        const outcome = await executeStep(step.kind, {
          clients,
          evidence: this.deps.evidence,
          records: this.deps.records,
          recorded: action.recorded,
          caseNumber: action.caseNumber,
          actionId: action.id,
          target: action.target,
          instanceId: action.instanceId,
          account: action.account,
          key: step.key,
          service: step.service as AwsService | 'lariat',
          region: step.region,
          operation: step.operation,
          request,
          options: action.options,
          results,
          toolVersion: this.deps.version,
          signal: job.signal,
          sleep: this.deps.sleep,
          pollMs: this.deps.pollMs,
          now: () => clock.now(),
          progress: (message, fraction) => job.progress(done + (fraction ?? 0), total, `${step.title}: ${message}`),
          onRetry: (attempt, code) => {
            store.stepRetry(action.id, step.index);
            job.progress(done, total, `${step.title}: ${code}, retry ${attempt}`);
          },
        });
        results.set(step.key, outcome.result);
        this.record(action, caseId, step, outcome.state, request, outcome.result, null);
        done++;
        job.progress(done, total, step.title);
      } catch (err) {
        if (err instanceof AppError && err.code === 'lease-lost') throw err;
        const info = toErrorInfo(
          job.signal.aborted
            ? new AppError(
                'cancelled',
                `Cancelled during "${step.title}".`,
                'Resume the action when ready; succeeded steps are not repeated.',
              )
            : err,
        );
        // A failed step keeps what it learnt (a command's output): its error says to read it there.
        const partial = err instanceof StepFailure ? redact(toJson(err.result)) : null;
        this.record(action, caseId, step, 'failed', request, partial, info);
        store.setState(action.id, 'failed', { error: info, finishedAt: clock.now().toISOString() });
        this.deps.activity.record({
          caseId,
          action: 'response.action.failed',
          entity: 'response-action',
          entityId: action.id,
          details: { step: step.key, code: info.code },
        });
        this.emit(action, null, null, 'failed');
        throw err instanceof AppError ? err : new AppError(info.code, info.message, info.hint, { cause: err });
      }
    }
  }

  private record(
    action: ActionRecord,
    caseId: number,
    step: StoredStep,
    state: 'succeeded' | 'skipped' | 'failed',
    request: unknown,
    result: unknown,
    error: ReturnType<typeof toErrorInfo> | null,
  ): void {
    const now = this.deps.clock.now().toISOString();
    const safeRequest = redact(request);
    this.deps.db.transaction(() => {
      this.deps.leases.requireHeld(action.id);
      this.deps.store.stepEnded(action.id, step.index, state, result ?? undefined, error, now);
      this.deps.activity.record({
        caseId,
        action: `response.step.${state}`,
        entity: 'response-action',
        entityId: action.id,
        details: {
          step: step.key,
          call: `${step.service}:${step.operation}`,
          region: step.region,
          request: safeRequest,
          ...(error ? { error: error.code } : {}),
        },
      });
    })();
    try {
      this.deps.timeline.appendEvents(action.caseNumber, [
        {
          time: now,
          source: 'lariat',
          action: step.service === 'lariat' ? `lariat:${step.operation}` : `${step.service}:${step.operation}`,
          actor: this.deps.actorName(),
          resource: action.instanceId,
          region: step.region,
          ...(action.account ? { account: action.account } : {}),
          ...(error ? { errorCode: error.code } : {}),
          raw: {
            actionId: action.id,
            actionKind: action.kind,
            step: step.key,
            title: step.title,
            state,
            request: safeRequest,
            result: result ?? null,
            error,
          },
        },
      ]);
    } catch (err) {
      // The AWS call already happened; losing the timeline copy must not hide that. The activity log has it.
      this.deps.activity.record({
        caseId,
        action: 'response.timeline-unavailable',
        entity: 'response-action',
        entityId: action.id,
        details: { step: step.key, reason: toErrorInfo(err).message },
      });
    }
    this.emit(action, step.index, state);
  }

  private emit(
    action: ActionRecord,
    stepIndex: number | null,
    stepState: StepState | null,
    state: ActionRecord['state'] = 'running',
  ): void {
    this.deps.events.emit('actionChanged', { caseNumber: action.caseNumber, actionId: action.id, state, stepIndex, stepState });
  }
}
