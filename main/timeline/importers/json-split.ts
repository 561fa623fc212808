/** Keys whose array value holds the records of an export (delivery files, get-findings, lookup-events, Lake results). */
export const CONTAINER_KEYS = new Set(['Records', 'Findings', 'findings', 'Events', 'QueryResultRows']);

/** One complete JSON value found in the byte stream: a container element, or a whole top-level value. */
export interface SplitValue {
  /** Absolute byte offset of its first byte (in the decompressed stream). */
  start: number;
  /** Absolute byte offset one past its last byte. */
  end: number;
  bytes: Buffer;
  /** The container key it came from (`Records`...), `[]` for a top-level array, or null for a whole top-level value. */
  container: string | null;
}

const WS = new Uint8Array(256);
for (const c of [0x20, 0x09, 0x0a, 0x0d]) WS[c] = 1;

/** Index of the quote that ends a string whose content starts at `from` (escapes skipped), or -1 if it is not in `buf`. */
function closingQuote(buf: Buffer, from: number): number {
  let at = from;
  for (;;) {
    const q = buf.indexOf(0x22, at);
    if (q < 0) return -1;
    let k = q - 1;
    while (k >= from && buf[k] === 0x5c) k--;
    if ((q - 1 - k) % 2 === 0) return q;
    at = q + 1;
  }
}

/**
 * Finds the records of JSON exports in a byte stream without parsing it: the
 * elements of `{"Records":[...]}` (and the other container keys) or of a
 * top-level array, or each whole top-level value (NDJSON). It tracks only
 * nesting and strings, so it runs at memory speed, keeps nothing but the
 * record being read, and knows, when the stream stops, which records were
 * complete: a delivery file cut at 200 KB still gives its complete records.
 * Values are checked by JSON.parse afterwards, not here.
 */
export class JsonSplitter {
  private depth = 0;
  private inStr = false;
  private esc = false;
  /** Depth at which container elements sit (1 for a top-level array, 2 under a container key); 0 when none. */
  private elemDepth = 0;
  private container: string | null = null;
  /** The current top-level value found a container (its elements are the records, not the value itself). */
  private found = false;
  /** At depth 1 of a top-level object: the next string is a key. */
  private expectKey = false;
  private keyBuf = '';
  private capturingKey = false;
  private lastKey: string | null = null;
  private afterColon = false;
  /** A scalar (number, literal) value is being read at this depth, or -1. */
  private scalarDepth = -1;
  /** Start (absolute) of the value being captured (element or top-level value), or -1. */
  private capStart = -1;
  private capDepth = 0;
  private capParts: Buffer[] = [];
  private capLen = 0;
  /** Bytes of the capture dropped because it grew past the limit (counted, not held). */
  private skipped = 0;
  /** Records found so far (elements and whole values). */
  count = 0;
  /** Bytes fed so far. */
  offset = 0;

  constructor(
    private readonly onValue: (v: SplitValue) => void,
    private readonly maxRecord = 512 * 1024 * 1024,
    private readonly onTooLong?: (start: number, bytes: number) => void,
    /** `false`: every byte through the general loop (the reference the tests hold the fast loop to). */
    private readonly nestedFastPath = true,
  ) {}

  /** True when nothing is open: every value fed so far was complete. */
  get complete(): boolean {
    return this.depth === 0 && !this.inStr && this.scalarDepth < 0 && this.capStart < 0;
  }

  /** Whether the stream stopped inside a record (its bytes are lost) rather than between records. */
  get insideRecord(): boolean {
    return this.capStart >= 0;
  }

  /** True once a top-level value has started: a top-level container or value is open. */
  get open(): boolean {
    return !this.complete;
  }

