import type { Db } from '../db/database';
import { HashIds, HashSet } from './dedup';
import { classify } from './importers/classify';
import { parseFlowRecord } from './importers/flowlogs';
import { RAW_LINE, REUSED } from './importers/types';
import type { RawReader } from './raw-reader';
import { copiesDisagree } from './copy-compare';

interface Candidate {
  id: number;
  source: string;
  event_uid: string | null;
  account: string | null;
  ts: number;
  action: string | null;
  source_ip: string | null;
  user_agent: string | null;
  error_code: string | null;
  event_source: string | null;
  access_key_id: string | null;
  evidence_id: number | null;
  file: string | null;
  raw_kind: number | null;
  raw_offset: number | null;
  raw_length: number | null;
  vault_path: string | null;
  flow_fields: string | null;
  inline_raw: string | null;
}

/** A stored event as the finder compares it, with where its record can be re-read. */
const CANDIDATE = `SELECT e.id, e.source, e.event_uid, e.account, e.ts, e.action, e.source_ip, e.user_agent, e.error_code, e.event_source,
    e.access_key_id, e.evidence_id, e.file, e.raw_kind, e.raw_offset, e.raw_length,
    i.vault_path, i.flow_fields, (SELECT r.raw FROM timeline_raw r WHERE r.id = e.id AND coalesce(e.raw_kind, 0) = 0) AS inline_raw
  FROM timeline_events e LEFT JOIN timeline_imports i ON i.id = e.import_id`;

/** The record the case already holds that a new one repeats: where it came from. */
export interface DuplicateOf {
  evidenceId: number | null;
  file: string;
}

/** What the new record is, to compare with a stored one. */
export interface NewRecord {
  hash: number;
  identity: string;
  source: string;
  eventId: string | null;
  account: string | null;
  ts: number;
  action: string | null;
  /** What a faithful copy of a CloudTrail event keeps in every export format; compared where both records carry it. */
  sourceIp: string | null;
  userAgent: string | null;
  errorCode: string | null;
  eventSource: string | null;
  accessKeyId: string | null;
  /** The record's JSON text, asked for only when a held event matches it on identity and columns (to compare content). */
  text?: () => string;
}

/** The columns compared after an identity match: a value on both sides that differs means another event. */
const COMPARED = [
  ['source_ip', 'sourceIp'],
  ['user_agent', 'userAgent'],
  ['error_code', 'errorCode'],
  ['event_source', 'eventSource'],
  ['access_key_id', 'accessKeyId'],
] as const;

/**
 * Every event once: finds whether a case already holds a record (same eventID
 * and recipient account for CloudTrail, same finding id and update time for
 * findings, the same flow record), across files and imports. A table of the
 * case's identity hashes answers "new" for almost every record without a
 * query; a hit is confirmed exactly against the stored event (its columns for
 * CloudTrail, its record re-read from the vault copy otherwise), so a hash
 * collision never drops an event. Records of other processes' imports are
 * picked up before each write (`refresh`).
 */
export class DuplicateFinder {
  /** Hashes only, when the de-duplication index finds their events. */
  private readonly seen: HashSet | null;
  /** Hashes with their events' ids, while that index is not there (`indexed: false`). */
  private readonly held: HashIds | null;
  private lastId = 0;
  private readonly since;
  private readonly candidates;
  private readonly candidate;

  /**
   * `indexed: false` while a bulk import builds `timeline_events_dedup` after its load: the
   * finder then keeps each hash's event ids itself and reads candidates by id.
   */
  constructor(
    private readonly db: Db,
    private readonly caseId: number,
    private readonly reader: RawReader,
    options: { indexed?: boolean } = {},
  ) {
    const indexed = options.indexed ?? true;
    this.seen = indexed ? new HashSet() : null;
    this.held = indexed ? null : new HashIds();
    this.since = db.prepare<[number, number], { id: number; dedup: number }>(
      'SELECT id, dedup FROM timeline_events WHERE case_id = ? AND id > ? AND dedup IS NOT NULL',
    );
    this.candidates = db.prepare<[number, number], Candidate>(`${CANDIDATE} WHERE e.case_id = ? AND e.dedup = ?`);
    this.candidate = db.prepare<[number, number], Candidate>(`${CANDIDATE} WHERE e.case_id = ? AND e.id = ?`);
    this.refresh();
  }

