import { RAW_COLUMNS, RAW_JOIN, recordText, type RawLocation } from '../timeline/raw-store';
import { RawReader } from '../timeline/raw-reader';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { writeTransaction, type Db } from '../db/database';
import type { Clock } from '../core/clock';
import type { EventBus } from '../core/events';
import { AppError } from '../core/errors';
import type { ActivityService } from '../activity/activity-service';
import type { CaseService } from '../cases/case-service';
import type { SettingsService } from '../settings/settings-service';
import type { JobContext } from '../jobs/job-service';
import { RuleSet, type BatchEvent, type BatchHit } from './engine/rule-set';
import type { RuleLoadError, RuleSource } from './engine/types';
import { collectRuleSources } from './rules/sources';
import { RuleCatalog } from './store/rule-catalog';
import { ScanStore } from './store/scans';
import { runCorrelations, type KnownValues } from './store/correlation-store';
import { HitValueStore } from './store/hit-values';
import { HitRunWriter } from './store/hit-runs';

/** Events read per batch by a rescan or a catch-up. */
const BATCH = 2000;
const FOLDERS_KEY = 'detection.folders';
const DISABLED_KEY = 'detection.disabled';

export interface DetectionDeps {
  /** The evidence vault: stored events' records are read from their files' verified copies. */
  vaultDir: string;
  db: Db;
  clock: Clock;
  events: EventBus;
  cases: CaseService;
  settings: SettingsService;
  activity: ActivityService;
  resourcesDir: string;
  /** Runs after a case's detections changed (the indicator index refreshes itself from here). */
  onCaseScanned?: (caseId: number) => void;
}

/** The rules as loaded now: the compiled set, the sources it was built from, and everything that did not load. */
export interface LoadedRules {
  set: RuleSet;
  sources: RuleSource[];
  disabled: string[];
  notLoaded: RuleLoadError[];
  folders: string[];
}

export interface RescanReport {
  caseNumber: string;
  events: number;
  hits: number;
  correlations: number;
  rules: number;
}

/**
 * What the import pipeline holds for one import into one case. Build the same
 * RuleSet on the parse thread with `new RuleSet(sources, { disabled })`
 * (indexes agree: construction is deterministic), or call `matchBatch` here.
 */
export class ImportDetection {
  private readonly runs: HitRunWriter;
  private maxEvent = 0;
  /** Field values the correlations read, for this import's hits that came with them (from the parse thread). */
  private readonly kept: HitValueStore;
  hits = 0;

  constructor(
    private readonly service: DetectionService,
    readonly caseId: number,
    private readonly scanId: number,
    readonly rules: LoadedRules,
    refs: number[],
    db: Db,
  ) {
    this.runs = new HitRunWriter(db, scanId, refs);
    this.kept = new HitValueStore(rules.set);
  }

  /** Rule files and switched-off ids, structured-cloneable: what a worker thread needs to build the same RuleSet. */
  get sources(): RuleSource[] {
    return this.rules.sources;
  }
  get disabled(): string[] {
    return this.rules.disabled;
  }

  /** Matches a batch of events (record objects, or raw JSON as string or UTF-8 bytes). */
  matchBatch(events: readonly BatchEvent[]): BatchHit[] {
    for (const e of events) if (e.id > this.maxEvent) this.maxEvent = e.id;
    return this.rules.set.matchBatch(events);
  }

  /**
   * Stores hits (from `matchBatch` or the parse thread), one run per rule. Call once per transaction,
   * inside the transaction that wrote the events: each event is matched once per import.
   */
  record(hits: readonly BatchHit[]): void {
    this.runs.write(hits);
    for (const h of hits) {
      if (h.eventId > this.maxEvent) this.maxEvent = h.eventId;
      this.kept.add(h.rule, h.eventId, h.values, h.ts);
    }
    this.hits += hits.length;
  }

  /** Stores hits computed on the parse thread by record index: `eventIds[event]` is the inserted event's id. */
  recordPacked(eventIds: ArrayLike<number>, hits: readonly { event: number; rule: number }[]): void {
    for (let i = 0; i < eventIds.length; i++) if (eventIds[i]! > this.maxEvent) this.maxEvent = eventIds[i]!;
    this.record(hits.map((h) => ({ eventId: eventIds[h.event]!, rule: h.rule })));
  }

  /** Convenience: match and store in one call (inside the caller's transaction). */
  matchAndRecord(events: readonly BatchEvent[]): number {
    const hits = this.matchBatch(events);
    this.record(hits);
    return hits.length;
  }

  /** After the import: marks the events matched, runs the correlation rules, refreshes the indicator index. */
  finish(): void {
    this.service.finishImport(this.caseId, this.scanId, this.maxEvent, this.rules, this.kept);
  }

  /**
   * The import failed or was cancelled: its events (and, through the delete trigger, their hits) were
   * rolled back; the catch-up will match whatever the case holds that this session did not.
   */
  abort(): void {
    this.service.endSession(this.caseId);
  }
}