  feed(chunk: Buffer): void {
    const base = this.offset;
    const n = chunk.length;
    let i = 0;
    let segStart = this.capStart >= 0 ? 0 : -1;
    const startCapture = (at: number, depthOfValue: number) => {
      this.capStart = base + at;
      this.capDepth = depthOfValue;
      this.capParts = [];
      this.capLen = 0;
      this.skipped = 0;
      segStart = at;
    };
    const endCapture = (endAt: number) => {
      // endAt: index in chunk one past the value's last byte
      const start = this.capStart;
      const end = base + endAt;
      let bytes: Buffer;
      if (this.skipped > 0) {
        this.onTooLong?.(start, end - start);
        this.capStart = -1;
        this.capParts = [];
        segStart = -1;
        this.count++;
        return;
      }
      if (this.capParts.length === 0) bytes = chunk.subarray(segStart, endAt);
      else bytes = Buffer.concat([...this.capParts, chunk.subarray(0, endAt)], this.capLen + endAt);
      this.capStart = -1;
      this.capParts = [];
      this.capLen = 0;
      segStart = -1;
      this.count++;
      this.onValue({ start, end, bytes, container: this.capDepth === 0 ? null : this.container });
    };
    if (this.esc && this.inStr && i < n) {
      this.esc = false;
      i++;
    }
    while (i < n) {
      if (
        this.nestedFastPath &&
        !this.inStr &&
        this.capStart >= 0 &&
        this.depth > this.capDepth &&
        this.depth >= 2 &&
        this.scalarDepth < 0
      ) {
        i = this.skipNested(chunk, i);
        if (i >= n) break;
      }
      if (this.inStr) {
        const q = chunk.indexOf(0x22, i);
        if (q < 0) {
          let k = n - 1;
          while (k >= i && chunk[k] === 0x5c) k--;
          if ((n - 1 - k) % 2 === 1) this.esc = true;
          if (this.capturingKey) this.keyBuf += chunk.toString('latin1', i, Math.min(n, i + 64));
          i = n;
          break;
        }
        let k = q - 1;
        while (k >= i && chunk[k] === 0x5c) k--;
        if ((q - 1 - k) % 2 === 1) {
          if (this.capturingKey) this.keyBuf += chunk.toString('latin1', i, Math.min(q + 1, i + 64));
          i = q + 1;
          continue;
        }
        if (this.capturingKey) {
          this.keyBuf += chunk.toString('latin1', i, Math.min(q, i + 64));
          this.lastKey = this.keyBuf;
          this.capturingKey = false;
        }
        this.inStr = false;
        i = q + 1;
        // A string element (or top-level string) ends here.
        if (this.capStart >= 0 && this.depth === this.capDepth) endCapture(i);
        continue;
      }
      const c = chunk[i]!;
      if (WS[c]) {
        if (this.scalarDepth >= 0 && this.scalarDepth === this.depth) this.endScalar(i, endCapture);
        i++;
        continue;
      }
      if (this.scalarDepth >= 0) {
        if (c === 0x2c || c === 0x5d || c === 0x7d) this.endScalar(i, endCapture);
        else {
          i++;
          continue;
        }
      }
      // A value starts where one may: at depth 0, or directly inside the container, or after a key.
      const valueStart = c !== 0x2c && c !== 0x3a && c !== 0x5d && c !== 0x7d;
      if (valueStart && this.capStart < 0) {
        if (this.depth === 0) {
          this.found = false;
          this.elemDepth = 0;
          this.container = null;
          if (c === 0x5b) {
            // A top-level array: its elements are the records.
            this.elemDepth = 1;
            this.container = '[]';
            this.found = true;
          } else startCapture(i, 0);
        } else if (this.elemDepth > 0 && this.depth === this.elemDepth) startCapture(i, this.elemDepth);
      }
      if (c === 0x22) {
        this.inStr = true;
        this.capturingKey = this.depth === 1 && this.expectKey && !this.found;
        if (this.capturingKey) this.keyBuf = '';
        this.expectKey = false;
        i++;
        continue;
      }
      if (c === 0x7b || c === 0x5b) {
        if (this.afterColon && this.depth === 1 && c === 0x5b && !this.found && this.lastKey !== null && CONTAINER_KEYS.has(this.lastKey)) {
          // `{"Records": [`: the top-level value is a container; stop holding it, hold its elements instead.
          this.found = true;
          this.container = this.lastKey;
          this.elemDepth = 2;
          this.capStart = -1;
          this.capParts = [];
          this.capLen = 0;
          segStart = -1;
        }
        this.afterColon = false;
        this.depth++;
        this.expectKey = c === 0x7b && this.depth === 1;
        i++;
        continue;
      }
      if (c === 0x7d || c === 0x5d) {
        this.depth--;
        i++;
        if (this.found && this.elemDepth > 0 && this.depth === this.elemDepth - 1) this.elemDepth = 0; // the container closed
        if (this.capStart >= 0 && this.depth === this.capDepth) endCapture(i);
        continue;
      }
      if (c === 0x2c) {
        if (this.depth === 1) this.expectKey = true;
        this.afterColon = false;
        i++;
        continue;
      }
      if (c === 0x3a) {
        this.afterColon = true;
        i++;
        continue;
      }
      // number, true, false, null
      this.afterColon = false;
      this.scalarDepth = this.depth;
      i++;
    }
    if (this.capStart >= 0 && segStart >= 0) {
      const part = chunk.subarray(segStart, n);
      if (this.skipped > 0 || this.capLen + part.length > this.maxRecord) {
        this.skipped += this.capLen + part.length;
        this.capParts = [];
        this.capLen = 0;
      } else {
        // Copied: the caller may reuse its chunk.
        this.capParts.push(Buffer.from(part));
        this.capLen += part.length;
      }
    }
    this.offset += n;
  }

