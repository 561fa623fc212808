import type { EventRow, FindingRow } from './importers/types';
import type { ReaderSummary } from './importers/parse-file';
import { searchText } from './search-text';

/*
 * The layout of a packed file (what the parse thread hands the main thread) and how to read it. Kept
 * apart from the packer (packed.ts), which needs the parsers: reading the timeline loads no parser.
 */

/** The text columns of an event, in the order the parse thread packs them. */
export const TEXT_COLUMNS = [
  'time',
  'source',
  'actor',
  'accessKeyId',
  'action',
  'eventSource',
  'resource',
  'sourceIp',
  'userAgent',
  'region',
  'account',
  'errorCode',
  'severity',
  'highlight',
  'principal',
  'callerAccount',
  'sessionName',
  'identityType',
  'eventType',
  'eventId',
] as const satisfies readonly (keyof EventRow)[];
/** The cells of one event in `PackedFile.cells`: the text columns, then its issue flags, then its identity. */
export const CELLS = [...TEXT_COLUMNS, 'issues', 'identity'] as const;
export type Cell = (typeof CELLS)[number];
/** Cells per event. */
export const WIDTH = CELLS.length;
/** Position of each cell within an event's row of cells. */
export const CELL = Object.fromEntries(CELLS.map((c, i) => [c, i])) as Record<Cell, number>;

/**
 * One file as the parse thread hands it to the main thread: its events as
 * columns, where each record's bytes are in the file (so the database stores
 * a reference, not the record), and the text the full-text index needs as one
 * UTF-8 buffer (moved between threads without a copy, straight on to the
 * search thread: the thread that writes the database never holds it as strings).
 */
export interface PackedFile {
  bytes: number;
  /** Events (accepted records), in record order. */
  events: number;
  /**
   * The distinct strings of the file's text cells (index 0 stands for null). Most columns repeat
   * (event source, region, account, user agent...), so each distinct value crosses between the
   * threads once, and the thread that writes the database holds no per-event strings between
   * receiving a file and writing it: they are read from here as they are bound.
   */
  strings: string[];
  /** `events` rows of `WIDTH` indexes into `strings` (0: null), in `CELLS` order. */
  cells: Uint32Array;
  ts: Float64Array;
  recordNo: Float64Array;
  /** Identity hash for de-duplication, 0 when the record has none (the identity itself, to confirm a hash hit exactly, is a cell). */
  dedup: Float64Array;
  /** Where each record is in the (decompressed) file: kind 0 means no slice of its own (`inline` holds it). */
  refKind: Float64Array;
  refOffset: Float64Array;
  refLength: Float64Array;
  /** Raw JSON of the records that have no slice of their own (EventBridge leaves), by event index. */
  inline: Record<number, string>;
  sample: Uint8Array;
  /** Each event's canonical text (keys are stripped by the search thread), separated by RECORD_SEPARATOR. */
  search: Uint8Array;
  /** Detection rules matched at import, as (event index, rule index) pairs, or empty when no rules ran. */
  hits: Uint32Array;
  /**
   * For each pair of `hits`, in the same order: the field values the correlation rules read from that
   * record (RuleSet.correlationValues), or null; absent when no rule feeds a correlation. Set by the parse thread.
   * Packed like the text cells (each distinct string once, numbers in a transferred array) so the main thread
   * receives no string or array per hit: `codes` holds, per hit, 0 (null) or its value count + 1 followed by
   * that many entries, each 0 (null) or a string's index + 1. Read with `hitValuesOf`.
   */
  hitValues?: { strings: string[]; codes: Uint32Array };
  /** Findings, with the index of the event each came with. */
  findings: { event: number; row: FindingRow }[];
  /** Rejected records, in record order. */
  errors: string[];
  summary: ReaderSummary;
}

/**
 * Between two records in a packed buffer: a control character, which valid
 * JSON text never holds unescaped, so the whole buffer can be decoded and
 * searched at once and split back into records.
 */
export const RECORD_SEPARATOR = '\x1e';

/** The ArrayBuffers a PackedFile can hand over instead of copying. */
export const transferables = (p: PackedFile): ArrayBuffer[] =>
  [
    p.search,
    p.cells,
    p.ts,
    p.recordNo,
    p.dedup,
    p.refKind,
    p.refOffset,
    p.refLength,
    p.sample,
    p.hits,
    ...(p.hitValues ? [p.hitValues.codes] : []),
  ].map((a) => a.buffer as ArrayBuffer);
/** The hits' values back, one entry per hit; undefined when they are absent or do not cover exactly `hitCount` hits. */
export function hitValuesOf(p: PackedFile['hitValues'], hitCount: number): ((string | null)[] | null)[] | undefined {
  if (!p) return undefined;
  const out: ((string | null)[] | null)[] = [];
  const { codes, strings } = p;
  let at = 0;
  while (at < codes.length) {
    const len = codes[at++]!;
    if (len === 0) {
      out.push(null);
      continue;
    }
    if (at + len - 1 > codes.length) return undefined;
    const values: (string | null)[] = [];
    for (let i = 0; i < len - 1; i++) {
      const k = codes[at++]!;
      values.push(k === 0 ? null : (strings[k - 1] ?? null));
    }
    out.push(values);
  }
  return out.length === hitCount ? out : undefined;
}

/** One cell of one event of a packed file. */
export function cellOf(p: PackedFile, event: number, cell: Cell): string | null {
  const k = p.cells[event * WIDTH + CELL[cell]]!;
  return k === 0 ? null : p.strings[k]!;
}

/** One cell of every event of a packed file, in event order. */
export function columnOf(p: PackedFile, cell: Cell): (string | null)[] {
  return Array.from({ length: p.events }, (_, i) => cellOf(p, i, cell));
}

/** The full-text form of every record of a packed buffer: one decode and one pass for the whole file. */
export function searchTexts(bytes: Uint8Array): string[] {
  if (bytes.length === 0) return [];
  // Record by record: each record's IP tokens follow its own text.
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8').split(RECORD_SEPARATOR).map(searchText);
}

/**
 * Reads one record's text out of `search` by its index (the records' texts, RECORD_SEPARATOR between them), as it
 * was before the search thread strips keys. The separators are found on the first call only: a file whose records
 * are never asked for (no duplicate found) pays nothing.
 */
export function recordTextReader(search: Uint8Array): (event: number) => string {
  let starts: number[] | null = null;
  const buf = Buffer.from(search.buffer, search.byteOffset, search.byteLength);
  const sep = RECORD_SEPARATOR.charCodeAt(0);
  return (event) => {
    if (!starts) {
      starts = [0];
      for (let at = buf.indexOf(sep); at >= 0; at = buf.indexOf(sep, at + 1)) starts.push(at + 1);
    }
    const start = starts[event] ?? buf.length;
    const next = starts[event + 1];
    return buf.toString('utf8', start, next === undefined ? buf.length : next - 1);
  };
}
