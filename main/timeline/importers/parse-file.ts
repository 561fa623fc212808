import { isUtf8 } from 'node:buffer';
import { classify, FORMATS_READ, isContainer, leaves } from './classify';
import { DEFAULT_FLOW_FIELDS, flowHeader, looksLikeDefaultFlowRecord, looksLikeFlowRecord, parseFlowRecord } from './flowlogs';
import { JsonSplitter, type SplitValue } from './json-split';
import { TrailingGzipData, isGzip, openMaybeGzip, readLines, type LineItem } from './lines';
import { RAW_JSON, RAW_LINE, type Parsed } from './types';
import { canonicalText } from '../raw-text';
import { DB_JSON_DEPTH, jsonDeeperThan } from '../raw-depth';

export interface ParseOptions {
  /** Longest line (or record) held in memory; longer ones are rejected with their number. */
  maxLine: number;
  /** Kept for callers; a document is no longer read whole (records are found by the splitter). */
  maxDocument: number;
  /** Records per yielded batch. */
  batchSize: number;
  /** Called with the number of (compressed) bytes read, for progress. */
  onRead?: (bytes: number) => void;
  /** Fields of header-less flow logs in a custom format (the flow log's LogFormat). */
  flowFields?: string[];
  /** Import-time detection: the rules (indexes into the import's rule set) a stored CloudTrail record matches. */
  match?: RecordMatcher;
}

/** Matches one record, as stored (the object its stored bytes parse to, which is what a rescan reads), against the rules. */
export type RecordMatcher = (record: unknown) => number[];

export const defaultParseOptions: ParseOptions = { maxLine: 512 * 1024 * 1024, maxDocument: 512 * 1024 * 1024, batchSize: 5000 };

/** A batch of parsed records (or per-record rejections). */
export interface ParsedBatch {
  items: Parsed[];
}

export { classify, leaves };

const jsonError = (e: unknown): string => (e instanceof Error ? e.message : String(e));
const mb = (n: number) => `${Math.max(1, Math.round(n / 1048576))} MB`;

/** What a file turned out to be, for the import report. */
export interface ReaderSummary {
  /** The file ended before its last record did (a cut download, a truncated .gz). */
  truncated: boolean;
  /** The flow log fields used, when the file was a flow log. */
  flowFields: string[] | null;
  /** Nothing but blank lines (or no bytes at all): "empty" is then the word for a file that gave no record. */
  empty: boolean;
}

/** Why a file could not be read to its end: a .gz cut short, data after its last gzip member, or a read failure's message. */
export type ReadError = 'truncated-gzip' | { trailingBytes: number } | string;

/**
 * Turns a file's lines into records, the same way on the parse thread (a whole
 * file in memory) and on the main thread (a stream): the first line decides
 * the mode. One JSON value per line (NDJSON, and CloudTrail's one-line delivery
 * files): each line alone, so a malformed line is one rejection. A JSON value
 * spread over lines (pretty-printed, or a one-line file cut short): the
 * splitter finds each complete record. Flow logs: a header, the default
 * format, or the format given. Every record keeps where its bytes are in the
 * file (`ref`), so the database stores columns, not a second copy of the logs.
 */
export class RecordReader {
  private mode: 'lines' | 'document' | 'flow' | null = null;
  private recordNo = 0;
  private flowFields: string[] = DEFAULT_FLOW_FIELDS;
  private doc: JsonSplitter | null = null;
  /** A line that ended inside a value: malformed if another line follows, the cut if it is the last. */
  private brokenLine: { lineNo: number; text: string; records: number } | null = null;
  private lastLine = 0;
  truncated = false;

  constructor(
    private readonly emit: (p: Parsed) => void,
    private readonly options: Pick<ParseOptions, 'maxLine' | 'flowFields' | 'match'>,
  ) {
    if (options.flowFields) this.flowFields = options.flowFields;
  }

  summary(): ReaderSummary {
    return { truncated: this.truncated, flowFields: this.mode === 'flow' ? this.flowFields : null, empty: this.mode === null };
  }

