// The parse thread (bundled by thread-code.ts): reads, parses and classifies
// whole-document files one or more files ahead of the main thread, which only
// writes. Answers `null` for anything that is not one JSON document (NDJSON,
// flow logs, malformed or truncated input, files over the size limit): those
// go through the streaming parser, with its exact per-line messages.
import fs from 'node:fs';
import zlib from 'node:zlib';
import { parentPort } from 'node:worker_threads';
import { leaves } from '../importers/parse-file';
import { pack, transferables, type PackedFile } from '../packed';

function document(file: string, maxBytes: number): PackedFile | null {
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
  const nl = text.indexOf('\n', start);
  if (nl !== -1 && text.slice(nl).trim() !== '') {
    try {
      JSON.parse(text.slice(start, nl));
      return null;
    } catch {
      // not a whole line of JSON: a pretty-printed document
    }
  }
  return pack(leaves(JSON.parse(t)), size);
}

parentPort!.on('message', ({ id, file, maxBytes }: { id: number; file: string; maxBytes: number }) => {
  let result: PackedFile | null = null;
  try {
    result = document(file, maxBytes);
  } catch {
    result = null;
  }
  parentPort!.postMessage({ id, result }, result ? transferables(result) : []);
});
