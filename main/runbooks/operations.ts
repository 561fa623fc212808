import type { PlanRunbookInput, RunbookDetail, RunbookRun, RunbookSummary } from '../../common/contract/runbooks';
import type { RunbooksFeature } from '.';

/** One function per runbook operation, shared by the IPC handlers and the CLI. */

export const listRunbooks = (
  f: RunbooksFeature,
  input: { region: string; owner: 'Amazon' | 'Self' | 'all'; search?: string },
): Promise<RunbookSummary[]> => f.runbooks.list(input.region, input.owner, input.search);

export const describeRunbook = (f: RunbooksFeature, input: { region: string; documentName: string }): Promise<RunbookDetail> =>
  f.runbooks.describe(input.region, input.documentName);

export const planRunbook = (f: RunbooksFeature, input: PlanRunbookInput): Promise<RunbookRun> => f.runbooks.plan(input);

/** Starts the run as a job; returns at once (the CLI awaits `result`). */
export const startRunbook = (f: RunbooksFeature, input: { runId: number; confirmDocumentName: string }) =>
  f.runbooks.start(input.runId, input.confirmDocumentName);

/** A run as stored, without asking AWS (the CLI shows a planned run before starting it with `--run N`). */
export const getRunbookRun = (f: RunbooksFeature, input: { runId: number }): RunbookRun => f.runbooks.get(input.runId);

export const runbookStatus = (f: RunbooksFeature, input: { runId: number }): Promise<RunbookRun> => {
  const run = f.runbooks.get(input.runId);
  return run.executionId && run.state === 'running' ? f.runbooks.refresh(input.runId) : Promise.resolve(run);
};

export const followRunbook = (f: RunbooksFeature, input: { runId: number }) => f.runbooks.follow(input.runId);

export const stopRunbook = (f: RunbooksFeature, input: { runId: number }): Promise<RunbookRun> => f.runbooks.stop(input.runId);

export const discardRunbook = (f: RunbooksFeature, input: { runId: number }): RunbookRun => f.runbooks.discard(input.runId);

export const listRunbookRuns = (f: RunbooksFeature, input: { caseNumber: string }): RunbookRun[] => f.runbooks.listRuns(input.caseNumber);
