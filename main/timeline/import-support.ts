import fs from 'node:fs';
import os from 'node:os';
import { hitValuesOf, type PackedFile } from './packed-file';
import type { ImportHit } from './api';

/** Whether the process that owns a running import (`host:pid`) is alive on this host. */
export function ownerAlive(owner: string): boolean {
  const [host, pid] = [owner.slice(0, owner.lastIndexOf(':')), Number(owner.slice(owner.lastIndexOf(':') + 1))];
  if (host !== os.hostname() || !Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const FINDING_KEYS = ['"Findings"', '"findings"', '"SchemaVersion"', '"schemaVersion"'];

/** Finding files are custody kind `finding`; everything else is a `log-export`. Decided from the first 64 KiB. */
export function sniffKind(file: string): 'finding' | 'log-export' {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(65536);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    const head = buf.subarray(0, n);
    if (head[0] === 0x1f && head[1] === 0x8b) return /finding|guardduty/i.test(file) ? 'finding' : 'log-export';
    // Searched as bytes: two 64 KiB strings per file were tenured on the thread that writes the database.
    // "eventName" first: a CloudTrail file names it in its first record, and then none of the four keys is searched for.
    return !head.includes('"eventName"') && FINDING_KEYS.some((k) => head.includes(k)) ? 'finding' : 'log-export';
  } finally {
    fs.closeSync(fd);
  }
}

/** The canonical texts of the events of a packed file that were written (for the batch hook). */
export function packedTexts(p: PackedFile, ids: Float64Array): string[] {
  const all = Buffer.from(p.search.buffer, p.search.byteOffset, p.search.byteLength).toString('utf8').split('\x1e');
  return all.filter((_, i) => ids[i]);
}

/** The hits of a packed file's written events (a duplicate skipped has id 0: its hits are dropped with it). */
export function packedHits(ids: Float64Array, hits: Uint32Array, values?: PackedFile['hitValues'], ts?: Float64Array): ImportHit[] {
  const out: ImportHit[] = [];
  const aligned = ts ? hitValuesOf(values, hits.length / 2) : undefined;
  for (let i = 0; i + 1 < hits.length; i += 2) {
    const eventId = ids[hits[i]!]!;
    if (!eventId) continue;
    out.push(aligned ? { eventId, rule: hits[i + 1]!, values: aligned[i / 2], ts: ts![hits[i]!] } : { eventId, rule: hits[i + 1]! });
  }
  return out;
}
