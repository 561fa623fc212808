import type { Db } from '../db/database';
import type { EventRow, FindingRow } from './importers/types';
import { searchText } from './search-text';
import { attachSearch } from './fts/fts-index';
import { CELL, recordTextReader, searchTexts, WIDTH, type PackedFile } from './packed-file';
import { identityHash } from './dedup';
import { prepareHitPrune } from '../detection/store/hit-runs';
import type { DuplicateFinder, DuplicateOf } from './duplicates';
import { REUSED, REUSED_ISSUE } from './importers/types';

/** Where an event came from: its import, evidence item and file name. */
export interface Origin {
  importId: number | null;
  evidenceId: number | null;
  file: string | null;
}

/** How a file's records met the de-duplication: how many were skipped, and which earlier files held them. */
export class DuplicateTally {
  count = 0;
  /** Records kept and flagged because they reuse a held event's identity with other content (`REUSED`). */
  reused = 0;
  /** Their places in the file, for a packed file (whose issue cells do not carry the flag). */
  readonly reusedAt = new Set<number>();

  noteReused(at?: number): void {
    this.reused++;
    if (at !== undefined) this.reusedAt.add(at);
  }
  private readonly by = new Map<string, { evidenceId: number | null; file: string; count: number }>();

  note(of: DuplicateOf): void {
    this.count++;
    const key = `${of.evidenceId}:${of.file}`;
    const entry = this.by.get(key) ?? { ...of, count: 0 };
    entry.count++;
    this.by.set(key, entry);
  }

  list(): { evidenceId: number | null; file: string; count: number }[] {
    return [...this.by.values()].sort((a, b) => b.count - a.count).slice(0, 50);
  }
}

