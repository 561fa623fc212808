// The parse thread (bundled by thread-code.ts): reads, parses and classifies
// files (up to the size limit, also after gunzip) one or more files ahead of
// the main thread, which only writes. It runs the same RecordReader as the
// streaming path, so NDJSON, documents, flow logs and files cut short give the
// same records and messages either way. Answers `null` for a file over the
// limit or unreadable: those stream through the main thread.
// With detection rules (an `init` message first), each CloudTrail record is
// matched here, on the object just parsed, so matching costs no second parse
// and no time on the thread that writes the database.
import fs from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { gunzipTolerant, isGzip } from '../importers/lines';
import { WholeFileReader } from '../importers/whole-file';
import { packBuffer, packHitValues } from '../packed';
import { transferables, type PackedFile } from '../packed-file';
import { RuleSet } from '../../detection/engine/rule-set';
import type { RuleSource } from '../../detection/engine/types';

interface Request {
  id: number;
  /** A descriptor of the file, opened (and closed) by the main thread: the vault copy, which may be renamed meanwhile. */
  fd: number;
  maxBytes: number;
  flowFields?: string[];
}

/** The rules of the import, built exactly as the main thread builds them (so rule indexes agree). */
interface Init {
  init: { sources: RuleSource[]; disabled: string[] };
}

let rules: RuleSet | null = null;
/** Reads each file into the buffer the previous one used: nothing of a packed file is a view of it. */
const reader = new WholeFileReader();
/** The rules could not be built here: every file is answered `null` (parsed and matched on the main thread). */
let unusable = false;

function parse({ fd, maxBytes, flowFields }: Request): PackedFile | null {
  if (unusable) return null;
  const size = fs.fstatSync(fd).size;
  if (size > maxBytes) return null;
  // null: it grew past the limit since it was measured (streamed in-thread instead, within its limits).
  const whole = reader.read(fd, size, maxBytes);
  if (!whole) return null;
  let buf: Buffer = whole;
  let truncated = false;
  let trailing = 0;
  if (isGzip(buf)) ({ bytes: buf, truncated, trailing } = gunzipTolerant(buf, maxBytes));
  const set = rules;
  // The values correlation rules read from a hit's record, taken now from the object just parsed (one entry per hit, in hit order).
  const values: ((string | null)[] | null)[] | null = set?.keepsValues ? [] : null;
  const match = set
    ? (record: unknown) => {
        const hits = set.matchRecord(record);
        if (values && hits.length) values.push(...set.correlationValues(record, hits));
        return hits;
      }
    : undefined;
  const readError = truncated ? 'truncated-gzip' : trailing ? { trailingBytes: trailing } : undefined;
  const packed = packBuffer(buf, size, { maxLine: maxBytes, flowFields, match }, readError);
  if (values) packed.hitValues = packHitValues(values);
  return packed;
}

parentPort!.on('message', (m: Request | Init) => {
  if ('init' in m) {
    try {
      rules = new RuleSet(m.init.sources, { disabled: m.init.disabled });
    } catch {
      unusable = true;
    }
    return;
  }
  let result: PackedFile | null = null;
  try {
    result = parse(m);
  } catch {
    result = null;
  }
  parentPort!.postMessage({ id: m.id, result }, result ? transferables(result) : []);
});
