import type crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { CheckpointInfo } from '../../common/contract/custody';
import { checkpointSignedBy, parseCheckpoint, type ParsedCheckpoint } from './checkpoint';
import { type Problem, short } from './ledger-check';

/** The copy of the signed head kept outside the database, in the case's vault folder (name kept from the unsigned format). */
export const HEAD_FILE = '.custody-head.json';

/** Two fixed slots, written alternately (by the parity of the sequence number): a torn write spoils one, never both. */
const SLOT = 4096;
const FILE_SIZE = 2 * SLOT;

export type HeadFile =
  | { kind: 'missing' }
  | { kind: 'legacy'; seq: number; hash: string }
  | { kind: 'signed'; checkpoints: ParsedCheckpoint[] }
  | { kind: 'unreadable' };

/** Reads the head file of a case folder: the signed slots (newest first), the unsigned format of earlier Lariat, or nothing. */
export function readHeadFile(dir: string): HeadFile {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(path.join(dir, HEAD_FILE));
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? { kind: 'missing' } : { kind: 'unreadable' };
  }
  const text = bytes.toString('utf8');
  if (text.startsWith('{"seq":')) {
    try {
      const v = JSON.parse(text.trim()) as { seq?: unknown; hash?: unknown };
      if (typeof v.seq === 'number' && typeof v.hash === 'string') return { kind: 'legacy', seq: v.seq, hash: v.hash };
    } catch {
      // falls through: unreadable
    }
    return { kind: 'unreadable' };
  }
  const checkpoints: ParsedCheckpoint[] = [];
  for (let off = 0; off < bytes.length; off += SLOT) {
    const cp = parseCheckpoint(
      bytes
        .subarray(off, off + SLOT)
        .toString('utf8')
        .trim(),
    );
    if (typeof cp !== 'string') checkpoints.push(cp);
  }
  if (checkpoints.length === 0) return { kind: 'unreadable' };
  return { kind: 'signed', checkpoints: checkpoints.sort((a, b) => b.seq - a.seq) };
}

/**
 * Writes a signed head into its slot of the case folder's head file. Called
 * after the database transaction that holds the same head committed; a crash
 * in between leaves the file behind the database, which is normal (the
 * ledger still extends it). The first write is fsynced with its folder.
 * `reset` clears the other slot too (after a reseal, an older or forged slot must not linger).
 */
export function writeHeadFile(dir: string, seq: number, text: string, reset = false): void {
  const file = path.join(dir, HEAD_FILE);
  const slot = Buffer.alloc(SLOT, ' ');
  slot.write(text, 0, 'utf8');
  let fd: number | null = null;
  try {
    fd = fs.openSync(file, fs.constants.O_RDWR);
    if (!reset && fs.fstatSync(fd).size === FILE_SIZE) {
      fs.writeSync(fd, slot, 0, SLOT, (seq % 2) * SLOT);
      return;
    }
  } catch {
    // no file yet: created below
  } finally {
    if (fd !== null) fs.closeSync(fd);
  }
  // New file, the unsigned format of earlier Lariat, or a reset: both slots laid out at once, atomically.
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const whole = Buffer.alloc(FILE_SIZE, ' ');
  slot.copy(whole, (seq % 2) * SLOT);
  const tmp = `${file}.${process.pid}.tmp`;
  const t = fs.openSync(tmp, 'w', 0o600);
  try {
    fs.writeSync(t, whole, 0, FILE_SIZE, 0);
    fs.fsyncSync(t);
  } finally {
    fs.closeSync(t);
  }
  fs.renameSync(tmp, file);
  const dfd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(dfd);
  } finally {
    fs.closeSync(dfd);
  }
}

export interface HeadInputs {
  caseNumber: string;
  /** The newest entry as stored, with the format version of its signed body (null when unreadable). */
  last: { seq: number; hash: string; actor: string | null; v: number | null } | null;
  /** The stored entry at a sequence number, or null. */
  entryAt(seq: number): { hash: string; actor: string | null } | null;
  /** The head row of the database. */
  dbHead: { seq: number; hash: string; checkpoint: string } | null;
  file: HeadFile;
  keyOf(fingerprint: string): crypto.KeyObject | null;
  /** Checks a checkpoint's signature (the ledger memoizes heads it signed or checked: appends check them every time). */
  signedBy?(cp: ParsedCheckpoint, key: crypto.KeyObject): boolean;
}

const who = (cp: CheckpointInfo): string => `signed by ${cp.signer.name} at ${cp.at}`;

/**
 * What is wrong with a ledger's signed heads (the database row and the vault
 * file), in words. A head is valid when it is a checkpoint of this case,
 * signed by the actor of the entry it names. A ledger must reach its heads
 * (else it was truncated) and hold exactly the hashes they name (else it was
 * rewritten or forked). A ledger whose newest entry was written with signed
 * heads (format 2) must have both; one whose newest entry is older (format 1)
 * may have the unsigned head file of earlier Lariat, or none.
 */
