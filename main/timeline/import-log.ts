import os from 'node:os';
import type { Db } from '../db/database';
import type { Clock } from '../core/clock';
import type { ActivityService } from '../activity/activity-service';
import type { ImportFileReport } from '../../common/contract/timeline';
import { REUSED_ISSUE } from './importers/types';

/** Error messages kept per file (the counts are always exact). */
export const MAX_ERRORS_KEPT = 100;

/** Which process runs an import: an interrupted import is only rolled back once its process is gone. */
export const OWNER = `${os.hostname()}:${process.pid}`;

interface ImportRow {
  file: string;
  format: string | null;
  evidence_id: number | null;
  duplicate: number;
  imported: number;
  flagged: number;
  rejected: number;
  findings: number;
  duplicates: number;
  duplicates_of: string;
  reused: number;
  truncated: number;
  errors: string;
}

/** A file's report before anything is written. */
export const emptyReport = (file: string, evidenceId: number, duplicate: boolean): ImportFileReport => ({
  file,
  format: null,
  evidenceId,
  duplicate,
  imported: 0,
  flagged: 0,
  rejected: 0,
  findings: 0,
  duplicates: 0,
  duplicatesOf: [],
  reused: 0,
  truncated: false,
  errors: [],
});

/**
 * Sets a file's format from the sources seen, and says why a file gave nothing, what was skipped as a copy, and
 * how many records were kept though they reuse the identity of a different event the case holds (`report.reused`).
 */
export function summarise(report: ImportFileReport, formats: Iterable<string | null>, name: string, empty: boolean): void {
  const reused = report.reused;
  const seen = new Set([...formats].filter((f): f is string => f !== null));
  report.format = seen.size ? [...seen].sort().join('+') : null;
  if (report.imported === 0 && report.rejected === 0 && report.duplicates === 0)
    report.errors.push(
      empty
        ? `${name}: the file holds no records (it is empty); nothing was imported`
        : `${name}: the file holds no records (a flow log header alone, or an empty list of records); nothing was imported`,
    );
  if (!report.format && report.rejected > 0 && report.imported === 0 && report.duplicates === 0) {
    report.errors.unshift(`${name}: no record could be imported; the reasons follow (the file was kept as evidence)`);
  }
  if (report.duplicates > 0) {
    const from = report.duplicatesOf
      .map((d) => `${d.file}${d.evidenceId === null ? '' : ` (evidence ${d.evidenceId})`}: ${d.count}`)
      .join(', ');
    report.errors.push(
      `${name}: ${report.duplicates} record${report.duplicates === 1 ? '' : 's'} the case already held ${report.duplicates === 1 ? 'was' : 'were'} skipped (from ${from})`,
    );
  }
  if (reused > 0)
    report.errors.push(
      `${name}: ${reused} record${reused === 1 ? ' reuses' : 's reuse'} the eventID of a different event the case holds (same account, time and event name, but another source IP, user agent, error code, service, access key or request and response content): kept, flagged ${REUSED_ISSUE}; compare them (lariat timeline show) before trusting either`,
    );
}

/** One line saying what the import did with a file: recorded in its custody log, so its evidence says what happened. */
export function outcome(r: ImportFileReport): string {
  if (r.duplicate) return 'timeline import: skipped, the same file (same SHA-256) was already imported into the case';
  const parts = [`${r.imported} record${r.imported === 1 ? '' : 's'} imported`];
  if (r.duplicates) parts.push(`${r.duplicates} duplicate${r.duplicates === 1 ? '' : 's'} skipped`);
  if (r.rejected) parts.push(`${r.rejected} rejected`);
  if (r.truncated) parts.push('the file is truncated');
  if (r.imported === 0 && r.duplicates === 0)
    return `timeline import: nothing imported (${r.rejected ? `${r.rejected} rejected` : 'no records'})${r.format ? '' : '; not a format Lariat reads'}`;
  return `timeline import (${r.format ?? 'unknown format'}): ${parts.join(', ')}`;
}

/**
 * The per-file import log (`timeline_imports`) and its activity entries. A
 * row is `running` while a file's records are written batch by batch, so an
 * import interrupted by a crash is found and rolled back at the next start.
 */
export class ImportLog {
  constructor(private readonly deps: { db: Db; clock: Clock; activity: ActivityService }) {}

