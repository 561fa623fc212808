import type { Core } from '../core/core';
import type { CustodyFeature } from '../custody';
import type { TimelineApi } from './api';
import { ImportService, type ImportDeps } from './import-service';
import { TimelineService } from './timeline-service';
import { IocService } from './ioc-service';
import { FindingsService } from './findings-service';
import { createDemoCase } from './demo';
import { CandidateService } from './candidates';
import { highlightFor } from '../detection/highlight';
import type { CaseRecord } from '../../common/contract/cases';
import type { ImportReport } from '../../common/contract/timeline';

/** Importers, the case timeline, findings, IOCs and assets (issue 5). */
export interface TimelineFeature {
  /** What response actions and reports use: append Lariat's own events. */
  timeline: TimelineApi;
  events: TimelineService;
  imports: ImportService;
  findings: FindingsService;
  iocs: IocService;
  candidates: CandidateService;
  /**
   * An importer over the same case database and vault that records evidence through another API (acquisitions
   * import files already in the vault). One place builds importers, so none lacks the vault folder it re-reads
   * held records from (the acquisition importer once did, and failed its duplicate checks).
   */
  importerFor(evidence: ImportDeps['evidence']): ImportService;
  demo(): Promise<{ caseRecord: CaseRecord; report: ImportReport }>;
}

/** An import pipeline's dependencies from the core services, recording through `evidence`. */
export function importDepsOf(core: Core, evidence: ImportDeps['evidence']): ImportDeps {
  const { db, clock, events, activity, cases, jobs } = core;
  return {
    db,
    clock,
    events,
    activity,
    cases,
    jobs,
    evidence,
    version: core.version,
    vaultDir: core.paths.vaultDir,
    log: core.log,
    warn: core.warn,
  };
}

export function createTimelineFeature(core: Core, custody: CustodyFeature): TimelineFeature {
  const { db, clock, cases, activity, events, assets } = core;
  const vaultDir = core.paths.vaultDir;
  const timeline = new TimelineService({ db, cases, activity, events, vaultDir, highlight: highlightFor });
  const importerFor = (evidence: ImportDeps['evidence']) => new ImportService(importDepsOf(core, evidence));
  const imports = importerFor(custody.evidence);
  const iocs = new IocService({ db, clock, cases, activity, events });
  const findings = new FindingsService({ db, cases, assets, iocs, activity, events });
  const candidates = new CandidateService({ db, cases, iocs });
  return {
    timeline,
    events: timeline,
    imports,
    findings,
    iocs,
    candidates,
    importerFor,
    demo: () => createDemoCase(core, custody, imports),
  };
}
