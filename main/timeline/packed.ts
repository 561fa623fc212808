import { classify } from './importers/parse-file';
import type { EventRow, FindingRow } from './importers/types';
import { searchText } from './search-text';

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
] as const satisfies readonly (keyof EventRow)[];
type TextColumn = (typeof TEXT_COLUMNS)[number];

/**
 * One whole-document file as the parse thread hands it to the main thread:
 * its events as columns, and their raw JSON as one UTF-8 buffer (moved
 * between threads without a copy and bound to SQLite as is, so a million raw
 * records never become JavaScript strings on the thread that writes the
 * database; the search thread then takes the same buffer for the full-text
 * index).
 */
export interface PackedFile {
  bytes: number;
  /** Events (accepted records), in record order. */
  events: number;
  text: Record<TextColumn, (string | null)[]>;
  ts: Float64Array;
  recordNo: Float64Array;
  /** Comma-joined issue flags, or null. */
  issues: (string | null)[];
  /** Each event's raw JSON, separated by RECORD_SEPARATOR. */
  raw: Uint8Array;
  /** End offset of each event's raw JSON in `raw` (start: one past the previous end). */
  rawEnd: Float64Array;
  /** Findings, with the index of the event each came with. */
  findings: { event: number; row: FindingRow }[];
  /** Rejected records, in record order. */
  errors: string[];
}

/**
 * Between two records in a packed buffer: a control character, which valid
 * JSON text never holds unescaped, so the whole buffer can be decoded and
 * searched at once and split back into records.
 */
export const RECORD_SEPARATOR = '\x1e';

/** Joins JSON texts into one UTF-8 buffer with end offsets (a fresh ArrayBuffer, so it can be transferred). */
function concat(parts: string[]): { bytes: Uint8Array; ends: Float64Array } {
  const joined = parts.join(RECORD_SEPARATOR);
  const bytes = new Uint8Array(Buffer.byteLength(joined));
  Buffer.from(bytes.buffer, 0, bytes.length).write(joined);
  const ends = new Float64Array(parts.length);
  let at = -1;
  for (let i = 0; i < parts.length; i++) ends[i] = at = at + 1 + Buffer.byteLength(parts[i]!);
  return { bytes, ends };
}

/** Classifies the records of one parsed document into a PackedFile (runs on the parse thread). */
export function pack(items: unknown[], bytes: number): PackedFile {
  const text = Object.fromEntries(TEXT_COLUMNS.map((c) => [c, [] as (string | null)[]])) as PackedFile['text'];
  const ts: number[] = [];
  const recordNo: number[] = [];
  const issues: (string | null)[] = [];
  const raws: string[] = [];
  const findings: PackedFile['findings'] = [];
  const errors: string[] = [];
  for (let i = 0; i < items.length; i++) {
    const raw = JSON.stringify(items[i]);
    const p = classify(items[i], i + 1, raw);
    if ('error' in p) {
      errors.push(p.error);
      continue;
    }
    const e = p.event;
    if (p.finding) findings.push({ event: raws.length, row: p.finding });
    for (const c of TEXT_COLUMNS) text[c].push(e[c]);
    ts.push(e.ts);
    recordNo.push(e.recordNo);
    issues.push(e.issues.length ? e.issues.join(',') : null);
    raws.push(e.raw);
  }
  const r = concat(raws);
  return {
    bytes,
    events: raws.length,
    text,
    ts: Float64Array.from(ts),
    recordNo: Float64Array.from(recordNo),
    issues,
    raw: r.bytes,
    rawEnd: r.ends,
    findings,
    errors,
  };
}

/** The ArrayBuffers a PackedFile can hand over instead of copying. */
export const transferables = (p: PackedFile): ArrayBuffer[] => [p.raw, p.rawEnd, p.ts, p.recordNo].map((a) => a.buffer as ArrayBuffer);

/** Record `i` of a packed buffer as a Buffer (no copy), for binding to SQLite. */
export function slices(bytes: Uint8Array, ends: Float64Array): (i: number) => Buffer {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return (i) => buf.subarray(i === 0 ? 0 : ends[i - 1]! + 1, ends[i]!);
}

/** The full-text form of every record of a packed buffer: one decode and one pass for the whole file. */
export function searchTexts(bytes: Uint8Array): string[] {
  if (bytes.length === 0) return [];
  return searchText(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')).split(RECORD_SEPARATOR);
}
