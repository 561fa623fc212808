// The parse thread (bundled by thread-code.ts): reads, parses and classifies
// files (up to the size limit, also after gunzip) one or more files ahead of
// the main thread, which only writes. It runs the same RecordReader as the
// streaming path, so NDJSON, documents, flow logs and files cut short give the
// same records and messages either way. Answers `null` for a file over the
// limit or unreadable: those stream through the main thread.
import fs from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { gunzipTolerant, isGzip } from '../importers/lines';
import { packBuffer, transferables, type PackedFile } from '../packed';

interface Request {
  id: number;
  file: string;
  maxBytes: number;
  flowFields?: string[];
}

function parse({ file, maxBytes, flowFields }: Request): PackedFile | null {
  const size = fs.statSync(file).size;
  if (size > maxBytes) return null;
  let buf: Buffer = fs.readFileSync(file);
  let truncated = false;
  if (isGzip(buf)) ({ bytes: buf, truncated } = gunzipTolerant(buf, maxBytes));
  return packBuffer(buf, size, { maxLine: maxBytes, flowFields }, truncated ? 'truncated-gzip' : undefined);
}

parentPort!.on('message', (m: Request) => {
  let result: PackedFile | null = null;
  try {
    result = parse(m);
  } catch {
    result = null;
  }
  parentPort!.postMessage({ id: m.id, result }, result ? transferables(result) : []);
});
