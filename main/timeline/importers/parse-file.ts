import { isCloudTrailEvent, parseCloudTrail } from './cloudtrail';
import { isAsffFinding, isGuardDutyFinding, parseAsff, parseGuardDuty } from './findings';
import { DEFAULT_FLOW_FIELDS, flowHeader, looksLikeDefaultFlowRecord, parseFlowRecord } from './flowlogs';
import { openMaybeGzip, readLines, type LineItem } from './lines';
import { isObj, type Parsed } from './types';

export interface ParseOptions {
  /** Longest line held in memory; longer lines are rejected with their line number. */
  maxLine: number;
  /** Largest multi-line (pretty-printed) JSON document read whole. */
  maxDocument: number;
  /** Records per yielded batch. */
  batchSize: number;
  /** Called with the number of (compressed) bytes read, for progress. */
  onRead?: (bytes: number) => void;
}

export const defaultParseOptions: ParseOptions = { maxLine: 512 * 1024 * 1024, maxDocument: 512 * 1024 * 1024, batchSize: 5000 };

/** A batch of parsed records (or per-record rejections) and the byte position reached. */
export interface ParsedBatch {
  items: Parsed[];
}

/**
 * Unwraps the containers records arrive in: arrays, `{"Records":[...]}`, `{"Findings":[...]}`, EventBridge envelopes.
 * Self-contained (no outer references): the parse worker runs its source text.
 */
export function leaves(doc: unknown): unknown[] {
  const obj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (Array.isArray(doc))
    return doc.flatMap((d) => (obj(d) && ('detail-type' in d || 'Records' in d || 'Findings' in d) ? leaves(d) : [d]));
  if (!obj(doc)) return [doc];
  if (Array.isArray(doc.Records)) return doc.Records as unknown[];
  if (Array.isArray(doc.Findings)) return doc.Findings as unknown[];
  if (Array.isArray(doc.findings)) return doc.findings as unknown[];
  if ('detail-type' in doc && obj(doc.detail)) {
    const d = doc.detail;
    if (Array.isArray(d.findings)) return d.findings as unknown[];
    if (Array.isArray(d.Findings)) return d.Findings as unknown[];
    return [d];
  }
  return [doc];
}

/** Recognises one record and normalises it; `raw` is its JSON text when already known (`JSON.stringify(item)`). */
export function classify(item: unknown, recordNo: number, raw?: string): Parsed {
  if (!isObj(item))
    return {
      error: `record ${recordNo}: expected a JSON object, found ${Array.isArray(item) ? 'an array' : item === null ? 'null' : typeof item}`,
    };
  if (isCloudTrailEvent(item)) return parseCloudTrail(item, recordNo, raw);
  if (isAsffFinding(item)) return parseAsff(item, recordNo);
  if (isGuardDutyFinding(item)) return parseGuardDuty(item, recordNo);
  const keys = Object.keys(item).slice(0, 6).join(', ');
  return { error: `record ${recordNo}: not a CloudTrail event, GuardDuty finding or Security Hub finding (keys: ${keys || 'none'})` };
}

const jsonError = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * Streams one file (plain or gzip) and yields its records in batches.
 * Recognises, from the first line: one JSON value per line (NDJSON, and
 * CloudTrail's one-line delivery files), a pretty-printed JSON document, or
 * VPC flow logs (header line, or default v2 records). Each bad record or line
 * becomes an error naming its record/line number; good ones are kept.
 */
export async function* parseFile(file: string, options: ParseOptions = defaultParseOptions): AsyncGenerator<ParsedBatch> {
  const lines = readLines(openMaybeGzip(file, options.onRead), options.maxLine);
  let batch: Parsed[] = [];
  let recordNo = 0;
  let mode: 'lines' | 'document' | 'flow' | null = null;
  let flowFields: string[] = DEFAULT_FLOW_FIELDS;
  const doc: string[] = [];
  let docLen = 0;
  let docTooBig = false;
  const push = function* (p: Parsed) {
    batch.push(p);
    if (batch.length >= options.batchSize) {
      yield { items: batch };
      batch = [];
    }
  };
  const pushDoc = function* (value: unknown) {
    for (const leaf of leaves(value)) yield* push(classify(leaf, ++recordNo));
  };

  let lastLine = 0;
  try {
    for await (const item of lines as AsyncIterable<LineItem>) {
      lastLine = item.lineNo;
      if ('tooLong' in item) {
        yield* push({
          error: `line ${item.lineNo} (record ${++recordNo}): ${Math.round(item.tooLong / 1048576)} MB on one line, more than Lariat reads at once (${Math.round(options.maxLine / 1048576)} MB); split the file`,
        });
        if (mode === null) mode = 'lines';
        continue;
      }
      let text = item.text.endsWith('\r') ? item.text.slice(0, -1) : item.text;
      if (item.lineNo === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      if (mode === null) {
        const t = text.trim();
        if (t === '') continue;
        if (t[0] === '{' || t[0] === '[') {
          try {
            const v = JSON.parse(t) as unknown;
            mode = 'lines';
            yield* pushDoc(v);
          } catch {
            mode = 'document';
            doc.push(text);
            docLen += text.length;
          }
          continue;
        }
        const header = flowHeader(t);
        if (header) {
          mode = 'flow';
          flowFields = header;
          continue;
        }
        if (looksLikeDefaultFlowRecord(t)) {
          mode = 'flow';
        } else {
          yield* push({
            error: `line ${item.lineNo}: not JSON and not a VPC flow log header or record; this is not a format Lariat imports (CloudTrail, GuardDuty, Security Hub, VPC Flow Logs)`,
          });
          yield { items: batch };
          return;
        }
      }
      if (mode === 'lines') {
        const t = text.trim();
        if (t === '') continue;
        let v: unknown;
        try {
          v = JSON.parse(t);
        } catch (e) {
          yield* push({ error: `line ${item.lineNo} (record ${++recordNo}): malformed JSON: ${jsonError(e)}` });
          continue;
        }
        yield* pushDoc(v);
      } else if (mode === 'flow') {
        const t = text.trim();
        if (t === '' || flowHeader(t)) continue;
        yield* push(parseFlowRecord(t, flowFields, ++recordNo));
      } else if (!docTooBig) {
        docLen += text.length + 1;
        if (docLen > options.maxDocument) {
          docTooBig = true;
          doc.length = 0;
        } else doc.push(text);
      }
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const what =
      code === 'Z_BUF_ERROR' || /unexpected end/i.test(jsonError(e))
        ? 'the compressed file is truncated'
        : `reading failed (${jsonError(e)})`;
    yield* push({ error: `after line ${lastLine}: ${what}; records before this point were kept` });
    if (mode === 'document') mode = null;
  }
  if (mode === 'document') {
    if (docTooBig) {
      yield* push({
        error: `the file is one JSON document larger than ${Math.round(options.maxDocument / 1048576)} MB spread over many lines; re-export it as one record per line (jq -c '.Records[]')`,
      });
    } else {
      const text = doc.join('\n');
      try {
        yield* pushDoc(JSON.parse(text));
      } catch (e) {
        yield* push({ error: `malformed JSON (${jsonError(e)}); no record of this file could be read` });
      }
    }
  }
  if (batch.length) yield { items: batch };
}