  /** One JSON value found by a splitter; `base` is where the splitter's offset 0 is in the file. */
  private value(v: SplitValue, base: number, lineNo: number | null): void {
    const text = v.bytes.toString('utf8');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      const where = lineNo !== null && v.container === null ? `line ${lineNo} (record ${++this.recordNo})` : `record ${++this.recordNo}`;
      this.emit({ error: `${where}: malformed JSON: ${jsonError(e)}` });
      return;
    }
    if (v.container === null && isContainer(parsed)) {
      // An envelope or a container that was not split (EventBridge, an array of envelopes): its leaves are the records.
      for (const leaf of leaves(parsed)) this.emit(this.isolated(++this.recordNo, () => this.matched(classify(leaf, this.recordNo), leaf)));
      return;
    }
    this.emit(
      this.isolated(++this.recordNo, () => {
        const p = classify(parsed, this.recordNo, canonicalText(text, parsed));
        if ('event' in p) {
          p.event.ref = { offset: base + v.start, length: v.end - v.start, kind: RAW_JSON };
          // Invalid UTF-8 decodes to U+FFFD in `raw`: such a record's search text is `raw` encoded, as before.
          if (p.event.raw === text && isUtf8(v.bytes)) p.event.rawBytes = v.bytes;
        }
        return this.matched(p, parsed);
      }),
    );
  }

  /**
   * One record's normalising, on its own: whatever a hostile or broken record makes it throw (a structure
   * nested past the stack, a value no code expected) rejects that record, named, and the file goes on.
   * Before, it ended the file as a "reading failed" and every later record of it was lost.
   */
  private isolated(recordNo: number, normalise: () => Parsed): Parsed {
    try {
      const p = normalise();
      // The findings table checks its JSON with SQLite, which reads 1,000 levels: deeper, the insert failed and took the import with it.
      if ('finding' in p && p.finding && jsonDeeperThan(p.finding.raw, DB_JSON_DEPTH))
        return {
          error: `record ${recordNo}: a finding nested deeper than ${DB_JSON_DEPTH} levels, more than the case database reads; the record is kept in the evidence file, not in the timeline`,
        };
      return p;
    } catch (e) {
      const deep = e instanceof RangeError && /call stack/i.test(e.message);
      return {
        error: deep
          ? `record ${recordNo}: nested too deeply to be read (${jsonError(e)}); the record is kept in the evidence file, not in the timeline`
          : `record ${recordNo}: could not be read (${jsonError(e)}); the record is kept in the evidence file, not in the timeline`,
      };
    }
  }

  /**
   * Import-time detection on the record already parsed here (no second parse): CloudTrail events only,
   * as a rescan does, and on the object the stored record reads back as, so import and rescan agree.
   */
  private matched(p: Parsed, record: unknown): Parsed {
    const match = this.options.match;
    if (match && 'event' in p && p.event.source === 'cloudtrail') {
      try {
        const hits = match(record);
        if (hits.length) p.event.hits = hits;
      } catch {
        // A rule that fails on a record never costs the record: it is kept, flagged so the gap is visible.
        p.event.issues.push('detection-failed');
      }
    }
    return p;
  }

  private splitter(base: number, lineNo: number | null): JsonSplitter {
    return new JsonSplitter(
      (v) => this.value(v, base, lineNo),
      this.options.maxLine,
      (_start, bytes) =>
        this.emit({
          error: `record ${++this.recordNo}: ${mb(bytes)} in one record, more than Lariat reads at once (${mb(this.options.maxLine)}); split the file`,
        }),
    );
  }

  line(item: LineItem): void {
    this.lastLine = item.lineNo;
    if ('tooLong' in item) {
      this.flushBroken();
      this.emit({
        error: `line ${item.lineNo} (record ${++this.recordNo}): ${Math.round(item.tooLong / 1048576)} MB on one line, more than Lariat reads at once (${Math.round(this.options.maxLine / 1048576)} MB); split the file`,
      });
      if (this.mode === null) this.mode = 'lines';
      return;
    }
    let bytes = item.bytes;
    let offset = item.offset;
    if (item.lineNo === 1 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
      bytes = bytes.subarray(3);
      offset += 3;
    }
    if (this.mode === 'document') {
      this.doc!.feed(bytes);
      this.doc!.feed(NEWLINE);
      return;
    }
    // A CRLF line's \r stays in what the JSON splitter sees (it is whitespace there, and offsets stay exact).
    const text = bytes.length && bytes[bytes.length - 1] === 0x0d ? bytes.subarray(0, -1) : bytes;
    if (this.mode === 'flow') return this.flowLine(text.toString('utf8'), offset, text.length);
    // Leading blanks of a line do not count as its start.
    let lead = 0;
    while (lead < bytes.length && (bytes[lead] === 0x20 || bytes[lead] === 0x09)) lead++;
    if (lead === bytes.length) return;
    const first = bytes[lead];
    if (this.mode === null) {
      const unreadable = unreadableText(bytes);
      if (unreadable) {
        this.mode = 'flow';
        this.flowFields = [];
        this.emit({ error: `line 1: ${unreadable}` });
        return;
      }
      // A first line that is JSON but no object or list (`"text"`, `42`): read as NDJSON, so it is refused as the record it is.
      if (first === 0x7b || first === 0x5b || isJsonText(text)) {
        const s = this.splitter(offset, item.lineNo);
        s.feed(bytes);
        if (s.finish()) this.mode = 'lines';
        else {
          // Not a value on its own: a document over several lines (or one cut short).
          this.mode = 'document';
          this.doc = s;
          s.feed(NEWLINE);
        }
        return;
      }
      const line = text.toString('utf8').trim();
      const header = flowHeader(line);
      if (header) {
        this.mode = 'flow';
        this.flowFields = header;
        return;
      }
      if (this.options.flowFields || looksLikeDefaultFlowRecord(line)) {
        this.mode = 'flow';
        return this.flowLine(text.toString('utf8'), offset, text.length);
      }
      const fields = looksLikeFlowRecord(line);
      this.mode = 'flow';
      this.flowFields = [];
      this.emit({
        error: fields
          ? `line ${item.lineNo}: a VPC flow log without a header line, in a custom format (${fields === 14 ? "14 fields like the default version 2 format's, but not its values: start a number, action ACCEPT, REJECT or -" : `${fields} fields, not the default version 2 format's 14`}); give its format (the flow log's LogFormat, from aws ec2 describe-flow-logs) with --flow-format "\${version} \${account-id} ..." and import it again`
          : `line ${item.lineNo}: not JSON and not a VPC flow log header or record; this is not a format Lariat imports (${FORMATS_READ})`,
      });
      return;
    }
    // One value per line.
    this.flushBroken();
    const before = this.recordNo;
    const s = this.splitter(offset, item.lineNo);
    s.feed(bytes);
    if (!s.finish()) this.brokenLine = { lineNo: item.lineNo, text: bytes.toString('utf8'), records: this.recordNo - before };
  }

  private flowLine(text: string, offset: number, length: number): void {
    const t = text.trim();
    if (t === '' || flowHeader(t)) return;
    if (this.flowFields.length === 0) return; // refused above: header-less custom format
    this.emit(
      this.isolated(++this.recordNo, () => {
        const p = parseFlowRecord(t, this.flowFields, this.recordNo);
        if ('event' in p) p.event.ref = { offset, length, kind: RAW_LINE };
        return p;
      }),
    );
  }

  /** A line that did not close its value, followed by another line: it is malformed. */
  private flushBroken(): void {
    const b = this.brokenLine;
    if (!b) return;
    this.brokenLine = null;
    let message = 'the line ends inside a JSON value';
    try {
      JSON.parse(b.text);
    } catch (e) {
      message = jsonError(e);
    }
    this.emit({ error: `line ${b.lineNo} (record ${++this.recordNo}): malformed JSON: ${message}` });
  }

  /** The end of the file, or of what could be read (`readError`: a truncated .gz, data after its last member, a read failure). */
  end(readError?: ReadError): void {
    const kept = () =>
      `the ${this.recordNo} complete record${this.recordNo === 1 ? '' : 's'} before the cut ${this.recordNo === 1 ? 'was' : 'were'} read`;
    let cut: string | null = null;
    if (this.brokenLine) {
      // The last line stops inside its value: the file was cut there.
      const b = this.brokenLine;
      this.brokenLine = null;
      cut = `line ${b.lineNo} stops inside a record`;
    }
    if (this.mode === 'document' && this.doc && !this.doc.finish()) {
      cut = this.doc.insideRecord
        ? `it stops inside record ${this.recordNo + 1}`
        : `it stops after record ${this.recordNo}, before the closing brackets`;
    }
    if (readError === 'truncated-gzip') {
      this.truncated = true;
      this.emit({
        error: `after line ${this.lastLine}: the compressed file is truncated (a .gz cut short)${cut ? `; ${cut}` : ''}; ${kept()}; download the file again to get the rest`,
      });
      return;
    }
    if (typeof readError === 'object') {
      this.truncated = true;
      const n = readError.trailingBytes;
      this.emit({
        error: `after line ${this.lastLine}: ${n} byte${n === 1 ? '' : 's'} after the end of the compressed data ${n === 1 ? 'is' : 'are'} not gzip data (two files joined, or a damaged copy) and ${n === 1 ? 'was' : 'were'} not read${cut ? `; ${cut}` : ''}; ${kept().replace('before the cut', 'before them')}; get the file again from its source to check what they are`,
      });
      return;
    }
    if (readError) {
      this.truncated = true;
      this.emit({ error: `after line ${this.lastLine}: reading failed (${readError}); ${kept()}` });
      return;
    }
    if (cut) {
      this.truncated = true;
      this.emit({ error: `the file is truncated: ${cut}; ${kept()}; download the file again to get the rest` });
    }
  }
}

const NEWLINE = Buffer.from('\n');

/** Whether a line is one JSON value (tried on a file's first line only, when it does not start with `{` or `[`). */
function isJsonText(line: Buffer): boolean {
  try {
    JSON.parse(line.toString('utf8'));
    return true;
  } catch {
    return false;
  }
}

/**
 * What a file's first bytes say it is when Lariat cannot read it as text, with what to do: UTF-16 (what Windows
 * PowerShell 5 writes for `aws ... > file.json`), or gzip inside gzip. Null for anything else. Both were refused as
 * "not JSON", which sent the investigator looking for a broken export.
 */
function unreadableText(b: Buffer): string | null {
  const bom = (b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff);
  // Without a byte order mark: ASCII text in UTF-16 puts a NUL beside every character (`{\0"\0` or `\0{\0"`).
  const le = b.length >= 4 && b[0] !== 0 && b[1] === 0 && b[2] !== 0 && b[3] === 0;
  const be = b.length >= 4 && b[0] === 0 && b[1] !== 0 && b[2] === 0 && b[3] !== 0;
  const utf16 = bom || le || be;
  if (utf16)
    return 'the file is UTF-16 text (as Windows PowerShell 5 writes `aws ... > file`); Lariat reads UTF-8: convert it (PowerShell: Get-Content in.json | Set-Content -Encoding utf8 out.json; or iconv -f UTF-16 -t UTF-8) and import the copy';
  if (isGzip(b)) return 'the file is compressed twice (gzip inside gzip); gunzip it once (gunzip -c file.gz > file) and import the result';
  return null;
}

/**
 * Streams one file (plain or gzip) and yields its records in batches (see
 * RecordReader). Each bad record or line becomes an error naming its
 * record/line number; good ones are kept, also when the file is cut short.
 */
export async function* parseFile(
  file: string,
  options: ParseOptions = defaultParseOptions,
  summary?: (s: ReaderSummary) => void,
): AsyncGenerator<ParsedBatch> {
  let batch: Parsed[] = [];
  const reader = new RecordReader((p) => batch.push(p), options);
  const lines = readLines(openMaybeGzip(file, options.onRead), options.maxLine);
  try {
    for await (const item of lines) {
      reader.line(item);
      if (batch.length >= options.batchSize) {
        yield { items: batch };
        batch = [];
      }
    }
    reader.end();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    reader.end(
      e instanceof TrailingGzipData
        ? { trailingBytes: e.trailingBytes }
        : code === 'Z_BUF_ERROR' || /unexpected end/i.test(jsonError(e))
          ? 'truncated-gzip'
          : jsonError(e),
    );
  }
  summary?.(reader.summary());
  if (batch.length) yield { items: batch };
}
