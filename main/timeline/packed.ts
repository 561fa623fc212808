import { RecordReader, type ReadError, type ReaderSummary, type RecordMatcher } from './importers/parse-file';
import { bufferLines } from './importers/lines';
import type { Parsed } from './importers/types';
import { identityHash } from './dedup';
import { RECORD_SEPARATOR, WIDTH, type PackedFile } from './packed-file';

const SEPARATOR_BYTE = RECORD_SEPARATOR.charCodeAt(0);

/** Collects parsed records into a PackedFile (on the parse thread, or in a test). */
export class Packer {
  private readonly strings: string[] = [''];
  private readonly index = new Map<string, number>();
  private cells = new Uint32Array(WIDTH * 256);
  private used = 0;
  /** Each cell's previous value and its index: neighbouring records often share a value (region, account, service). */
  private readonly lastValue: (string | null)[] = new Array<string | null>(WIDTH).fill(null);
  private readonly lastIndex = new Uint32Array(WIDTH);
  private readonly ts: number[] = [];
  private readonly recordNo: number[] = [];
  private readonly dedup: number[] = [];
  private readonly refKind: number[] = [];
  private readonly refOffset: number[] = [];
  private readonly refLength: number[] = [];
  private readonly inline: Record<number, string> = {};
  private readonly sample: number[] = [];
  /** Each record's full-text form: its bytes from the file, or its text where that differs (escapes, flow lines). */
  private readonly search: (Uint8Array | string)[] = [];
  private searchBytes = 0;
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
    // CELLS order, written out: a loop over the column names read `e[c]` with a different key each time (a slow,
    // megamorphic lookup) and asked a Set which columns are unique, 22 times a record. `time`, `eventId` and
    // `identity` are (nearly) unique per event: stored without looking them up (`own`).
    const c = this.cells;
    let u = this.used;
    c[u++] = this.own(e.time);
    c[u++] = this.cell(e.source, 1);
    c[u++] = this.cell(e.actor, 2);
    c[u++] = this.cell(e.accessKeyId, 3);
    c[u++] = this.cell(e.action, 4);
    c[u++] = this.cell(e.eventSource, 5);
    c[u++] = this.cell(e.resource, 6);
    c[u++] = this.cell(e.sourceIp, 7);
    c[u++] = this.cell(e.userAgent, 8);
    c[u++] = this.cell(e.region, 9);
    c[u++] = this.cell(e.account, 10);
    c[u++] = this.cell(e.errorCode, 11);
    c[u++] = this.cell(e.severity, 12);
    c[u++] = this.cell(e.highlight, 13);
    c[u++] = this.cell(e.principal, 14);
    c[u++] = this.cell(e.callerAccount, 15);
    c[u++] = this.cell(e.sessionName, 16);
    c[u++] = this.cell(e.identityType, 17);
    c[u++] = this.cell(e.eventType, 18);
    c[u++] = this.own(e.eventId);
    c[u++] = this.cell(e.issues.length ? e.issues.join(',') : null, 20);
    c[u++] = this.own(e.identity);
    this.used = u;
    this.ts.push(e.ts);
    this.recordNo.push(e.recordNo);
    this.dedup.push(e.identity ? identityHash(e.identity) : 0);
    this.refKind.push(e.ref?.kind ?? 0);
    this.refOffset.push(e.ref?.offset ?? 0);
    this.refLength.push(e.ref?.length ?? 0);
    if (!e.ref) this.inline[n] = e.raw;
    this.sample.push(e.sample ? 1 : 0);
    const text = e.rawBytes ?? e.raw;
    this.search.push(text);
    this.searchBytes += typeof text === 'string' ? Buffer.byteLength(text) : text.length;
    if (e.hits) for (const rule of e.hits) this.hits.push(n, rule);
  }

  /** A value (almost) every event has its own: stored without looking it up. */
  private own(v: string | null): number {
    return v === null ? 0 : this.strings.push(v) - 1;
  }

  /** A value that repeats between events: stored once per file. `at`: the cell's place in CELLS, for its memory of the previous value. */
  private cell(v: string | null, at: number): number {
    if (v === null) return 0;
    if (v === this.lastValue[at]) return this.lastIndex[at]!;
    let k = this.index.get(v);
    if (k === undefined) {
      k = this.strings.push(v) - 1;
      this.index.set(v, k);
    }
    this.lastValue[at] = v;
    this.lastIndex[at] = k;
    return k;
  }

  finish(bytes: number, summary: ReaderSummary): PackedFile {
    // One buffer of every record's text, RECORD_SEPARATOR between them: bytes copied, never decoded and encoded again.
    const n = this.search.length;
    const search = new Uint8Array(this.searchBytes + Math.max(0, n - 1));
    const out = Buffer.from(search.buffer, 0, search.length);
    let at = 0;
    for (let i = 0; i < n; i++) {
      if (i > 0) search[at++] = SEPARATOR_BYTE;
      const t = this.search[i]!;
      if (typeof t === 'string') at += out.write(t, at);
      else {
        search.set(t, at);
        at += t.length;
      }
    }
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
  readError?: ReadError,
): PackedFile {
  const packer = new Packer();
  const reader = new RecordReader((p) => packer.add(p), options);
  for (const line of bufferLines(buf)) reader.line(line);
  reader.end(readError);
  return packer.finish(bytes, reader.summary());
}
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
