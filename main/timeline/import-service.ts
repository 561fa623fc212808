import fs from 'node:fs';
import type { Logger } from '../core/logger';
import type { Db } from '../db/database';
import type { Clock } from '../core/clock';
import type { EventBus } from '../core/events';
import type { ActivityService } from '../activity/activity-service';
import type { CaseService } from '../cases/case-service';
import type { BatchCommit, EvidenceApi, StagedEvidence } from '../custody/api';
import type { JobContext, JobService } from '../jobs/job-service';
import type { ImportFileReport, ImportReport, TimelineSettings } from '../../common/contract/timeline';
import type { ImportBatchHook, ImportMatcherFactory } from './api';
import { EventStore } from './event-store';
import { defaultParseOptions, type ParseOptions } from './importers/parse-file';
import { expandPaths, nothingToImport, type SkippedEntry } from './importers/walk';
import { ParseWorker } from './import-worker';
import { ImportLog } from './import-log';
import type { PackedFile } from './packed-file';
import { SearchWriter } from './fts/search-writer';
import { VaultStager } from '../custody/vault-stager';
import { DuplicateFinder } from './duplicates';
import { RawReader } from './raw-reader';
import { rawTextOf } from './raw-store';
import { ImportEvidence } from './import-evidence';
import { EvidenceCommits } from './evidence-commits';
import { TimelineSettingsStore } from './timeline-settings';
import { ImportWriter, type ImportOptions, type Ready } from './import-writer';
import { beginImportSession, endImportSession, recoverInterrupted } from './import-recovery';

export type { ImportOptions } from './import-writer';

/** Above this much input into an empty timeline, indexes are built after the load instead of during it. */
const BULK_BYTES = 64 * 1024 * 1024;
/** From this much input on, files are parsed on one thread and full-text indexed on another while the main thread inserts. */
const WORKER_BYTES = 8 * 1024 * 1024;
/**
 * Events written per transaction when files come from the parse thread: several small files
 * share one commit (one fsync, one full-text segment), each still with its own log row.
 */
const GROUP_EVENTS = 20_000;
/** Input parsed and copied into the vault ahead of the file being written: more than a group, so no thread waits for another. */
const AHEAD_BYTES = 12 * 1024 * 1024;
/** Files copied into the vault at once. */
const STAGE_PARALLEL = 4;
const noop = (): void => undefined;
/** Entries of a folder tree not imported that a report lists by name (the rest are counted). */
const MAX_SKIPPED_LISTED = 50;

/** The files the paths hold and the folder entries not taken; paths that hold no file at all are refused. */
function filesOf(paths: string[]): { files: string[]; skipped: SkippedEntry[] } {
  const skipped: SkippedEntry[] = [];
  const files = expandPaths(paths, skipped);
  if (files.length === 0 && paths.length > 0) throw nothingToImport(paths, skipped);
  return { files, skipped };
}
/** Full-text batches the search thread may have waiting before the main thread waits for it. */
const SEARCH_BACKLOG = 2;

export interface ImportDeps {
  db: Db;
  clock: Clock;
  events: EventBus;
  activity: ActivityService;
  cases: CaseService;
  jobs: JobService;
  evidence: EvidenceApi & BatchCommit;
  version: string;
  /**
   * The vault folder: raw records are read from the copies there (to confirm a duplicate). Required: without it a
   * duplicate check would look for the vault copies under `/` and fail the import.
   */
  vaultDir: string;
  parseOptions?: Partial<ParseOptions>;
  /** Input size above which an import into an empty timeline defers its indexes (default 64 MiB). */
  bulkBytes?: number;
  /** Input size from which files are pre-parsed on a worker thread (default 8 MiB; Infinity turns it off). */
  workerBytes?: number;
  /** Where a search index found damaged at start, set aside and rebuilt, is reported (the data folder's log). */
  log?: Pick<Logger, 'warn'>;
  /** Says the same to the investigator (the CLI's stderr), as the start does for an index SQLite cannot open at all. */
  warn?: (message: string) => void;
}