/**
 * Sigma detection over case timelines: loads the rules (shipped, Lariat's,
 * the investigator's folders; minus those switched off), matches events at
 * import (`beginImport`) or on demand (`rescan`), stores hits per event and
 * correlation detections per case.
 */
export class DetectionService {
  readonly catalog: RuleCatalog;
  readonly scans: ScanStore;
  private readonly sessions = new Map<number, number>();
  /**
   * Match a case's new events right after each import (`timelineImported`), for imports that do not
   * call `beginImport`. The import pipeline turns this off once it matches batch by batch itself.
   */
  autoCatchUp = true;

  constructor(private readonly deps: DetectionDeps) {
    const now = () => deps.clock.now().toISOString();
    this.catalog = new RuleCatalog(deps.db, now);
    this.scans = new ScanStore(deps.db, now);
    this.scans.recoverInterrupted();
    // Until the import pipeline calls beginImport itself, events are matched right after each import.
    deps.events.subscribe((name, payload) => {
      if (name !== 'timelineImported' || !this.autoCatchUp) return;
      const caseNumber = (payload as { caseNumber: string }).caseNumber;
      const c = deps.cases.require(caseNumber);
      if (!this.sessions.has(c.id)) this.catchUp(caseNumber);
    });
  }

  folders(): string[] {
    return this.deps.settings.getRaw<string[]>(FOLDERS_KEY) ?? [];
  }

  setFolders(folders: string[]): void {
    this.deps.settings.setRaw(FOLDERS_KEY, [...new Set(folders)]);
    this.deps.activity.record({
      caseId: null,
      action: 'detection.folders',
      entity: 'settings',
      entityId: FOLDERS_KEY,
      details: { folders },
    });
  }

  disabledIds(): string[] {
    return this.deps.settings.getRaw<string[]>(DISABLED_KEY) ?? [];
  }

  setEnabled(ruleId: string, enabled: boolean): void {
    const off = new Set(this.disabledIds());
    if (enabled) off.delete(ruleId);
    else off.add(ruleId);
    this.deps.db.transaction(() => {
      this.deps.settings.setRaw(DISABLED_KEY, [...off].sort());
      this.deps.activity.record({
        caseId: null,
        action: enabled ? 'detection.rule-enabled' : 'detection.rule-disabled',
        entity: 'rule',
        entityId: ruleId,
      });
    })();
  }

  /** Loads and compiles every rule now (the setting's folders plus `extraFolders`, e.g. from `--rules DIR`). */
  loadRules(extraFolders: readonly string[] = []): LoadedRules {
    const folders = [...this.folders(), ...extraFolders];
    const { sources, errors } = collectRuleSources(this.deps.resourcesDir, folders);
    const disabled = this.disabledIds();
    const set = new RuleSet(sources, { disabled });
    return { set, sources, disabled, notLoaded: [...errors, ...set.errors], folders };
  }

  /** Starts import-time matching for a case; call `finish()` on the result once the import is done. */
  beginImport(caseNumber: string, rules: LoadedRules = this.loadRules()): ImportDetection {
    const c = this.deps.cases.requireWritable(caseNumber);
    const scan = writeTransaction(this.deps.db, () => this.scans.ensureCurrent(c.id));
    const refs = this.catalog.refsFor(rules.set.rules.map((r) => r.meta));
    this.sessions.set(c.id, (this.sessions.get(c.id) ?? 0) + 1);
    return new ImportDetection(this, c.id, scan.id, rules, refs, this.deps.db);
  }

  /** @internal (ImportDetection.finish) */
  finishImport(caseId: number, scanId: number, maxEvent: number, rules: LoadedRules, known?: KnownValues): void {
    this.endSession(caseId);
    writeTransaction(this.deps.db, () => this.scans.advance(scanId, maxEvent, rules.set.rules.length));
    this.correlate(rules.set, scanId, known);
    // The indicator index is not rebuilt inside the import (seconds of CPU per 100,000 events): the next
    // lookup brings stale cases up to date first (IndicatorIndex.lookup), so answers stay the same.
  }

  /** @internal */
  endSession(caseId: number): void {
    const left = (this.sessions.get(caseId) ?? 1) - 1;
    if (left > 0) this.sessions.set(caseId, left);
    else this.sessions.delete(caseId);
  }

  /** Matches the events a case received since its current scan last ran (imports not yet wired to `beginImport`). */
  catchUp(caseNumber: string): number {
    const c = this.deps.cases.require(caseNumber);
    const scan = writeTransaction(this.deps.db, () => this.scans.ensureCurrent(c.id));
    const rules = this.loadRules();
    const refs = this.catalog.refsFor(rules.set.rules.map((r) => r.meta));
    let after = scan.upto_event;
    let hits = 0;
    const runs = new HitRunWriter(this.deps.db, scan.id, refs);
    const page = this.pageStatement();
    try {
      for (;;) {
        const rows = page.all(c.id, after, Number.MAX_SAFE_INTEGER, BATCH);
        if (rows.length === 0) break;
        const found = rules.set.matchBatch(rows.flatMap((r) => (r.raw === null ? [] : [{ id: r.id, raw: r.raw }])));
        after = rows[rows.length - 1]!.id;
        writeTransaction(this.deps.db, () => {
          // An import cancelled after some files stored their hits did not advance the scan: skip those.
          runs.write(found, true);
          this.scans.advance(scan.id, after, rules.set.rules.length);
        });
        hits += found.length;
      }
    } finally {
      page.close();
    }
    this.correlate(rules.set, scan.id);
    this.deps.onCaseScanned?.(c.id);
    return hits;
  }

