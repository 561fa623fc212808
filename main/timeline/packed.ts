import { RecordReader, type ReaderSummary, type RecordMatcher } from './importers/parse-file';
import { bufferLines } from './importers/lines';
import type { EventRow, FindingRow, Parsed } from './importers/types';
import { identityHash } from './dedup';
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
/** Columns whose values are (nearly) unique per event: a lookup would find nothing to share. */
const UNIQUE = new Set<Cell>(['time', 'eventId', 'identity']);
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

/** Collects parsed records into a PackedFile (on the parse thread, or in a test). */
export class Packer {
  private readonly strings: string[] = [''];
  private readonly index = new Map<string, number>();
  private cells = new Uint32Array(WIDTH * 256);
  private used = 0;
  private readonly ts: number[] = [];
  private readonly recordNo: number[] = [];
  private readonly dedup: number[] = [];
  private readonly refKind: number[] = [];
  private readonly refOffset: number[] = [];
  private readonly refLength: number[] = [];
  private readonly inline: Record<number, string> = {};
  private readonly sample: number[] = [];
  private readonly search: string[] = [];
  private readonly findings: PackedFile['findings'] = [];
  private readonly hits: number[] = [];
  private readonly errors: string[] = [];

  add(p: Parsed): void {
    if ('error' in p) {
      this.errors.push(p.error);
      return;
    }
    const e = p.event;
    const n = this.ts.length;
    if (p.finding) this.findings.push({ event: n, row: p.finding });
    if (this.used + WIDTH > this.cells.length) {
      const more = new Uint32Array(this.cells.length * 2);
      more.set(this.cells);
      this.cells = more;
    }
    for (const c of TEXT_COLUMNS) this.cells[this.used++] = UNIQUE.has(c) ? this.own(e[c]) : this.cell(e[c]);
    this.cells[this.used++] = this.cell(e.issues.length ? e.issues.join(',') : null);
    this.cells[this.used++] = this.own(e.identity);
    this.ts.push(e.ts);
    this.recordNo.push(e.recordNo);
    this.dedup.push(e.identity ? identityHash(e.identity) : 0);
    this.refKind.push(e.ref?.kind ?? 0);
    this.refOffset.push(e.ref?.offset ?? 0);
    this.refLength.push(e.ref?.length ?? 0);
    if (!e.ref) this.inline[n] = e.raw;
    this.sample.push(e.sample ? 1 : 0);
    this.search.push(e.raw);
    if (e.hits) for (const rule of e.hits) this.hits.push(n, rule);
  }

  /** A value (almost) every event has its own: stored without looking it up. */
  private own(v: string | null): number {
    return v === null ? 0 : this.strings.push(v) - 1;
  }

  /** A value that repeats between events: stored once per file. */
  private cell(v: string | null): number {
    if (v === null) return 0;
    let k = this.index.get(v);
    if (k === undefined) {
      k = this.strings.push(v) - 1;
      this.index.set(v, k);
    }
    return k;
  }

  finish(bytes: number, summary: ReaderSummary): PackedFile {
    const joined = this.search.join(RECORD_SEPARATOR);
    const search = new Uint8Array(Buffer.byteLength(joined));
    Buffer.from(search.buffer, 0, search.length).write(joined);
    return {
      bytes,
      events: this.ts.length,
      strings: this.strings,
      cells: this.cells.slice(0, this.used),
      ts: Float64Array.from(this.ts),
      recordNo: Float64Array.from(this.recordNo),
      dedup: Float64Array.from(this.dedup),
      refKind: Float64Array.from(this.refKind),
      refOffset: Float64Array.from(this.refOffset),
      refLength: Float64Array.from(this.refLength),
      inline: this.inline,
      sample: Uint8Array.from(this.sample),
      search,
      hits: Uint32Array.from(this.hits),
      findings: this.findings,
      errors: this.errors,
      summary,
    };
  }
}

/** Reads a whole (decompressed) file into a PackedFile with the same reader the streaming import uses. */
export function packBuffer(
  buf: Buffer,
  bytes: number,
  options: { maxLine: number; flowFields?: string[]; match?: RecordMatcher },
  readError?: 'truncated-gzip',
): PackedFile {
  const packer = new Packer();
  const reader = new RecordReader((p) => packer.add(p), options);
  for (const line of bufferLines(buf)) reader.line(line);
  reader.end(readError);
  return packer.finish(bytes, reader.summary());
}

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

/** Packs the correlation values of a file's hits (one entry per hit, in hit order) into `PackedFile.hitValues`. */
export function packHitValues(values: readonly ((string | null)[] | null)[]): NonNullable<PackedFile['hitValues']> {
  const strings: string[] = [];
  const index = new Map<string, number>();
  const codes: number[] = [];
  for (const hv of values) {
    if (hv === null) {
      codes.push(0);
      continue;
    }
    codes.push(hv.length + 1);
    for (const v of hv) {
      if (v === null) codes.push(0);
      else {
        let k = index.get(v);
        if (k === undefined) index.set(v, (k = strings.push(v) - 1));
        codes.push(k + 1);
      }
    }
  }
  return { strings, codes: Uint32Array.from(codes) };
}

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
  return searchText(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')).split(RECORD_SEPARATOR);
}
