import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Db } from '../db/database';
import type { Clock } from '../core/clock';
import type { EventBus } from '../core/events';
import { AppError } from '../core/errors';
import type { ActivityService } from '../activity/activity-service';
import type { CaseService } from '../cases/case-service';
import type { EvidenceApi } from '../custody/api';
import type { JobContext, JobService } from '../jobs/job-service';
import type { ImportFileReport, ImportReport } from '../../common/contract/timeline';
import { EventStore } from './event-store';
import { defaultParseOptions, parseFile, type ParseOptions, type ParsedBatch } from './importers/parse-file';
import { expandPaths } from './importers/walk';
import { ParseWorker, preParsedBatches, type PreParsed } from './import-worker';

const MAX_ERRORS_KEPT = 100;
/** Above this much input into an empty timeline, indexes are built after the load instead of during it. */
const BULK_BYTES = 64 * 1024 * 1024;
/**
 * Full-text terms pending before FTS5 writes a segment (its default is 1 MiB). A file's terms
 * exceed the default, so each file made several segments that merges then rewrote; with one
 * segment per commit the index costs ~15% less to build. Restored to the default after.
 */
const FTS_HASH_BYTES = 32 * 1024 * 1024;
const FTS_HASH_DEFAULT = 1024 * 1024;
/** From this much input on, files are parsed on a worker thread while the main thread inserts. */
const WORKER_BYTES = 8 * 1024 * 1024;

interface Evidence {
  evidenceId: number;
  sha256: string;
}

interface ImportRow {
  file: string;
  format: string | null;
  evidence_id: number | null;
  duplicate: number;
  imported: number;
  flagged: number;
  rejected: number;
  findings: number;
  errors: string;
}

export interface ImportDeps {
  db: Db;
  clock: Clock;
  events: EventBus;
  activity: ActivityService;
  cases: CaseService;
  jobs: JobService;
  evidence: EvidenceApi;
  version: string;
  parseOptions?: Partial<ParseOptions>;
  /** Input size above which an import into an empty timeline defers its indexes (default 64 MiB). */
  bulkBytes?: number;
  /** Input size from which files are pre-parsed on a worker thread (default 8 MiB; Infinity turns it off). */
  workerBytes?: number;
}

/** Which process runs an import: an interrupted import is only rolled back once its process is gone. */
const OWNER = `${os.hostname()}:${process.pid}`;

