import path from 'node:path';
import { openDatabase } from './db/database';
import { type Clock, systemClock } from './core/clock';
import { makePaths, ensureDir } from './core/paths';
import { EventBus } from './core/events';
import { lariatVersion, repoRoot } from './core/version';
import { type Actor, osActor } from './core/actor';
import { type Dialogs, noDialogs } from './core/dialogs';
import { FileGrants } from './core/file-grants';
import type { Core, SafeStorageLike } from './core/core';
import { ActivityService } from './activity/activity-service';
import { CaseService } from './cases/case-service';
import { JobService } from './jobs/job-service';
import { SettingsService } from './settings/settings-service';
import { TaskService } from './tasks/task-service';
import { NoteService } from './notes/note-service';
import { AssetService } from './assets/asset-service';
import { type CustodyFeature, createCustodyFeature } from './custody';
import { type TimelineFeature, createTimelineFeature } from './timeline';
import { type ResponseFeature, createResponseFeature } from './response';
import { type ReportsFeature, createReportsFeature } from './reports';

export interface ServiceOptions {
  dataDir: string;
  /** Folder holding shipped resources (templates, IAM policy, scripts, demo data). */
  resourcesDir?: string;
  clock?: Clock;
  dialogs?: Dialogs;
  env?: NodeJS.ProcessEnv;
  electron?: boolean;
  safeStorage?: SafeStorageLike | null;
  printToPdf?: Core['printToPdf'];
  /** better-sqlite3 binary built for Electron (dev runs only). */
  nativeBinding?: string;
}

export interface Services {
  core: Core;
  tasks: TaskService;
  notes: NoteService;
  custody: CustodyFeature;
  timeline: TimelineFeature;
  response: ResponseFeature;
  reports: ReportsFeature;
  close(): void;
}

export { repoRoot, lariatVersion } from './core/version';

/**
 * The composition root shared by the Electron app, the CLI and the tests:
 * opens the database and builds every service with its dependencies. Nothing
 * here imports Electron.
 */
export function createServices(options: ServiceOptions): Services {
  const paths = makePaths(options.dataDir, options.resourcesDir ?? path.join(repoRoot(), 'resources'));
  ensureDir(paths.dataDir);
  const db = openDatabase(paths.dbFile, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  const clock = options.clock ?? systemClock;
  const events = new EventBus();
  let actorSource: () => Actor = osActor;
  const actor = (): Actor => actorSource();
  const activity = new ActivityService({ db, clock, actor });
  const cases = new CaseService({ db, clock, activity, events, actor });
  const core: Core = {
    db,
    clock,
    paths,
    events,
    dialogs: options.dialogs ?? noDialogs,
    grants: new FileGrants(),
    env: options.env ?? process.env,
    version: lariatVersion(),
    electron: options.electron ?? false,
    safeStorage: options.safeStorage ?? null,
    printToPdf: options.printToPdf ?? null,
    actor,
    setActorSource: (source) => {
      actorSource = source;
    },
    activity,
    cases,
    jobs: new JobService({ clock, events }),
    settings: new SettingsService({ db }),
    assets: new AssetService({ db, clock, cases, activity, events }),
  };
  const tasks = new TaskService({ db, clock, cases, activity, events });
  const notes = new NoteService({ db, clock, actor, cases, activity, events });
  const custody = createCustodyFeature(core);
  const timeline = createTimelineFeature(core, custody);
  const response = createResponseFeature(core, custody, timeline);
  const reports = createReportsFeature(core, custody, timeline, response, { tasks, notes });
  return {
    core,
    tasks,
    notes,
    custody,
    timeline,
    response,
    reports,
    close: () => {
      if (db.open) db.close();
    },
  };
}
