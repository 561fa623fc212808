import path from 'node:path';
import { openDatabase } from './db/database';
import { type Clock, systemClock } from './core/clock';
import { makePaths, searchFileFor } from './core/paths';
import { ensureDataFolder } from './core/data-folder';
import { EventBus } from './core/events';
import { lariatVersion, repoRoot } from './core/version';
import { type Actor, osActor } from './core/actor';
import { type Dialogs, noDialogs } from './core/dialogs';
import { FileGrants } from './core/file-grants';
import { openFileLogger, type Logger } from './core/logger';
import { classifyFault } from './core/faults';
import { applyPrivateUmask, checkPrivateFiles } from './core/private-files';
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
import { setAsideDamagedSearch } from './timeline/fts/search-health';
import { type ResponseFeature, createResponseFeature } from './response';
import { type ReportsFeature, createReportsFeature } from './reports';
import { type DetectionFeature, createDetectionFeature } from './detection';
import { wireImportDetection } from './detection/import-wiring';
import { reportDetections } from './detection/report-section';
import { type PlansFeature, createPlansFeature } from './plans';
import { type RunbooksFeature, createRunbooksFeature } from './runbooks';
import { type IncidentsFeature, createIncidentsFeature } from './incidents';
import { incidentSyncSources } from './incidents/bind-sources';
import { type AnalysisFeature, createAnalysisFeature } from './analysis';
import { analysisSources } from './analysis/bind-sources';
import { type AcquireFeature, createAcquireFeature } from './acquire';
import { acquireReportSource } from './acquire/report-source';

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
  /** Told about files someone made readable by others (also logged); default: stderr. */
  onWarning?: (message: string) => void;
  /** Replaces the data folder's log file (tests). */
  log?: Logger;
}

export interface Services {
  core: Core;
  tasks: TaskService;
  notes: NoteService;
  custody: CustodyFeature;
  timeline: TimelineFeature;
  response: ResponseFeature;
  reports: ReportsFeature;
  detection: DetectionFeature;
  plans: PlansFeature;
  runbooks: RunbooksFeature;
  incidents: IncidentsFeature;
  analysis: AnalysisFeature;
  acquire: AcquireFeature;
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
  // Everything Lariat creates from here on (databases, search index, keys, logs, exports) is private to the user.
  applyPrivateUmask();
  ensureDataFolder(paths.dataDir, paths.dbFile, paths.vaultDir, [paths.keysDir, paths.vaultDir, paths.logsDir, `${paths.dbFile}.open`]);
  const log = options.log ?? openFileLogger(paths.logsDir);
  log.info('open', { version: lariatVersion(), pid: process.pid, platform: process.platform });
  const warn = options.onWarning ?? ((m: string) => process.stderr.write(`warning: ${m}\n`));
  const searchFile = searchFileFor(paths.dbFile);
  const aside = setAsideDamagedSearch(searchFile, new Date(), options.nativeBinding);
  if (aside) {
    log.warn('search-index-damaged', { file: searchFile, movedTo: aside });
    warn(
      `the search index ${searchFile} could not be read (not a database); it was moved to ${aside} and is rebuilt from the case database now`,
    );
  }
  const db = openDatabase(paths.dbFile, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  log.info('db-open', { schema: db.pragma('user_version', { simple: true }) as number });
  for (const w of checkPrivateFiles(paths)) {
    log.warn('file-mode', { message: w });
    warn(w);
  }
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
    log,
    warn,
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
    jobs: new JobService({ clock, events, log, classify: (err) => classifyFault(err, { dbFile: paths.dbFile, logFile: log.file, db }) }),
    settings: new SettingsService({ db }),
    assets: new AssetService({ db, clock, cases, activity, events }),
  };
  const tasks = new TaskService({ db, clock, cases, activity, events });
  const notes = new NoteService({ db, clock, actor, cases, activity, events });
  const custody = createCustodyFeature(core);
  const timeline = createTimelineFeature(core, custody);
  const response = createResponseFeature(core, custody, timeline);
  const detection = createDetectionFeature(core);
  wireImportDetection(timeline.imports, detection.service);
  const plans = createPlansFeature(core, { session: response.aws, tasks, notes });
  const runbooks = createRunbooksFeature(core, { session: response.aws, timeline: timeline.timeline, evidence: custody.evidence });
  const incidents = createIncidentsFeature(core, {
    session: response.aws,
    timeline: timeline.timeline,
    casePlans: plans.casePlaybooks.store,
    sources: incidentSyncSources({ custody, timeline, response, runbooks }),
  });
  const analysis = createAnalysisFeature(core, { tasks, sources: analysisSources({ timeline, response, runbooks }) });
  const acquire = createAcquireFeature(core, custody, timeline, response);
  const reports = createReportsFeature(core, custody, timeline, response, {
    tasks,
    notes,
    analysis: (n) => analysis.analysis.forReport(n),
    detections: (n) => reportDetections(detection, n),
    acquire: acquireReportSource(acquire),
  });
  return {
    core,
    tasks,
    notes,
    custody,
    timeline,
    response,
    reports,
    detection,
    plans,
    runbooks,
    incidents,
    analysis,
    acquire,
    close: () => {
      if (db.open) db.close();
    },
  };
}