  /**
   * Correlation rules over a scan's hits: the field values `known` holds (an import's own hits), the
   * other events' records read from the vault.
   */
  private correlate(set: LoadedRules['set'], scanId: number, known?: KnownValues): number {
    const reader = new RawReader(this.deps.vaultDir);
    try {
      return runCorrelations(this.deps.db, this.catalog, set, scanId, reader, known);
    } finally {
      reader.close();
    }
  }

  /**
   * A page of a case's CloudTrail events with their records, by id (rules match CloudTrail only). Records
   * live in the verified vault copies (the timeline keeps offsets), read here through one RawReader.
   */
  private pageStatement() {
    const stmt = this.deps.db.prepare<[number, number, number, number], { id: number } & RawLocation>(
      // NOT INDEXED: walk the rowid range in order. With the case index the planner sorts the whole case for every page.
      `SELECT e.id, ${RAW_COLUMNS} FROM timeline_events e NOT INDEXED ${RAW_JOIN}
       WHERE e.case_id = ? AND e.id > ? AND e.id <= ? AND e.source = 'cloudtrail' ORDER BY e.id LIMIT ?`,
    );
    // Pages walk each file's records in order: one read per file, not one per record.
    const reader = new RawReader(this.deps.vaultDir, { wholeFiles: true });
    return {
      /** Every event of the page, `raw` null when its record cannot be read (matched by nothing, still paged past). */
      all: (caseId: number, after: number, upto: number, limit: number): { id: number; raw: string | null }[] =>
        stmt.all(caseId, after, upto, limit).map((row) => ({ id: row.id, raw: recordText(row, reader) })),
      close: () => reader.close(),
    };
  }

  /**
   * Matches every stored event of a case against the rules as they are now,
   * into a new scan that replaces the current one only when complete (a
   * cancel or crash leaves the previous hits untouched).
   */
  async rescan(caseNumber: string, job?: JobContext, extraFolders: readonly string[] = []): Promise<RescanReport> {
    const c = this.deps.cases.requireWritable(caseNumber);
    const rules = this.loadRules(extraFolders);
    const refs = this.catalog.refsFor(rules.set.rules.map((r) => r.meta));
    const { n: total, max } = this.deps.db
      .prepare<[number], { n: number; max: number | null }>(
        "SELECT count(*) AS n, max(id) AS max FROM timeline_events WHERE case_id = ? AND source = 'cloudtrail'",
      )
      .get(c.id)!;
    const upto = max ?? 0;
    const scanId = writeTransaction(this.deps.db, () => this.scans.startRescan(c.id, rules.set.rules.length));
    const runs = new HitRunWriter(this.deps.db, scanId, refs);
    const page = this.pageStatement();
    let after = 0;
    let done = 0;
    let hits = 0;
    job?.progress(0, total);
    try {
      for (;;) {
        job?.throwIfCancelled();
        const rows = page.all(c.id, after, upto, BATCH);
        if (rows.length === 0) break;
        const found = rules.set.matchBatch(rows.flatMap((r) => (r.raw === null ? [] : [{ id: r.id, raw: r.raw }])));
        writeTransaction(this.deps.db, () => runs.write(found));
        after = rows[rows.length - 1]!.id;
        done += rows.length;
        hits += found.length;
        job?.progress(done, total);
        // Lets a cancel (an IPC call) arrive between batches.
        if (job) await yieldToLoop();
      }
      job?.throwIfCancelled();
      writeTransaction(this.deps.db, () => {
        this.scans.swapIn(c.id, scanId, upto);
        this.deps.activity.record({
          caseId: c.id,
          action: 'detection.rescan',
          entity: 'case',
          entityId: caseNumber,
          details: { events: done, hits, rules: rules.set.rules.length, correlations: rules.set.correlations.length },
        });
      });
    } catch (err) {
      page.close();
      this.scans.discard(scanId);
      if (err instanceof AppError) throw err;
      throw new AppError(
        'rescan-failed',
        `The rescan of ${caseNumber} failed: ${(err as Error).message}.`,
        'The previous detections are unchanged. Try again.',
        {
          cause: err,
        },
      );
    }
    page.close();
    const correlations = this.correlate(rules.set, scanId);
    // No indicator refresh here: the cross-case index reads events, findings, IOCs and bundles, none of which a
    // rescan changes (an import leaves its events to the next lookup, which refreshes stale cases first).
    this.deps.events.emit('caseChanged', { caseNumber, what: 'timeline' });
    return { caseNumber, events: done, hits, correlations, rules: rules.set.rules.length };
  }
}