function ownerAlive(owner: string): boolean {
  const [host, pid] = [owner.slice(0, owner.lastIndexOf(':')), Number(owner.slice(owner.lastIndexOf(':') + 1))];
  if (host !== os.hostname() || !Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Finding files are custody kind `finding`; everything else is a `log-export`. Decided from the first 64 KiB. */
function sniffKind(file: string): 'finding' | 'log-export' {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(65536);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    const head = buf.subarray(0, n);
    if (head[0] === 0x1f && head[1] === 0x8b) return /finding|guardduty/i.test(file) ? 'finding' : 'log-export';
    return /"(Findings|findings|SchemaVersion|schemaVersion)"/.test(head.toString('utf8')) && !/"eventName"/.test(head.toString('utf8')) ? 'finding' : 'log-export';
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Imports evidence files into a case timeline. Each file first becomes an
 * evidence item (hash, vault copy, custody entry); a file already imported
 * into the case (same SHA-256) is reported as a duplicate and skipped. Its
 * records are written in batches tagged with the import id, so a cancel or
 * failure removes exactly what that file wrote (tracked rollback).
 */
export class ImportService {
  private readonly store: EventStore;
  private readonly options: ParseOptions;

  constructor(private readonly deps: ImportDeps) {
    this.store = new EventStore(deps.db);
    this.options = { ...defaultParseOptions, ...deps.parseOptions };
    this.recoverInterrupted();
  }

  /** An import interrupted by a crash left rows tagged `running`: remove them so nothing half-imported remains. */
  private recoverInterrupted(): void {
    const running = this.deps.db.prepare<[], { id: number; owner: string }>("SELECT id, owner FROM timeline_imports WHERE state = 'running'").all();
    // Another Lariat process (the app while the CLI starts, or the reverse) may be importing right now.
    const stale = running.filter((r) => !ownerAlive(r.owner));
    if (stale.length < running.length) return;
    EventStore.restoreIndexes(this.deps.db);
    for (const { id } of stale) {
      this.deps.db.transaction(() => {
        this.store.rollbackImport(id);
        this.deps.db.prepare("UPDATE timeline_imports SET state = 'failed', errors = json_array('interrupted; rolled back') WHERE id = ?").run(id);
      })();
    }
  }

  /** Starts an import job and returns its id at once; the report is pushed as `timelineImported`. */
  start(caseNumber: string, paths: string[]): { jobId: string; result: Promise<ImportReport> } {
    this.deps.cases.requireWritable(caseNumber);
    const files = expandPaths(paths);
    const total = files.reduce((n, f) => n + fs.statSync(f).size, 0);
    return this.deps.jobs.start(
      { kind: 'timeline-import', label: `Import ${files.length} file${files.length === 1 ? '' : 's'} into ${caseNumber}`, caseNumber, unit: 'bytes', total },
      (ctx) => this.importFiles(caseNumber, files, ctx),
    );
  }

  /** Imports files and folders (walking them) in one go; used by the CLI and tests. */
  async importPaths(caseNumber: string, paths: string[], job?: JobContext): Promise<ImportReport> {
    this.deps.cases.requireWritable(caseNumber);
    return this.importFiles(caseNumber, expandPaths(paths), job);
  }

  private async importFiles(caseNumber: string, files: string[], job?: JobContext): Promise<ImportReport> {
    const reports: ImportFileReport[] = [];
    let doneBytes = 0;
    const totalBytes = files.reduce((n, f) => n + fs.statSync(f).size, 0);
    job?.progress(0, totalBytes);
    // The vault reports progress per file; the job shows bytes over all files, so only cancellation is passed on.
    const quiet: JobContext | undefined = job && { signal: job.signal, throwIfCancelled: () => job.throwIfCancelled(), progress: () => undefined };
    // A bigger page cache while bulk-inserting keeps the index B-trees in memory; restored after.
    const cacheSize = this.deps.db.pragma('cache_size', { simple: true }) as number;
    this.deps.db.pragma('cache_size = -131072');
    // Batches commit without their own fsync (WAL stays consistent); each file's final "done"
    // commit below runs with synchronous=FULL, which makes every earlier batch durable too.
    // A crash mid-file leaves the import marked running, and it is rolled back at next start.
    this.deps.db.pragma('synchronous = NORMAL');
    const ftsHash = this.deps.db.prepare("INSERT INTO timeline_fts (timeline_fts, rank) VALUES ('hashsize', CAST(? AS INTEGER))");
    ftsHash.run(FTS_HASH_BYTES);
    // Into an empty timeline, a big import appends rows and builds the indexes once at the end.
    const bulk = totalBytes > (this.deps.bulkBytes ?? BULK_BYTES) && !this.deps.db.prepare('SELECT 1 FROM timeline_events LIMIT 1').get();
    if (bulk) this.store.deferIndexes(this.deps.db);
    // While this file is inserted, the next one is parsed on a worker thread and copied into the vault
    // (I/O, hashing in workers); its events are written only once its evidence item exists.
    const worker = totalBytes >= (this.deps.workerBytes ?? WORKER_BYTES) ? new ParseWorker() : null;
    const evidence: Promise<Evidence>[] = [];
    const parsed: (Promise<PreParsed | null> | undefined)[] = [];
    // Vault imports run one after the other, in file order (evidence ids follow the files), one file ahead.
    const prefetch = (j: number) => {
      if (j >= files.length || j < evidence.length) return;
      evidence[j] = j === 0 ? this.registerEvidence(caseNumber, files[j]!, quiet) : evidence[j - 1]!.then(() => this.registerEvidence(caseNumber, files[j]!, quiet));
      evidence[j]!.catch(() => undefined);
      parsed[j] = worker?.parse(files[j]!);
    };
    try {
      for (let i = 0; i < files.length; i++) {
        const file = files[i]!;
        prefetch(i);
        prefetch(i + 1);
        job?.throwIfCancelled();
        const size = fs.statSync(file).size;
        const pre = parsed[i];
        parsed[i] = undefined; // a file's parsed records are garbage once inserted
        reports.push(await this.importFile(caseNumber, file, job, (n) => job?.progress(doneBytes + n), evidence[i], pre));
        doneBytes += size;
        job?.progress(doneBytes);
      }
    } finally {
      worker?.close();
      await Promise.allSettled(evidence);
      this.deps.db.pragma(`cache_size = ${Number(cacheSize)}`);
      ftsHash.run(FTS_HASH_DEFAULT);
      if (bulk) EventStore.restoreIndexes(this.deps.db);
      this.deps.db.pragma('synchronous = FULL');
    }
    // Fresh statistics let the planner pick the selective index (action, source IP) over the
    // time index for filtered pages; sampled (analysis_limit), so it costs milliseconds.
    if (reports.some((r) => r.imported > 0)) {
      this.deps.db.pragma('analysis_limit = 1000');
      this.deps.db.exec('ANALYZE timeline_events');
    }
    const report: ImportReport = {
      caseNumber,
      files: reports,
      imported: reports.reduce((n, r) => n + r.imported, 0),
      flagged: reports.reduce((n, r) => n + r.flagged, 0),
      rejected: reports.reduce((n, r) => n + r.rejected, 0),
    };
    this.deps.events.emit('timelineImported', report);
    this.deps.events.emit('caseChanged', { caseNumber, what: 'timeline' });
    return report;
  }

  private async registerEvidence(caseNumber: string, file: string, job?: JobContext): Promise<Evidence> {
    const ev = await this.deps.evidence.importFile(
      caseNumber,
      file,
      {
        kind: sniffKind(file),
        description: `Imported into the timeline: ${path.basename(file)}`,
        source: { path: file },
        acquisition: { tool: `Lariat ${this.deps.version}`, method: 'timeline import' },
        action: 'imported',
      },
      job,
    );
    return { evidenceId: ev.id, sha256: ev.hashes.sha256 };
  }

  /** Imports one file; see the class comment for duplicates and rollback. */
  async importFile(
    caseNumber: string, file: string, job?: JobContext, onBytes?: (n: number) => void, evidence?: Promise<Evidence>, parsed?: Promise<PreParsed | null>,
  ): Promise<ImportFileReport> {
    const { db } = this.deps;
    const c = this.deps.cases.requireWritable(caseNumber);
    const name = path.basename(file);
    const { evidenceId, sha256 } = await (evidence ?? this.registerEvidence(caseNumber, file, job));
    const previous = db
      .prepare<[number, string], { id: number }>("SELECT id FROM timeline_imports WHERE case_id = ? AND sha256 = ? AND state = 'done' AND duplicate = 0 LIMIT 1")
      .get(c.id, sha256);
    const now = () => this.deps.clock.now().toISOString();
    const importId = Number(
      db
        .prepare("INSERT INTO timeline_imports (case_id, file, sha256, evidence_id, duplicate, state, owner, started_at) VALUES (?, ?, ?, ?, ?, 'running', ?, ?)")
        .run(c.id, file, sha256, evidenceId, previous ? 1 : 0, OWNER, now()).lastInsertRowid,
    );
    const report: ImportFileReport = { file, format: null, evidenceId, duplicate: !!previous, imported: 0, flagged: 0, rejected: 0, findings: 0, errors: [] };
    const formats = new Set<string>();
    const finish = (state: 'done' | 'cancelled' | 'failed') =>
      db
        .prepare('UPDATE timeline_imports SET state = ?, format = ?, imported = ?, flagged = ?, rejected = ?, findings = ?, errors = ?, finished_at = ? WHERE id = ?')
        .run(state, report.format, report.imported, report.flagged, report.rejected, report.findings, JSON.stringify(report.errors), now(), importId);
    if (previous) {
      report.errors.push(`${name}: already imported into ${caseNumber} (same SHA-256); its records were not imported again`);
      db.transaction(() => {
        finish('done');
        this.deps.activity.record({ caseId: c.id, action: 'timeline.import-skipped', entity: 'import', entityId: importId, details: { file, sha256, duplicateOf: previous.id } });
      })();
      return report;
    }
    try {
      const insertBatch = db.transaction((items: ParsedBatch & { search?: (string | undefined)[] }) => {
        for (let k = 0; k < items.items.length; k++) {
          const p = items.items[k]!;
          if ('error' in p) {
            report.rejected++;
            if (report.errors.length < MAX_ERRORS_KEPT) report.errors.push(`${name}: ${p.error}`);
            continue;
          }
          formats.add(p.event.source);
          this.store.addEvent(c.id, p.event, { importId, evidenceId, file: name }, items.search?.[k]);
          report.imported++;
          if (p.event.issues.length) report.flagged++;
          if (p.finding) {
            this.store.addFinding(c.id, p.finding, importId);
            report.findings++;
          }
        }
      });
      const pre = await parsed;
      if (pre) onBytes?.(pre.bytes);
      const batches = pre ? preParsedBatches(pre, this.options.batchSize) : parseFile(file, { ...this.options, onRead: onBytes ? this.counter(onBytes) : undefined });
      for await (const batch of batches) {
        job?.throwIfCancelled();
        insertBatch(batch);
      }
      job?.throwIfCancelled();
      report.format = formats.size ? [...formats].sort().join('+') : null;
      if (report.imported === 0 && report.rejected === 0) report.errors.push(`${name}: the file holds no records (it is empty)`);
      if (!report.format && report.rejected > 0 && report.imported === 0) {
        report.errors.unshift(`${name}: no record could be imported; it is not a CloudTrail, GuardDuty, Security Hub or VPC Flow Logs file, or it is damaged`);
      }
      const sync = db.pragma('synchronous', { simple: true });
      db.pragma('synchronous = FULL');
      db.transaction(() => {
        finish('done');
        this.deps.activity.record({
          caseId: c.id, action: 'timeline.imported', entity: 'import', entityId: importId,
          details: { file, sha256, evidenceId, format: report.format, imported: report.imported, flagged: report.flagged, rejected: report.rejected },
        });
      })();
      db.pragma(`synchronous = ${Number(sync)}`);
      return report;
    } catch (err) {
      const cancelled = err instanceof AppError && err.code === 'cancelled';
      db.transaction(() => {
        this.store.rollbackImport(importId);
        report.imported = report.flagged = report.findings = 0;
        finish(cancelled ? 'cancelled' : 'failed');
        this.deps.activity.record({ caseId: c.id, action: cancelled ? 'timeline.import-cancelled' : 'timeline.import-failed', entity: 'import', entityId: importId, details: { file } });
      })();
      throw err;
    }
  }

  private counter(onBytes: (n: number) => void): (n: number) => void {
    let total = 0;
    return (n) => {
      total += n;
      onBytes(total);
    };
  }

  /** The per-file import log of a case, newest first. */
  list(caseNumber: string): ImportFileReport[] {
    const c = this.deps.cases.require(caseNumber);
    return this.deps.db
      .prepare<[number], ImportRow>('SELECT * FROM timeline_imports WHERE case_id = ? ORDER BY id DESC LIMIT 1000')
      .all(c.id)
      .map((r) => ({
        file: r.file, format: r.format, evidenceId: r.evidence_id, duplicate: r.duplicate === 1,
        imported: r.imported, flagged: r.flagged, rejected: r.rejected, findings: r.findings, errors: JSON.parse(r.errors) as string[],
      }));
  }
}