export function headProblems(h: HeadInputs): { problems: Problem[]; head: CheckpointInfo | null } {
  const problems: Problem[] = [];
  const last = h.last;
  const lastSeq = last?.seq ?? 0;
  const signedEra = (last?.v ?? 1) >= 2;
  let head: CheckpointInfo | null = null;

  const validFor = (cp: ParsedCheckpoint, where: string): string | null => {
    if (cp.case !== h.caseNumber) return `${where} belongs to case ${cp.case}`;
    const key = h.keyOf(cp.signer.fingerprint);
    if (!key || !(h.signedBy ?? checkpointSignedBy)(cp, key))
      return `${where} is not validly signed by the key it names (${short(cp.signer.fingerprint)})`;
    const entry = h.entryAt(cp.seq);
    if (entry && entry.actor && entry.actor !== cp.signer.fingerprint)
      return `${where} is signed by ${cp.signer.name}, not by the actor of entry ${cp.seq}`;
    return null;
  };
  const against = (cp: CheckpointInfo, where: string): void => {
    if (cp.seq > lastSeq) {
      problems.push({
        kind: 'ledger-truncated',
        seq: lastSeq + 1,
        message: `ledger truncated: it ends at entry ${lastSeq}, but ${where} names entry ${cp.seq} (${short(cp.hash)}, ${who(cp)})`,
      });
      return;
    }
    const entry = h.entryAt(cp.seq);
    if (entry && entry.hash !== cp.hash)
      problems.push({
        kind: 'ledger-forked',
        seq: cp.seq,
        message: `ledger forked: entry ${cp.seq} is ${short(entry.hash)}, but ${where} names ${short(cp.hash)} (${who(cp)})`,
      });
  };

  // The head inside the database.
  if (h.dbHead) {
    const cp = parseCheckpoint(h.dbHead.checkpoint);
    const reason =
      typeof cp === 'string'
        ? `the signed head in the database is not a checkpoint (${cp})`
        : cp.seq !== h.dbHead.seq || cp.hash !== h.dbHead.hash
          ? 'the signed head in the database was altered (its columns differ from the signed checkpoint)'
          : validFor(cp, 'the signed head in the database');
    if (reason || typeof cp === 'string') problems.push({ kind: 'head-invalid', seq: null, message: `signed head invalid: ${reason}` });
    else {
      against(cp, 'its signed head');
      if (cp.seq < lastSeq)
        problems.push({
          kind: 'head-invalid',
          seq: cp.seq + 1,
          message: `signed head behind: it names entry ${cp.seq}, but the ledger goes on to entry ${lastSeq} (entries were added without a signed head)`,
        });
      if (problems.length === 0) head = { case: cp.case, seq: cp.seq, hash: cp.hash, at: cp.at, signer: cp.signer };
    }
  } else if (signedEra) {
    problems.push({
      kind: 'head-missing',
      seq: null,
      message: `signed head missing: entry ${lastSeq} was written with a signed head, but the database holds none (it was deleted)`,
    });
  } else if (lastSeq === 0 && h.file.kind === 'missing') {
    return { problems, head };
  }

  // The copy outside the database.
  const f = h.file;
  if (f.kind === 'missing' || f.kind === 'unreadable') {
    if (signedEra)
      problems.push({
        kind: 'head-missing',
        seq: null,
        message: `signed head missing: the vault's ${HEAD_FILE} is ${f.kind === 'missing' ? 'missing' : 'unreadable'}`,
      });
  } else if (f.kind === 'legacy') {
    if (signedEra)
      problems.push({ kind: 'head-invalid', seq: null, message: `signed head invalid: the vault's ${HEAD_FILE} is not signed` });
    else if (f.seq > lastSeq)
      problems.push({
        kind: 'ledger-truncated',
        seq: lastSeq + 1,
        message: `ledger truncated: it ends at entry ${lastSeq}, but entry ${f.seq} was committed (recorded in the vault's ${HEAD_FILE})`,
      });
    else if (h.entryAt(f.seq) && h.entryAt(f.seq)!.hash !== f.hash)
      problems.push({
        kind: 'ledger-forked',
        seq: f.seq,
        message: `ledger forked: entry ${f.seq} is ${short(h.entryAt(f.seq)!.hash)}, but the vault's ${HEAD_FILE} names ${short(f.hash)}`,
      });
  } else {
    const valid = f.checkpoints.filter((cp) => !validFor(cp, 'x'));
    if (valid.length === 0)
      problems.push({
        kind: 'head-invalid',
        seq: null,
        message: `signed head invalid: the vault's ${HEAD_FILE} ${validFor(f.checkpoints[0]!, 'head')?.replace(/^head /, '') ?? 'is not signed'}`,
      });
    else against(valid[0]!, `the signed head kept in the vault's ${HEAD_FILE}`);
  }
  if (problems.length > 0) head = null;
  return { problems, head };
}