/**
 * Imports evidence files into a case timeline. Each file first becomes an
 * evidence item (hash, vault copy, custody entry); a file already imported
 * into the case (same SHA-256) is reported as a duplicate and skipped, and
 * records the case already holds (from other files or imports) are skipped
 * and counted. Records are written in batches tagged with the import id, so
 * a cancel or failure removes exactly what that file wrote (tracked rollback).
 */
export class ImportService {
  private readonly store: EventStore;
  private readonly log: ImportLog;
  private readonly options: ParseOptions;
  private readonly reader: RawReader;
  private hook: ImportBatchHook | null = null;
  private detection: ImportMatcherFactory | null = null;
  private readonly settingsStore: TimelineSettingsStore;
  private readonly evidenceFiles: ImportEvidence;
  private readonly writer: ImportWriter;

  constructor(private readonly deps: ImportDeps) {
    this.settingsStore = new TimelineSettingsStore(deps);
    this.evidenceFiles = new ImportEvidence(deps.evidence, deps.version);
    this.store = new EventStore(deps.db);
    this.log = new ImportLog(deps);
    this.options = { ...defaultParseOptions, ...deps.parseOptions };
    this.reader = new RawReader(deps.vaultDir);
    this.writer = new ImportWriter(
      {
        db: deps.db,
        cases: deps.cases,
        store: this.store,
        log: this.log,
        reader: this.reader,
        evidenceFiles: this.evidenceFiles,
        options: this.options,
      },
      { hook: () => this.hook, keepDuplicates: (caseNumber) => this.settings(caseNumber).keepDuplicates },
    );
    recoverInterrupted(deps.db, this.store, this.reader, (movedTo, err) => {
      deps.log?.warn('search-index-damaged', { message: err.message, movedTo, rebuilt: true });
      deps.warn?.(
        `the search index was damaged (${err.message}); it was moved to ${movedTo ?? 'nowhere (in memory)'} and rebuilt from the case database`,
      );
    });
  }

  /**
   * Import-time detection: every import asks `factory` for the case's rules; records are matched as they
   * are parsed and their hits written in the transaction of their events (null: no matching).
   */
  useDetection(factory: ImportMatcherFactory | null): void {
    this.detection = factory;
  }

  /** Where detection plugs in: called once per committed batch (see ImportedBatch). */
  onBatch(hook: ImportBatchHook | null): void {
    this.hook = hook;
  }

  /** Starts an import job and returns its id at once; the report is pushed as `timelineImported`. */
  start(caseNumber: string, paths: string[], options: ImportOptions = {}): { jobId: string; result: Promise<ImportReport> } {
    this.deps.cases.requireWritable(caseNumber);
    const { files, skipped } = filesOf(paths);
    const total = files.reduce((n, f) => n + fs.statSync(f).size, 0);
    return this.deps.jobs.start(
      {
        kind: 'timeline-import',
        label: `Import ${files.length} file${files.length === 1 ? '' : 's'} into ${caseNumber}`,
        caseNumber,
        unit: 'bytes',
        total,
      },
      (ctx) => this.importFiles(caseNumber, files, ctx, options, skipped),
    );
  }

  /** Imports files and folders (walking them) in one go; used by the CLI and tests. */
  async importPaths(caseNumber: string, paths: string[], job?: JobContext, options: ImportOptions = {}): Promise<ImportReport> {
    this.deps.cases.requireWritable(caseNumber);
    const { files, skipped } = filesOf(paths);
    return this.importFiles(caseNumber, files, job, options, skipped);
  }

  /** A case's timeline options. */
  settings(caseNumber: string): TimelineSettings {
    return this.settingsStore.get(caseNumber);
  }

  setSettings(caseNumber: string, keepDuplicates: boolean): TimelineSettings {
    return this.settingsStore.set(caseNumber, keepDuplicates);
  }

  /** Every import runs inside a session row, so a process starting meanwhile does not take it for a dead one. */
  private async importFiles(
    caseNumber: string,
    files: string[],
    job: JobContext | undefined,
    options: ImportOptions,
    skipped: readonly SkippedEntry[] = [],
  ): Promise<ImportReport> {
    const session = beginImportSession(this.deps.db, this.deps.clock.now().toISOString());
    try {
      return await this.runImport(caseNumber, files, job, options, skipped);
    } finally {
      endImportSession(this.deps.db, session);
    }
  }

