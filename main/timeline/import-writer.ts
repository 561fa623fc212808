import path from 'node:path';
import type { Db } from '../db/database';
import { AppError } from '../core/errors';
import type { CaseService } from '../cases/case-service';
import type { JobContext } from '../jobs/job-service';
import type { ImportFileReport } from '../../common/contract/timeline';
import type { ImportBatchHook, ImportHit, ImportMatcher } from './api';
import { DuplicateTally, EventStore } from './event-store';
import { parseFile, type ParseOptions, type ParsedBatch, type ReaderSummary } from './importers/parse-file';
import { emptyReport, ImportLog, MAX_ERRORS_KEPT, summarise } from './import-log';
import { cellOf, columnOf, type PackedFile } from './packed-file';
import { SearchWriter } from './fts/search-writer';
import { DuplicateFinder } from './duplicates';
import { RawReader } from './raw-reader';
import { packedHits, packedTexts } from './import-support';
import { ImportEvidence, type Evidence } from './import-evidence';

/**
 * The two ways parsed records reach the database, kept apart from the import pipeline that feeds them:
 * a group of files pre-parsed by the parse thread written in one transaction, and one file streamed
 * through the parser batch by batch. Both log each file, skip duplicates and roll back exactly what
 * a cancelled or failed file wrote.
 */

/** A parsed file ready to be written: its bytes from the parse thread and its evidence item. */
export interface Ready {
  file: string;
  packed: PackedFile;
  evidence: Evidence;
}

export interface ImportOptions {
  /** Fields of header-less flow logs in a custom format. */
  flowFields?: string[];
}

/** What the writer shares with the import service; the hook and the duplicate setting are read at each use. */
export interface WriterParts {
  db: Db;
  cases: CaseService;
  store: EventStore;
  log: ImportLog;
  reader: RawReader;
  evidenceFiles: ImportEvidence;
  options: ParseOptions;
}

export interface WriterHooks {
  hook: () => ImportBatchHook | null;
  keepDuplicates: (caseNumber: string) => boolean;
}

export class ImportWriter {
  private readonly deps: { db: Db; cases: CaseService };
  private readonly store: EventStore;
  private readonly log: ImportLog;
  private readonly reader: RawReader;
  private readonly evidenceFiles: ImportEvidence;
  private readonly options: ParseOptions;

  constructor(
    parts: WriterParts,
    private readonly hooks: WriterHooks,
  ) {
    this.deps = { db: parts.db, cases: parts.cases };
    this.store = parts.store;
    this.log = parts.log;
    this.reader = parts.reader;
    this.evidenceFiles = parts.evidenceFiles;
    this.options = parts.options;
  }

  /**
   * Writes parsed files in one transaction: each gets its log row, events,
   * findings and activity entry, and a duplicate (same SHA-256) is skipped.
   * Their full-text entries go to the search thread once committed, or are
   * written in the same transaction when there is none.
   */
  writeGroup(
    caseNumber: string,
    group: Ready[],
    search: SearchWriter | null,
    dups: DuplicateFinder | null,
    matcher: ImportMatcher | null,
  ): ImportFileReport[] {
    const c = this.deps.cases.requireWritable(caseNumber);
    const written: { ids: Float64Array; packed: PackedFile }[] = [];
    // The files' custody notes (one per file) check the ledger's heads once and sign one head: see LedgerService.batch.
    const reports = this.evidenceFiles.batch(caseNumber, () => {
      dups?.refresh();
      return group.map(({ file, packed, evidence }) => {
        const name = path.basename(file);
        const { importId, duplicateOf } = this.log.begin(c.id, file, evidence.sha256, evidence.evidenceId, evidence.vaultPath);
        const report = emptyReport(file, evidence.evidenceId, duplicateOf !== null);
        if (duplicateOf !== null) {
          this.log.skipped(c.id, importId, report, evidence.sha256, duplicateOf, caseNumber, name);
          return report;
        }
        this.log.flowFields(importId, packed.summary.flowFields);
        const tally = new DuplicateTally();
        const ids = this.store.addPacked(c.id, packed, { importId, evidenceId: evidence.evidenceId, file: name }, dups, tally);
        written.push({ ids, packed });
        if (matcher && packed.hits.length) matcher.record(packedHits(ids, packed.hits, packed.hitValues, packed.ts));
        if (!search) this.store.indexPacked(ids, packed);
        report.imported = packed.events - tally.count;
        report.flagged = ids.reduce((n, id, i) => n + (id && (cellOf(packed, i, 'issues') !== null || tally.reusedAt.has(i)) ? 1 : 0), 0);
        report.findings = packed.findings.filter((f) => ids[f.event]).length;
        report.rejected = packed.errors.length;
        report.duplicates = tally.count;
        report.duplicatesOf = tally.list();
        report.reused = tally.reused;
        report.truncated = packed.summary.truncated;
        report.errors = packed.errors.slice(0, MAX_ERRORS_KEPT).map((e) => `${name}: ${e}`);
        summarise(report, columnOf(packed, 'source'), name, packed.summary.empty);
        this.log.done(c.id, importId, report, evidence.sha256);
        // The signed note on the evidence item commits with the events it describes: one commit (one fsync) per group, not one per file.
        this.evidenceFiles.outcome(caseNumber, report);
        return report;
      });
    });
    for (const w of written)
      this.runHook(
        caseNumber,
        w.ids,
        (i) => cellOf(w.packed, i, 'source'),
        () => packedTexts(w.packed, w.ids),
      );
    search?.addPacked(written.map((w) => ({ ids: w.ids, raw: w.packed.search })));
    return reports;
  }