const INSERT_EVENT = `INSERT INTO timeline_events (case_id, ts, time, source, actor, access_key_id, action, event_source, resource, source_ip, user_agent, region, account,
  error_code, severity, issues, highlight, import_id, evidence_id, file, record_no, principal, caller_account, session_name, identity_type, event_type, event_uid,
  dedup, raw_kind, raw_offset, raw_length, sample)
 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

/**
 * The prepared statements that write timeline rows: one events row per
 * record (its raw bytes referenced in the vault copy of its file, or kept in
 * `timeline_raw` when it has no file), its full-text entry, and findings
 * upserted by (case, source, id). Records the case already holds are skipped
 * when a DuplicateFinder is given. Callers wrap calls in a transaction.
 */
export class EventStore {
  private readonly insertEvent;
  private readonly insertFts;
  private readonly insertRaw;
  private readonly upsertFinding;
  private readonly deleteFts;
  private readonly deleteRaw;
  private readonly deleteEvents;
  /** Detection hits of the import's events (stored as runs, migration 16) go with them. */
  private readonly pruneHits: (importId: number) => void;
  private readonly deleteFindings;

  constructor(db: Db) {
    this.insertEvent = db.prepare(INSERT_EVENT);
    attachSearch(db);
    this.insertRaw = db.prepare('INSERT INTO timeline_raw (id, raw) VALUES (?, ?)');
    this.insertFts = db.prepare('INSERT INTO search.timeline_fts (rowid, raw) VALUES (?, ?)');
    this.upsertFinding = db.prepare(
      `INSERT INTO findings (case_id, source, finding_id, type, title, severity_label, severity_score, account, region, resources, first_seen, last_seen, import_id, raw, sample)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (case_id, source, finding_id) DO UPDATE SET type = excluded.type, title = excluded.title, severity_label = excluded.severity_label,
         severity_score = excluded.severity_score, resources = excluded.resources, first_seen = excluded.first_seen, last_seen = excluded.last_seen, raw = excluded.raw,
         sample = excluded.sample
       WHERE coalesce(excluded.last_seen, '') >= coalesce(findings.last_seen, '')`,
    );
    this.deleteFts = db.prepare('DELETE FROM search.timeline_fts WHERE rowid IN (SELECT id FROM timeline_events WHERE import_id = ?)');
    this.deleteRaw = db.prepare('DELETE FROM timeline_raw WHERE id IN (SELECT id FROM timeline_events WHERE import_id = ?)');
    this.deleteEvents = db.prepare('DELETE FROM timeline_events WHERE import_id = ?');
    this.deleteFindings = db.prepare('DELETE FROM findings WHERE import_id = ?');
    this.pruneHits = prepareHitPrune(db);
  }

  /**
   * Where full-text entries go while a search thread runs (`SearchWriter`):
   * collected here and handed over after the batch commits, instead of
   * written on this connection.
   */
  searchSink: { ids: number[]; texts: string[] } | null = null;

  /**
   * Inserts one event and indexes its text; returns the event id, or the earlier copy when the case holds it already
   * (a record that reuses a held event's identity is kept, flagged and noted in `tally`).
   */
  addEvent(caseId: number, e: EventRow, origin: Origin, dups?: DuplicateFinder | null, tally?: DuplicateTally): number | DuplicateOf {
    const hash = e.identity ? identityHash(e.identity) : 0;
    if (dups && hash) {
      const of = dups.find({
        hash,
        identity: e.identity!,
        source: e.source,
        eventId: e.eventId,
        account: e.account,
        ts: e.ts,
        action: e.action,
        sourceIp: e.sourceIp,
        userAgent: e.userAgent,
        errorCode: e.errorCode,
        eventSource: e.eventSource,
        accessKeyId: e.accessKeyId,
        text: () => e.raw,
      });
      if (of === REUSED) {
        e.issues.push(REUSED_ISSUE);
        tally?.noteReused();
      } else if (of) return of;
    }
    const ref = e.ref;
    const id = Number(
      this.insertEvent.run(
        caseId,
        e.ts,
        e.time,
        e.source,
        e.actor,
        e.accessKeyId,
        e.action,
        e.eventSource,
        e.resource,
        e.sourceIp,
        e.userAgent,
        e.region,
        e.account,
        e.errorCode,
        e.severity,
        e.issues.length ? e.issues.join(',') : null,
        e.highlight,
        origin.importId,
        origin.evidenceId,
        origin.file,
        e.recordNo,
        e.principal,
        e.callerAccount,
        e.sessionName,
        e.identityType,
        e.eventType,
        e.eventId,
        hash || null,
        ref ? ref.kind : 0,
        ref ? ref.offset : null,
        ref ? ref.length : null,
        e.sample ? 1 : 0,
      ).lastInsertRowid,
    );
    if (!ref) this.insertRaw.run(id, e.raw);
    if (hash) dups?.add(hash, id);
    if (this.searchSink) {
      this.searchSink.ids.push(id);
      this.searchSink.texts.push(searchText(e.raw));
    } else this.insertFts.run(id, searchText(e.raw));
    return id;
  }

  /**
   * Inserts the events (and findings) of a file from the parse thread; returns
   * their ids, in order (0 for a record skipped as a duplicate). Their
   * full-text entries are the caller's to write (`SearchWriter`, or `indexPacked`).
   */
  addPacked(caseId: number, p: PackedFile, origin: Origin, dups: DuplicateFinder | null, tally: DuplicateTally): Float64Array {
    const ids = new Float64Array(p.events);
    const { strings, cells } = p;
    const textOf = recordTextReader(p.search);
    let row = 0;
    // Cell `c` of the current event (null for index 0): strings are shared, none is made per event.
    const v = (c: number): string | null => {
      const k = cells[row + c]!;
      return k === 0 ? null : strings[k]!;
    };
    for (let i = 0; i < p.events; i++) {
      row = i * WIDTH;
      const hash = p.dedup[i]!;
      let issues = v(CELL.issues);
      if (dups && hash && dups.mayHold(hash)) {
        const of = dups.find({
          hash,
          identity: v(CELL.identity)!,
          source: v(CELL.source)!,
          eventId: v(CELL.eventId),
          account: v(CELL.account),
          ts: p.ts[i]!,
          action: v(CELL.action),
          sourceIp: v(CELL.sourceIp),
          userAgent: v(CELL.userAgent),
          errorCode: v(CELL.errorCode),
          eventSource: v(CELL.eventSource),
          accessKeyId: v(CELL.accessKeyId),
          text: () => textOf(i),
        });
        if (of === REUSED) {
          issues = issues ? `${issues},${REUSED_ISSUE}` : REUSED_ISSUE;
          tally.noteReused(i);
        } else if (of) {
          tally.note(of);
          continue;
        }
      }
      const kind = p.refKind[i]!;
      const id = Number(
        this.insertEvent.run(
          caseId,
          p.ts[i],
          v(CELL.time),
          v(CELL.source),
          v(CELL.actor),
          v(CELL.accessKeyId),
          v(CELL.action),
          v(CELL.eventSource),
          v(CELL.resource),
          v(CELL.sourceIp),
          v(CELL.userAgent),
          v(CELL.region),
          v(CELL.account),
          v(CELL.errorCode),
          v(CELL.severity),
          issues,
          v(CELL.highlight),
          origin.importId,
          origin.evidenceId,
          origin.file,
          p.recordNo[i],
          v(CELL.principal),
          v(CELL.callerAccount),
          v(CELL.sessionName),
          v(CELL.identityType),
          v(CELL.eventType),
          v(CELL.eventId),
          hash || null,
          kind,
          kind ? p.refOffset[i] : null,
          kind ? p.refLength[i] : null,
          p.sample[i],
        ).lastInsertRowid,
      );
      if (!kind) this.insertRaw.run(id, p.inline[i]!);
      if (hash) dups?.add(hash, id);
      ids[i] = id;
    }
    for (const f of p.findings) if (ids[f.event]) this.addFinding(caseId, f.row, origin.importId);
    return ids;
  }

  /** Writes the full-text entries of packed events on this connection (no search thread). */
  indexPacked(ids: Float64Array, p: PackedFile): void {
    const texts = searchTexts(p.search);
    for (let i = 0; i < ids.length; i++) if (ids[i]) this.insertFts.run(ids[i], texts[i]);
  }

  addFinding(caseId: number, f: FindingRow, importId: number | null): void {
    this.upsertFinding.run(
      caseId,
      f.source,
      f.findingId,
      f.type,
      f.title,
      f.severityLabel,
      f.severityScore,
      f.account,
      f.region,
      JSON.stringify(f.resources),
      f.firstSeen,
      f.lastSeen,
      importId,
      f.raw,
      f.sample ? 1 : 0,
    );
  }

  /** Removes everything one import wrote (cancel, failure, or a crash found at startup). */
  rollbackImport(importId: number): void {
    this.deleteFts.run(importId);
    this.deleteRaw.run(importId);
    this.pruneHits(importId);
    this.deleteEvents.run(importId);
    this.deleteFindings.run(importId);
  }

  /**
   * Drops the secondary indexes of the events table (remembering their SQL) so
   * a bulk load into an empty timeline appends rows only; `restoreIndexes`
   * rebuilds them in one sorted pass, much faster than row-by-row updates.
   * The import index stays (a rollback reads it), and so does the index of flagged events (few rows: kept as they
   * come, cheaper than a rebuild that reads the whole table). The de-duplication index is
   * built after too: its random-order entries rewrote most of its pages at
   * every commit (0.85 GB of 4 GB written, 3.3 s of the main thread's CPU at a
   * million records); the import's DuplicateFinder keeps the ids itself meanwhile.
   */
  deferIndexes(db: Db): void {
    db.transaction(() => {
      const rows = db
        .prepare<[], { name: string; sql: string }>(
          "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'timeline_events' AND sql IS NOT NULL AND name NOT IN ('timeline_events_import', 'timeline_events_issues')",
        )
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