  /**
   * Four threads share a big import: the parse thread reads and classifies
   * files ahead, the vault thread copies them into the vault, the main
   * thread writes events (several small files per transaction) and the
   * search thread builds the full-text index. Files the parse thread does
   * not take (bigger than its limit) stream through the main thread.
   */
  private async runImport(
    caseNumber: string,
    files: string[],
    job: JobContext | undefined,
    options: ImportOptions,
    skipped: readonly SkippedEntry[],
  ): Promise<ImportReport> {
    const { db } = this.deps;
    const reports: ImportFileReport[] = [];
    const sizes = files.map((f) => fs.statSync(f).size);
    const totalBytes = sizes.reduce((n, b) => n + b, 0);
    let doneBytes = 0;
    job?.progress(0, totalBytes);
    const caseId = this.deps.cases.require(caseNumber).id;
    // The vault reports progress per file; the job shows bytes over all files, so only cancellation is passed on.
    const quiet: JobContext | undefined = job && {
      signal: job.signal,
      throwIfCancelled: () => job.throwIfCancelled(),
      progress: () => undefined,
    };
    // Into an empty timeline, a big import appends rows and builds the indexes once at the end.
    const bulk = totalBytes > (this.deps.bulkBytes ?? BULK_BYTES) && !db.prepare('SELECT 1 FROM timeline_events LIMIT 1').get();
    // A bigger page cache while inserting keeps the live index B-trees in memory; restored after. A bulk load
    // appends to the table and the import index only: 8 MB, which pays for the finder's ids (HashIds).
    const cacheSize = db.pragma('cache_size', { simple: true }) as number;
    db.pragma(bulk ? 'cache_size = -8192' : 'cache_size = -16384');
    // Checkpoints (copying the WAL into the database, with an fsync) every 64 MiB instead of every 4 MiB.
    const checkpoint = db.pragma('wal_autocheckpoint', { simple: true }) as number;
    db.pragma('wal_autocheckpoint = 16384');
    if (bulk) this.store.deferIndexes(db);
    const dups = this.settings(caseNumber).keepDuplicates ? null : new DuplicateFinder(db, caseId, this.reader, { indexed: !bulk });
    const threaded = totalBytes >= (this.deps.workerBytes ?? WORKER_BYTES);
    const matcher = this.detection?.(caseNumber) ?? null;
    const worker = threaded ? new ParseWorker(undefined, matcher) : null;
    const stager = threaded ? new VaultStager() : null;
    const search = threaded ? new SearchWriter(db, (id) => rawTextOf(db, this.reader, id)) : null;
    const searching = search?.start() ? search : null;
    const staged: Promise<StagedEvidence>[] = [];
    const commits = new EvidenceCommits((copies) => this.evidenceFiles.commitMany(caseNumber, copies));
    const parsed: (Promise<PackedFile | null> | undefined)[] = [];
    // Vault copies run ahead of the writes; the items are recorded in file order (evidence ids follow the files).
    const prefetch = (from: number) => {
      let ahead = 0;
      for (let j = from; j < commits.started; j++) ahead += sizes[j]!;
      for (let j = commits.started; j < files.length && (j <= from + 1 || ahead < AHEAD_BYTES); j++) {
        ahead += sizes[j]!;
        const after = !stager && j >= STAGE_PARALLEL ? staged[j - STAGE_PARALLEL]!.then(noop, noop) : Promise.resolve();
        staged[j] = after.then(() => this.deps.evidence.stageFile(caseNumber, files[j]!, quiet, stager?.copy));
        staged[j]!.catch(noop);
        // The events are read from the verified copy, never from the source, which may change once copied. The
        // thread opens the copy as soon as it is staged: before `commits.add`'s reaction can offer it to a commit.
        const copy = staged[j]!;
        parsed[j] = worker
          ? copy.then(
              (c) => worker.parse(c.tempPath, options.flowFields),
              () => null,
            )
          : undefined;
        commits.add(j, copy);
      }
    };
    try {
      for (let i = 0; i < files.length;) {
        const group: Ready[] = [];
        let events = 0;
        while (i < files.length && events < GROUP_EVENTS) {
          prefetch(i);
          job?.throwIfCancelled();
          const packed = await parsed[i];
          if (!packed) break;
          parsed[i] = undefined; // a file's parsed records are garbage once written
          group.push({ file: files[i]!, packed, evidence: await commits.take(i) });
          events += packed.events;
          i++;
        }
        if (group.length) {
          reports.push(...this.writer.writeGroup(caseNumber, group, searching, dups, matcher));
          doneBytes += group.reduce((n, g) => n + g.packed.bytes, 0);
          job?.progress(doneBytes);
          await searching?.backlog(SEARCH_BACKLOG);
          continue;
        }
        // Not taken by the parse thread (or no parse thread): stream it on this thread.
        prefetch(i);
        const base = doneBytes;
        const item = commits.take(i);
        item.catch(noop);
        reports.push(
          await this.importFile(caseNumber, files[i]!, job, (n) => job?.progress(base + n), item, searching, dups, options, matcher),
        );
        doneBytes += sizes[i]!;
        job?.progress(doneBytes);
        i++;
      }
      // The search thread catches up while the indexes are built.
      if (bulk) EventStore.restoreIndexes(db);
      await searching?.finish();
    } catch (err) {
      // What was committed before the cancel or failure stays, so it is indexed too, and correlated when it had events.
      await searching?.finish().catch(noop);
      if (reports.some((r) => r.imported > 0)) matcher?.finish();
      else matcher?.abort();
      throw err;
    } finally {
      worker?.close();
      // Copies staged for files the import never reached (it failed or was cancelled) leave nothing behind.
      const copies = await Promise.allSettled(staged);
      copies.forEach((r, j) => r.status === 'fulfilled' && !commits.committed(j) && this.deps.evidence.discardStaged(r.value));
      stager?.close();
      db.pragma(`cache_size = ${Number(cacheSize)}`);
      db.pragma(`wal_autocheckpoint = ${Number(checkpoint)}`);
      if (bulk) EventStore.restoreIndexes(db);
    }
    matcher?.finish();
    // Fresh statistics let the planner pick the selective index (action, source IP) over the
    // time index for filtered pages; sampled (analysis_limit), so it costs milliseconds.
    if (reports.some((r) => r.imported > 0)) {
      db.pragma('analysis_limit = 1000');
      db.exec('ANALYZE timeline_events');
    }
    const report: ImportReport = {
      caseNumber,
      files: reports,
      imported: reports.reduce((n, r) => n + r.imported, 0),
      flagged: reports.reduce((n, r) => n + r.flagged, 0),
      rejected: reports.reduce((n, r) => n + r.rejected, 0),
      duplicates: reports.reduce((n, r) => n + r.duplicates, 0),
      reused: reports.reduce((n, r) => n + r.reused, 0),
      rejectedFiles: reports.filter((r) => !r.duplicate && r.imported === 0 && r.duplicates === 0).length,
      ...(skipped.length ? { skipped: skipped.slice(0, MAX_SKIPPED_LISTED), skippedCount: skipped.length } : {}),
    };
    this.deps.events.emit('timelineImported', report);
    this.deps.events.emit('caseChanged', { caseNumber, what: 'timeline' });
    return report;
  }

  /** Imports one file through the streaming parser (see ImportWriter.importFile); kept here so callers and tests see one service. */
  importFile(...args: Parameters<ImportWriter['importFile']>): Promise<ImportFileReport> {
    return this.writer.importFile(...args);
  }

  /** The full-text form of a stored event (for a rebuild of the search index). */
  searchTextOf(id: number): string | null {
    return rawTextOf(this.deps.db, this.reader, id);
  }

  /** The per-file import log of a case, newest first. */
  list(caseNumber: string): ImportFileReport[] {
    return this.log.list(this.deps.cases.require(caseNumber).id);
  }
}