  /**
   * Inside a record being captured, two levels down or more, only nesting, strings and scalars matter: none
   * of the top-level bookkeeping (container keys, where a value starts, the end of a value at the capture's
   * depth) can happen there. This tight loop walks those bytes (most of a record) with a few comparisons
   * each, and returns where the general loop must take over: the close back to the capture's depth or to
   * level one, a string that does not end in this chunk, or the chunk's end. It keeps the state the general
   * loop keeps there, exactly: `afterColon` (true after `:`, false after `,`, an opening or a scalar's start)
   * and a scalar being read (a number or literal runs to a blank, `,`, `]` or `}`, and a quote or bracket
   * inside one is part of it). json-split.test.ts holds it to the general loop alone over valid, cut and
   * mangled streams in any chunking.
   */
  private skipNested(chunk: Buffer, from: number): number {
    const n = chunk.length;
    let i = from;
    let depth = this.depth;
    let colon = this.afterColon;
    let scalar = false;
    while (i < n) {
      const c = chunk[i]!;
      if (scalar) {
        if (WS[c]) {
          scalar = false;
          i++;
          continue;
        }
        if (c !== 0x2c && c !== 0x5d && c !== 0x7d) {
          i++;
          continue;
        }
        scalar = false;
      }
      if (c === 0x22) {
        const q = closingQuote(chunk, i + 1);
        if (q < 0) break;
        i = q + 1;
        continue;
      }
      if (c === 0x7b || c === 0x5b) {
        depth++;
        colon = false;
      } else if (c === 0x7d || c === 0x5d) {
        if (depth - 1 < 2 || depth - 1 === this.capDepth) break;
        depth--;
      } else if (c === 0x3a) colon = true;
      else if (c === 0x2c) colon = false;
      else if (!WS[c]) {
        colon = false;
        scalar = true;
      }
      i++;
    }
    this.depth = depth;
    this.afterColon = colon;
    if (scalar) this.scalarDepth = depth;
    return i;
  }

  private endScalar(at: number, endCapture: (endAt: number) => void): void {
    this.scalarDepth = -1;
    if (this.capStart >= 0 && this.depth === this.capDepth) endCapture(at);
  }

  /** Ends the stream: a scalar at the very end completes. Returns whether the stream was complete. */
  finish(): boolean {
    if (this.scalarDepth === 0 && this.capStart >= 0 && this.depth === 0) {
      const empty = Buffer.alloc(0);
      const start = this.capStart;
      const bytes = Buffer.concat(this.capParts, this.capLen);
      this.capStart = -1;
      this.scalarDepth = -1;
      this.count++;
      this.onValue({ start, end: start + bytes.length, bytes: bytes.length ? bytes : empty, container: null });
    }
    return this.complete;
  }
}