  private runHook(caseNumber: string, ids: ArrayLike<number>, sourceOf: (i: number) => string | null, texts: () => string[]): void {
    const hook = this.hooks.hook();
    if (!hook) return;
    const eventIds: number[] = [];
    const src: string[] = [];
    for (let i = 0; i < ids.length; i++)
      if (ids[i]) {
        eventIds.push(ids[i]!);
        src.push(sourceOf(i) ?? '');
      }
    if (eventIds.length) hook({ caseNumber, eventIds, sources: src, texts });
  }

  /**
   * Imports one file through the streaming parser, batch by batch; see the
   * class comment for duplicates and rollback. `search`, when given, takes
   * the full-text entries of each batch once it is committed.
   */
  async importFile(
    caseNumber: string,
    file: string,
    job?: JobContext,
    onBytes?: (n: number) => void,
    evidence?: Promise<Evidence>,
    search?: SearchWriter | null,
    dups?: DuplicateFinder | null,
    options: ImportOptions = {},
    matcher: ImportMatcher | null = null,
  ): Promise<ImportFileReport> {
    const { db } = this.deps;
    const c = this.deps.cases.requireWritable(caseNumber);
    const name = path.basename(file);
    const { evidenceId, sha256, vaultPath } = await (evidence ?? this.evidenceFiles.register(caseNumber, file, job));
    const { importId, duplicateOf } = this.log.begin(c.id, file, sha256, evidenceId, vaultPath);
    const report = emptyReport(file, evidenceId, duplicateOf !== null);
    if (duplicateOf !== null) {
      db.transaction(() => this.log.skipped(c.id, importId, report, sha256, duplicateOf, caseNumber, name))();
      return report;
    }
    if (dups === undefined && !this.hooks.keepDuplicates(caseNumber)) dups = new DuplicateFinder(db, c.id, this.reader);
    const formats = new Set<string>();
    const sink = search ? { ids: [] as number[], texts: [] as string[] } : null;
    this.store.searchSink = sink;
    const tally = new DuplicateTally();
    let summary: ReaderSummary = { truncated: false, flowFields: null, empty: true };
    try {
      const insertBatch = db.transaction((batch: ParsedBatch) => {
        dups?.refresh();
        const ids: number[] = [];
        const sources: string[] = [];
        const texts: string[] = [];
        const hits: ImportHit[] = [];
        for (const p of batch.items) {
          if ('error' in p) {
            report.rejected++;
            if (report.errors.length < MAX_ERRORS_KEPT) report.errors.push(`${name}: ${p.error}`);
            continue;
          }
          formats.add(p.event.source);
          const r = this.store.addEvent(c.id, p.event, { importId, evidenceId, file: name }, dups, tally);
          if (typeof r !== 'number') {
            tally.note(r);
            continue;
          }
          ids.push(r);
          if (p.event.hits) for (const rule of p.event.hits) hits.push({ eventId: r, rule });
          sources.push(p.event.source);
          texts.push(p.event.raw);
          report.imported++;
          if (p.event.issues.length) report.flagged++;
          if (p.finding) {
            this.store.addFinding(c.id, p.finding, importId);
            report.findings++;
          }
        }
        // In the transaction of their events: a failure or a kill leaves neither without the other.
        if (hits.length) matcher?.record(hits);
        return { ids, sources, texts };
      });
      const parseOptions: ParseOptions = {
        ...this.options,
        flowFields: options.flowFields,
        onRead: onBytes ? this.counter(onBytes) : undefined,
        match: matcher ? (record) => matcher.matchRecord(record) : undefined,
      };
      // The verified vault copy, not the source: the events are read from the bytes the custody record hashed.
      for await (const batch of parseFile(this.copyOf(file, vaultPath), parseOptions, (s) => (summary = s))) {
        job?.throwIfCancelled();
        const done = insertBatch(batch);
        this.runHook(
          caseNumber,
          done.ids,
          (i) => done.sources[i] ?? null,
          () => done.texts,
        );
        if (sink) search!.addTexts(sink.ids.splice(0), sink.texts.splice(0));
      }
      job?.throwIfCancelled();
      report.duplicates = tally.count;
      report.duplicatesOf = tally.list();
      report.reused = tally.reused;
      report.truncated = summary.truncated;
      summarise(report, formats, name, summary.empty);
      db.transaction(() => {
        this.log.flowFields(importId, summary.flowFields);
        this.log.done(c.id, importId, report, sha256);
        this.evidenceFiles.outcome(caseNumber, report);
      })();
      return report;
    } catch (err) {
      const cancelled = err instanceof AppError && err.code === 'cancelled';
      // Entries already handed to the search thread are written before they are removed.
      await search?.backlog(0);
      db.transaction(() => {
        this.store.rollbackImport(importId);
        this.log.stopped(c.id, importId, report, cancelled);
      })();
      throw err;
    } finally {
      this.store.searchSink = null;
    }
  }

  /** The vault copy events are read from; an item without one (none is made for a file today) is refused, not read from its source. */
  private copyOf(file: string, vaultPath: string | null): string {
    if (vaultPath === null)
      throw new AppError(
        'raw-unavailable',
        `The evidence item recorded for ${file} has no vault copy, so its events cannot be read from verified bytes.`,
        'Import the file again; run `lariat custody verify <case>` if this repeats.',
      );
    return this.reader.fileOf(vaultPath);
  }

  private counter(onBytes: (n: number) => void): (n: number) => void {
    let total = 0;
    return (n) => {
      total += n;
      onBytes(total);
    };
  }
}