  /** Opens a file's row; `duplicateOf` is the earlier import of the same bytes into the case, if any. */
  begin(
    caseId: number,
    file: string,
    sha256: string,
    evidenceId: number,
    vaultPath: string | null = null,
  ): { importId: number; duplicateOf: number | null } {
    const { db } = this.deps;
    const previous = db
      .prepare<[number, string], { id: number }>(
        "SELECT id FROM timeline_imports WHERE case_id = ? AND sha256 = ? AND state = 'done' AND duplicate = 0 LIMIT 1",
      )
      .get(caseId, sha256);
    const importId = Number(
      db
        .prepare(
          "INSERT INTO timeline_imports (case_id, file, sha256, evidence_id, duplicate, state, owner, started_at, vault_path) VALUES (?, ?, ?, ?, ?, 'running', ?, ?, ?)",
        )
        .run(caseId, file, sha256, evidenceId, previous ? 1 : 0, OWNER, this.now(), vaultPath).lastInsertRowid,
    );
    return { importId, duplicateOf: previous?.id ?? null };
  }

  /** Closes a file's row with its final counts. */
  finish(importId: number, report: ImportFileReport, state: 'done' | 'cancelled' | 'failed'): void {
    this.deps.db
      .prepare(
        `UPDATE timeline_imports SET state = ?, format = ?, imported = ?, flagged = ?, rejected = ?, findings = ?, errors = ?, finished_at = ?,
           duplicates = ?, duplicates_of = ?, reused = ?, truncated = ? WHERE id = ?`,
      )
      .run(
        state,
        report.format,
        report.imported,
        report.flagged,
        report.rejected,
        report.findings,
        JSON.stringify(report.errors),
        this.now(),
        report.duplicates,
        JSON.stringify(report.duplicatesOf),
        report.reused,
        report.truncated ? 1 : 0,
        importId,
      );
  }

  /** The flow log fields a file was read with (to show its records as fields later). */
  flowFields(importId: number, fields: string[] | null): void {
    if (fields) this.deps.db.prepare('UPDATE timeline_imports SET flow_fields = ? WHERE id = ?').run(JSON.stringify(fields), importId);
  }

  /** A file already imported into the case: reported, not imported again. */
  skipped(
    caseId: number,
    importId: number,
    report: ImportFileReport,
    sha256: string,
    duplicateOf: number,
    caseNumber: string,
    name: string,
  ): void {
    report.errors.push(`${name}: already imported into ${caseNumber} (same SHA-256); its records were not imported again`);
    this.finish(importId, report, 'done');
    this.deps.activity.record({
      caseId,
      action: 'timeline.import-skipped',
      entity: 'import',
      entityId: importId,
      details: { file: report.file, sha256, duplicateOf },
    });
  }

  done(caseId: number, importId: number, report: ImportFileReport, sha256: string): void {
    this.finish(importId, report, 'done');
    const { file, evidenceId, format, imported, flagged, rejected, duplicates, reused, truncated } = report;
    this.deps.activity.record({
      caseId,
      action: imported > 0 || duplicates > 0 ? 'timeline.imported' : 'timeline.import-rejected',
      entity: 'import',
      entityId: importId,
      details: { file, sha256, evidenceId, format, imported, flagged, rejected, duplicates, reused, truncated },
    });
  }

  /** Records a cancelled or failed file (its rows are rolled back in the same transaction by the caller). */
  stopped(caseId: number, importId: number, report: ImportFileReport, cancelled: boolean): void {
    report.imported = report.flagged = report.findings = report.reused = 0;
    this.finish(importId, report, cancelled ? 'cancelled' : 'failed');
    this.deps.activity.record({
      caseId,
      action: cancelled ? 'timeline.import-cancelled' : 'timeline.import-failed',
      entity: 'import',
      entityId: importId,
      details: { file: report.file },
    });
  }

  /** The per-file import log of a case, newest first. */
  list(caseId: number): ImportFileReport[] {
    return this.deps.db
      .prepare<[number], ImportRow>('SELECT * FROM timeline_imports WHERE case_id = ? ORDER BY id DESC LIMIT 1000')
      .all(caseId)
      .map((r) => ({
        file: r.file,
        format: r.format,
        evidenceId: r.evidence_id,
        duplicate: r.duplicate === 1,
        imported: r.imported,
        flagged: r.flagged,
        rejected: r.rejected,
        findings: r.findings,
        duplicates: r.duplicates,
        duplicatesOf: JSON.parse(r.duplicates_of) as ImportFileReport['duplicatesOf'],
        reused: r.reused,
        truncated: r.truncated === 1,
        errors: JSON.parse(r.errors) as string[],
      }));
  }

  private now(): string {
    return this.deps.clock.now().toISOString();
  }
}
