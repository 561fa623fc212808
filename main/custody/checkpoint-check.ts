import type crypto from 'node:crypto';
import type { CheckpointReport } from '../../common/contract/custody';
import { checkpointSignedBy, describeCheckpoint, parseCheckpoint } from './checkpoint';
import { type Problem, short } from './ledger-check';

export interface CheckpointContext {
  caseNumber: string;
  /** Number of the newest entry (0 for an empty ledger). */
  lastSeq: number;
  /** The stored hash of entry `seq`, or null when absent. */
  hashAt(seq: number): string | null;
  keyOf(fingerprint: string): crypto.KeyObject | null;
  /** Keys the verification accepts (trust anchors and keys they introduced). */
  accepted: ReadonlyMap<string, string>;
}

/**
 * Checks one checkpoint a verifier was given (kept from an earlier report,
 * export or bundle, or fetched from an anchor): it must be validly signed by
 * an accepted key, and the ledger must still hold the entry it names with
 * the hash it names. A ledger that ends before it was truncated (or is an
 * older copy replayed); one with another hash there was rewritten or forked.
 */
export function checkCheckpoint(
  text: string,
  c: CheckpointContext,
  label: string,
): { report: CheckpointReport | null; problem: Problem | null } {
  const cp = parseCheckpoint(text);
  if (typeof cp === 'string')
    return { report: null, problem: { kind: 'checkpoint-invalid', message: `${label}: not a checkpoint (${cp})` } };
  const info = { case: cp.case, seq: cp.seq, hash: cp.hash, at: cp.at, signer: cp.signer };
  const fail = (problem: Problem): { report: CheckpointReport; problem: Problem } => ({
    report: { ...info, ok: false, message: problem.message },
    problem,
  });
  const named = describeCheckpoint(info);
  if (cp.case !== c.caseNumber)
    return fail({ kind: 'checkpoint-invalid', message: `${label}: the ${named} is for another case than ${c.caseNumber}` });
  const key = c.keyOf(cp.signer.fingerprint);
  if (!key || !checkpointSignedBy(cp, key))
    return fail({ kind: 'checkpoint-invalid', message: `${label}: the ${named} is not validly signed by the key it names` });
  if (!c.accepted.has(cp.signer.fingerprint))
    return fail({ kind: 'checkpoint-invalid', message: `${label}: the ${named} is signed by a key that is not trusted` });
  if (cp.seq > c.lastSeq)
    return fail({
      kind: 'ledger-truncated',
      seq: c.lastSeq + 1,
      message: `ledger truncated: it ends at entry ${c.lastSeq}, but the ${named} names entry ${cp.seq} (${short(cp.hash)})`,
    });
  const actual = c.hashAt(cp.seq);
  if (cp.seq > 0 && actual !== cp.hash)
    return fail({
      kind: 'ledger-forked',
      seq: cp.seq,
      message: `ledger forked: entry ${cp.seq} is ${actual ? short(actual) : 'missing'}, but the ${named} names ${short(cp.hash)}`,
    });
  return { report: { ...info, ok: true, message: `the ledger extends the ${named}` }, problem: null };
}
