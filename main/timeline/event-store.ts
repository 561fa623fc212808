import type { Db } from '../db/database';
import type { EventRow, FindingRow } from './importers/types';

/** The JSON keys of a raw record (exported so the parse worker strips exactly the same text). */
export const SEARCH_KEYS = /"[\w@.-]*":/g;

/**
 * What the full-text index sees of a raw record: its values without its keys.
 * Keys repeat in every record of a source ("eventVersion", "userIdentity"...),
 * so indexing them doubles the index for nothing an investigator searches for.
 */
export const searchText = (raw: string): string => raw.replace(SEARCH_KEYS, ' ');

/**
 * The prepared statements that write timeline rows: one events row and its
 * full-text entry per record, findings upserted by (case, source, id).
 * Callers wrap calls in a transaction; nothing here commits on its own.
 */
export class EventStore {
  private readonly insertEvent;
  private readonly insertFts;
  private readonly insertRaw;
  private readonly deleteRaw;
  private readonly upsertFinding;
  private readonly deleteFts;
  private readonly deleteEvents;
  private readonly deleteFindings;

  constructor(db: Db) {
    this.insertEvent = db.prepare(
      `INSERT INTO timeline_events (case_id, ts, time, source, actor, access_key_id, action, event_source, resource, source_ip, user_agent, region, account,
        error_code, severity, issues, highlight, import_id, evidence_id, file, record_no)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertRaw = db.prepare('INSERT INTO timeline_raw (id, raw) VALUES (?, ?)');
    this.insertFts = db.prepare('INSERT INTO timeline_fts (rowid, raw) VALUES (?, ?)');
    this.upsertFinding = db.prepare(
      `INSERT INTO findings (case_id, source, finding_id, type, title, severity_label, severity_score, account, region, resources, first_seen, last_seen, import_id, raw)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (case_id, source, finding_id) DO UPDATE SET type = excluded.type, title = excluded.title, severity_label = excluded.severity_label,
         severity_score = excluded.severity_score, resources = excluded.resources, first_seen = excluded.first_seen, last_seen = excluded.last_seen, raw = excluded.raw
       WHERE coalesce(excluded.last_seen, '') >= coalesce(findings.last_seen, '')`,
    );
    this.deleteFts = db.prepare('DELETE FROM timeline_fts WHERE rowid IN (SELECT id FROM timeline_events WHERE import_id = ?)');
    this.deleteRaw = db.prepare('DELETE FROM timeline_raw WHERE id IN (SELECT id FROM timeline_events WHERE import_id = ?)');
    this.deleteEvents = db.prepare('DELETE FROM timeline_events WHERE import_id = ?');
    this.deleteFindings = db.prepare('DELETE FROM findings WHERE import_id = ?');
  }

  /**
   * Inserts one event and indexes its raw text; returns the event id. `search`
   * is `searchText(e.raw)` when the parse worker already computed it.
   */
  addEvent(caseId: number, e: EventRow, origin: { importId: number | null; evidenceId: number | null; file: string | null }, search?: string): number {
    const { lastInsertRowid } = this.insertEvent.run(
      caseId, e.ts, e.time, e.source, e.actor, e.accessKeyId, e.action, e.eventSource, e.resource, e.sourceIp, e.userAgent, e.region, e.account,
      e.errorCode, e.severity, e.issues.length ? e.issues.join(',') : null, e.highlight, origin.importId, origin.evidenceId, origin.file, e.recordNo,
    );
    this.insertRaw.run(lastInsertRowid, e.raw);
    this.insertFts.run(lastInsertRowid, search ?? searchText(e.raw));
    return Number(lastInsertRowid);
  }

  addFinding(caseId: number, f: FindingRow, importId: number | null): void {
    this.upsertFinding.run(
      caseId, f.source, f.findingId, f.type, f.title, f.severityLabel, f.severityScore, f.account, f.region, JSON.stringify(f.resources), f.firstSeen, f.lastSeen, importId, f.raw,
    );
  }

  /** Removes everything one import wrote (cancel, failure, or a crash found at startup). */
  rollbackImport(importId: number): void {
    this.deleteFts.run(importId);
    this.deleteRaw.run(importId);
    this.deleteEvents.run(importId);
    this.deleteFindings.run(importId);
  }

  /**
   * Drops the secondary indexes of the events table (remembering their SQL) so
   * a bulk load into an empty timeline appends rows only; `restoreIndexes`
   * rebuilds them in one sorted pass, much faster than row-by-row updates.
   */
  deferIndexes(db: Db): void {
    db.transaction(() => {
      const rows = db
        .prepare<[], { name: string; sql: string }>("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'timeline_events' AND sql IS NOT NULL AND name != 'timeline_events_import'")
        .all();
      const keep = db.prepare('INSERT OR REPLACE INTO timeline_deferred_indexes (name, sql) VALUES (?, ?)');
      for (const r of rows) {
        keep.run(r.name, r.sql);
        // eslint-disable-next-line no-restricted-syntax -- index names come from sqlite_master, not from input
        db.exec(`DROP INDEX ${r.name}`);
      }
    })();
  }

  /** Rebuilds indexes dropped by `deferIndexes` (also after a crash, at startup). */
  static restoreIndexes(db: Db): void {
    const rows = db.prepare<[], { name: string; sql: string }>('SELECT name, sql FROM timeline_deferred_indexes').all();
    if (rows.length === 0) return;
    db.transaction(() => {
      for (const r of rows) {
        db.exec(r.sql.replace(/^CREATE INDEX /i, 'CREATE INDEX IF NOT EXISTS '));
        db.prepare('DELETE FROM timeline_deferred_indexes WHERE name = ?').run(r.name);
      }
    })();
  }
}
