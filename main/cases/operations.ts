import type { Services } from '../services';
import type { HandlersFor } from '../ipc/handler-types';
import { casesContract } from '../../common/contract/cases';
import { jobsContract } from '../../common/contract/jobs';
import { assetsContract } from '../../common/contract/assets';

/** Cases, tasks, notes, activity and settings: one function per operation, shared by the IPC handlers and the CLI. */
export function caseOperations(s: Services): HandlersFor<typeof casesContract> {
  const { core } = s;
  return {
    createCase: (input) => core.cases.create(input),
    listCases: (input) => core.cases.list(input),
    getCase: (input) => core.cases.get(input.caseNumber),
    updateCase: (input) => core.cases.update(input),
    listTasks: (input) => s.tasks.list(input.caseNumber),
    addTask: (input) => s.tasks.add(input),
    updateTask: (input) => s.tasks.update(input),
    listNotes: (input) => s.notes.list(input.caseNumber),
    addNote: (input) => s.notes.add(input),
    updateNote: (input) => s.notes.update(input),
    listActivity: (input) => core.activity.list(input.caseNumber, input.limit),
    getAppInfo: () => ({
      version: core.version,
      dataDir: core.paths.dataDir,
      schemaVersion: core.db.pragma('user_version', { simple: true }) as number,
      platform: process.platform,
    }),
    getSettings: () => core.settings.get(),
    updateSettings: (input) => core.settings.update(input),
  };
}

export function jobOperations(s: Services): HandlersFor<typeof jobsContract> {
  return {
    listJobs: () => s.core.jobs.list(),
    cancelJob: (input) => s.core.jobs.cancel(input.jobId),
  };
}

export function assetOperations(s: Services): HandlersFor<typeof assetsContract> {
  return {
    listAssets: (input) => s.core.assets.list(input.caseNumber, input.kind),
    addAsset: (input) => s.core.assets.upsert(input),
    getAsset: (input) => s.core.assets.get(input.caseNumber, input.assetId),
  };
}