  /** Takes in the identities written since the last call (by this import or another process). */
  refresh(): void {
    const max = (this.db.prepare('SELECT coalesce(max(id), 0) AS n FROM timeline_events').get() as { n: number }).n;
    if (max <= this.lastId) return;
    for (const r of this.since.iterate(this.caseId, this.lastId)) this.add(r.dedup, r.id);
    this.lastId = max;
  }

  /** Notes an identity just written (visible to `find` through the database as well). */
  add(hash: number, id: number): void {
    if (this.held) this.held.add(hash, id);
    else this.seen!.add(hash);
    if (id > this.lastId) this.lastId = id;
  }

  /** False when the case surely holds no record with this identity hash (no query, no allocation: the common case). */
  mayHold(hash: number): boolean {
    return this.held ? this.held.has(hash) : this.seen!.has(hash);
  }

  /**
   * The earlier copy of this record in the case; `REUSED` when the case holds an event with its identity
   * that says something else (see `REUSED` in importers/types.ts); null when it is new.
   */
  find(rec: NewRecord): DuplicateOf | typeof REUSED | null {
    if (!this.mayHold(rec.hash)) return null;
    let reused = false;
    for (const c of this.candidatesOf(rec.hash)) {
      if (!this.same(c, rec)) continue;
      if (rec.identity.startsWith('ct|') && (conflicts(c, rec) || this.contentDiffers(c, rec))) reused = true;
      else return { evidenceId: c.evidence_id, file: c.file ?? '(no file)' };
    }
    return reused ? REUSED : null;
  }

  private *candidatesOf(hash: number): Iterable<Candidate> {
    const ids = this.held?.idsOf(hash);
    // An id the table could not hold (0): read by hash, without the index (correct, slower).
    if (!ids || ids.includes(0)) return yield* this.candidates.iterate(this.caseId, hash);
    for (const id of ids) {
      const c = this.candidate.get(this.caseId, id);
      if (c) yield c;
    }
  }

  private same(c: Candidate, rec: NewRecord): boolean {
    if (c.source !== rec.source) return false;
    if (rec.identity.startsWith('ct|'))
      return c.event_uid === rec.eventId && (c.account ?? null) === (rec.account ?? null) && c.ts === rec.ts && c.action === rec.action;
    return this.storedIdentity(c) === rec.identity;
  }

  /** Whether a CloudTrail record that matches a held event's identity and columns says something else in its content. */
  private contentDiffers(c: Candidate, rec: NewRecord): boolean {
    if (!rec.text) return false;
    const held = this.storedText(c);
    return held !== null && copiesDisagree(held, rec.text());
  }

  /** A stored event's record as text: from the vault copy of its file, or kept in the database. */
  private storedText(c: Candidate): string | null {
    if (c.raw_kind && c.vault_path && c.raw_offset !== null && c.raw_length !== null)
      return this.reader.read(c.vault_path, c.raw_offset, c.raw_length).toString('utf8');
    return c.inline_raw;
  }

  /** The identity of a stored event, recomputed from its record. */
  private storedIdentity(c: Candidate): string | null {
    const text = this.storedText(c);
    if (text === null) return null;
    if (c.raw_kind === RAW_LINE) {
      const fields = JSON.parse(c.flow_fields ?? '[]') as string[];
      const p = parseFlowRecord(text, fields, 1);
      return 'event' in p ? p.event.identity : null;
    }
    try {
      const p = classify(JSON.parse(text), 1, text);
      return 'event' in p ? p.event.identity : null;
    } catch {
      return null;
    }
  }
}

/** A compared column both records carry with different values (one side without it is no conflict: not every format has it). */
function conflicts(c: Candidate, rec: NewRecord): boolean {
  return COMPARED.some(([col, key]) => c[col] !== null && rec[key] !== null && c[col] !== rec[key]);
}
