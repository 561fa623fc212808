// The search thread (bundled by threads/thread-code.ts): writes the full-text
// index, in its own database file, while the main thread writes events. Each
// message is one transaction; every message is answered with its sequence
// number (and the error, if it failed).
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';
import type BetterSqlite3 from 'better-sqlite3';
import { ipTokensOf, stripKeysInPlace } from '../search-text';

interface Start {
  sqlite: string;
  nativeBinding?: string;
  file: string;
  hashBytes: number;
  automerge: number;
}
type Message =
  | { type: 'add'; seq: number; parts: { ids: Float64Array; raw?: Uint8Array; texts?: string[] }[] }
  | { type: 'finish'; seq: number; hashBytes: number; automerge: number };

const start = workerData as Start;
const RS = 0x1e;
const Database = createRequire(start.sqlite)(start.sqlite) as typeof BetterSqlite3;
const db = new Database(start.file, start.nativeBinding ? { nativeBinding: start.nativeBinding } : {});
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('busy_timeout = 10000');
const insert = db.prepare('INSERT INTO timeline_fts (rowid, raw) VALUES (?, ?)');
const config = db.prepare('INSERT INTO timeline_fts (timeline_fts, rank) VALUES (?, CAST(? AS INTEGER))');
// Terms pending before FTS5 writes a segment (default 1 MiB): one segment per batch, not several that merges rewrite.
config.run('hashsize', start.hashBytes);
// Segments of one level merged only once there are this many (default 4): fewer rewrites of the same terms while a big import runs.
config.run('automerge', start.automerge);

const add = db.transaction((m: Extract<Message, { type: 'add' }>) => {
  for (const p of m.parts) {
    // Id 0: a record skipped as a duplicate.
    if (p.raw) addRaw(p.ids, p.raw);
    else for (let i = 0; i < p.ids.length; i++) if (p.ids[i]) insert.run(p.ids[i], p.texts![i]);
  }
});

/** A record's stripped bytes with its IP tokens after them; grown when a record needs more. */
let scratch = Buffer.alloc(64 * 1024);

/**
 * Packed raw JSON is turned into its full-text form here, off the threads that parse and insert:
 * keys stripped in place, each record's bytes bound as they are (FTS5 reads a blob as UTF-8 text),
 * followed by the tokens of its IPv4 addresses when it has any (searchText's form, byte for byte).
 */
function addRaw(ids: Float64Array, raw: Uint8Array): void {
  if (raw.length === 0) return;
  const buf = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  const end = stripKeysInPlace(buf);
  let start = 0;
  for (let i = 0; i < ids.length; i++) {
    let stop = buf.indexOf(RS, start);
    if (stop < 0 || stop > end) stop = end;
    if (ids[i]) insert.run(ids[i], withIpTokens(buf, start, stop));
    start = stop + 1;
  }
}

function withIpTokens(buf: Buffer, start: number, stop: number): Buffer {
  const tokens = ipTokensOf(buf, start, stop);
  if (tokens === '') return buf.subarray(start, stop);
  const need = stop - start + tokens.length;
  if (scratch.length < need) scratch = Buffer.alloc(Math.max(need, scratch.length * 2));
  buf.copy(scratch, 0, start, stop);
  // better-sqlite3 copies a bound buffer: the scratch is free again once the insert returns.
  scratch.write(tokens, stop - start, 'latin1');
  return scratch.subarray(0, need);
}

parentPort!.on('message', (m: Message) => {
  try {
    if (m.type === 'add') add(m);
    else {
      config.run('hashsize', m.hashBytes);
      config.run('automerge', m.automerge);
      db.close();
    }
    parentPort!.postMessage({ seq: m.seq });
  } catch (err) {
    parentPort!.postMessage({ seq: m.seq, error: err instanceof Error ? err.message : String(err) });
  }
});
