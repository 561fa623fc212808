import { clipDepth } from './raw-depth';
import type { Db } from '../db/database';
import { AppError } from '../core/errors';
import { RAW_LINE } from './importers/types';
import type { RawReader } from './raw-reader';
import { searchableRaw } from './raw-text';
import { searchText } from './search-text';

/** Where an event's record is: by offset into its import's vault copy, or inline in `timeline_raw`. */
export interface RawLocation {
  raw_kind: number | null;
  raw_offset: number | null;
  raw_length: number | null;
  vault_path: string | null;
  flow_fields: string | null;
  inline_raw: string | null;
}

/**
 * The columns that locate a record, for any query over `timeline_events e` that adds RAW_JOIN: other
 * features (detection's rescan, correlations) read records through these, never from `timeline_raw` alone.
 */
export const RAW_COLUMNS = `e.raw_kind, e.raw_offset, e.raw_length, i.vault_path, i.flow_fields,
   (SELECT r.raw FROM timeline_raw r WHERE r.id = e.id) AS inline_raw`;
export const RAW_JOIN = 'LEFT JOIN timeline_imports i ON i.id = e.import_id';

const LOCATE = `SELECT ${RAW_COLUMNS} FROM timeline_events e ${RAW_JOIN} WHERE e.id = ?`;

/** The exact text of a located record (JSON, or a flow log line), or null when it has none. */
export function recordText(loc: RawLocation, reader: RawReader): string | null {
  if (loc.raw_kind) {
    if (!loc.vault_path || loc.raw_offset === null || loc.raw_length === null) return null;
    return reader.read(loc.vault_path, loc.raw_offset, loc.raw_length).toString('utf8');
  }
  return loc.inline_raw;
}

const statements = new WeakMap<Db, ReturnType<Db['prepare']>>();

/** A stored event's record: its exact text (from the vault copy, or `timeline_raw`), its kind, and flow log fields. */
export function readRaw(db: Db, reader: RawReader, id: number): { text: string; kind: number; flowFields: string[] | null } | null {
  let stmt = statements.get(db);
  if (!stmt) {
    stmt = db.prepare(LOCATE);
    statements.set(db, stmt);
  }
  const loc = stmt.get(id) as RawLocation | undefined;
  if (!loc) return null;
  if (loc.raw_kind) {
    if (!loc.vault_path || loc.raw_offset === null || loc.raw_length === null)
      throw new AppError(
        'raw-unavailable',
        `Event ${id} refers to a file whose vault copy is not recorded.`,
        'Import the file again; run `lariat db check` if this repeats.',
      );
    return {
      text: reader.read(loc.vault_path, loc.raw_offset, loc.raw_length).toString('utf8'),
      kind: loc.raw_kind,
      flowFields: loc.flow_fields ? (JSON.parse(loc.flow_fields) as string[]) : null,
    };
  }
  return loc.inline_raw === null ? null : { text: loc.inline_raw, kind: 0, flowFields: null };
}

/** The full-text form of a stored event (what the index holds for it), or null when its record is gone. */
export function rawTextOf(db: Db, reader: RawReader, id: number): string | null {
  const r = readRaw(db, reader, id);
  return r ? searchText(searchableRaw(r.kind, r.text)) : null;
}

/** The value `getTimelineEvent` returns as `raw`: the parsed JSON, or a flow record's fields with its line. */
export function rawValue(r: { text: string; kind: number; flowFields: string[] | null }): unknown {
  if (r.kind === RAW_LINE) {
    const values = r.text.trim().split(/\s+/);
    const fields = r.flowFields ?? [];
    const o: Record<string, string> = {};
    fields.forEach((f, i) => (o[f] = values[i] ?? ''));
    return { ...o, line: r.text.trim() };
  }
  return clipDepth(JSON.parse(r.text) as unknown);
}
