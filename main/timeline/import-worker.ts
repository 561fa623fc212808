import { Worker } from 'node:worker_threads';
import { SEARCH_KEYS } from './event-store';
import { classify, leaves, type ParsedBatch } from './importers/parse-file';

/** What the worker made of a whole-document file: each record's JSON text and its full-text form. */
export interface PreParsed {
  raws: string[];
  search: string[];
  bytes: number;
}

/** Files up to this size (also after gunzip) are pre-parsed whole by the worker; bigger ones stream in-thread (flat memory). */
export const WORKER_MAX_BYTES = 64 * 1024 * 1024;

// Inline so it runs unchanged from source (tsx, vitest) and from the esbuild bundles in dist/;
// `leaves` is self-contained, so its source text runs in the worker as is. The worker only
// takes files that are one JSON document (CloudTrail's delivery format, `{"Findings":[...]}`,
// arrays, pretty-printed or not); anything else — NDJSON, flow logs, malformed or truncated
// input — answers `null` and the file goes through the streaming parser with its exact
// per-line and per-record messages.
const WORKER_CODE = `
const { parentPort } = require('node:worker_threads');
const fs = require('node:fs');
const zlib = require('node:zlib');
// tsx compiles with keepNames, which wraps named functions in \`__name(fn, "name")\`.
const __name = (fn) => fn;
const KEYS = new RegExp(${JSON.stringify(SEARCH_KEYS.source)}, 'g');
const leaves = ${leaves.toString()};
function document(file, maxBytes) {
  const size = fs.statSync(file).size;
  if (size > maxBytes) return null;
  let buf = fs.readFileSync(file);
  if (buf[0] === 0x1f && buf[1] === 0x8b) buf = zlib.gunzipSync(buf, { maxOutputLength: maxBytes });
  let text = buf.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const t = text.trim();
  if (t[0] !== '{' && t[0] !== '[') return null;
  // The streaming parser reads a file whose first line is JSON by itself as NDJSON.
  const start = text.indexOf(t[0]);
  const nl = text.indexOf('\\n', start);
  if (nl !== -1 && text.slice(nl).trim() !== '') {
    try { JSON.parse(text.slice(start, nl)); return null; } catch {}
  }
  const items = leaves(JSON.parse(t));
  const raws = new Array(items.length);
  const search = new Array(items.length);
  for (let i = 0; i < items.length; i++) {
    raws[i] = JSON.stringify(items[i]);
    search[i] = raws[i].replace(KEYS, ' ');
  }
  return { raws, search, bytes: size };
}
parentPort.on('message', ({ id, file, maxBytes }) => {
  let result = null;
  try { result = document(file, maxBytes); } catch { result = null; }
  parentPort.postMessage({ id, result });
});
`;

/**
 * One worker thread that reads, parses and re-serialises whole-document
 * files (and computes their full-text form) one file ahead of the main
 * thread, which inserts: on two cores, parsing no longer waits for SQLite.
 * A worker failure never fails an import: the file is parsed in-thread.
 */
export class ParseWorker {
  private worker: Worker | null = null;
  private broken = false;
  private nextId = 0;
  private readonly pending = new Map<number, (r: PreParsed | null) => void>();

  constructor(private readonly maxBytes = WORKER_MAX_BYTES) {}

  /** Pre-parses a file; `null` means "stream it in-thread". */
  parse(file: string): Promise<PreParsed | null> {
    const w = this.start();
    if (!w) return Promise.resolve(null);
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      w.postMessage({ id, file, maxBytes: this.maxBytes });
    });
  }

  /** Ends the thread; requests still waiting (and any later ones) answer `null`. */
  close(): void {
    const w = this.worker;
    this.broken = true;
    this.worker = null;
    this.fail();
    void w?.terminate();
  }

  private start(): Worker | null {
    if (this.worker || this.broken) return this.worker;
    try {
      const w = new Worker(WORKER_CODE, { eval: true });
      w.on('message', (m: { id: number; result: PreParsed | null }) => {
        this.pending.get(m.id)?.(m.result);
        this.pending.delete(m.id);
      });
      const down = () => {
        this.broken = true;
        this.worker = null;
        this.fail();
      };
      w.on('error', down);
      w.on('exit', down);
      this.worker = w;
      return w;
    } catch {
      this.broken = true;
      return null;
    }
  }

  /** Answers every waiting request with "parse in-thread". */
  private fail(): void {
    for (const resolve of this.pending.values()) resolve(null);
    this.pending.clear();
  }
}

/** Turns a pre-parsed file into the same batches `parseFile` yields for it. */
export function* preParsedBatches(pre: PreParsed, batchSize: number): Generator<ParsedBatch & { search: (string | undefined)[] }> {
  for (let start = 0; start < pre.raws.length; start += batchSize) {
    const end = Math.min(pre.raws.length, start + batchSize);
    const items: ParsedBatch['items'] = [];
    const search: (string | undefined)[] = [];
    for (let i = start; i < end; i++) {
      const raw = pre.raws[i]!;
      const p = classify(JSON.parse(raw), i + 1, raw);
      items.push(p);
      // Findings serialise their own raw text; only reuse the worker's when it is the same text.
      search.push('event' in p && p.event.raw === raw ? pre.search[i] : undefined);
    }
    yield { items, search };
  }
}
