import crypto from 'node:crypto';
import canonicalize from 'canonicalize';
import { canonicalOf } from './canonical';
import type { CheckpointInfo, CheckpointText } from '../../common/contract/custody';
import { hashBody } from './entry';
import { verifyBytes } from './keys';

/** `format` of a checkpoint body: the ledger of `case` had `seq` entries, the newest hashing to `hash`, at `at`. */
export const CHECKPOINT_FORMAT = 'lariat-custody-checkpoint';

/**
 * A checkpoint is two lines of text, so it can be printed in a report, kept
 * in a file, pasted into a verifier or checked with openssl alone:
 *
 *   {"at":"…","case":"IR-2026-0001","format":"lariat-custody-checkpoint","hash":"…","seq":9,"signer":{"fingerprint":"…","name":"…"},"v":1}
 *   <base64 Ed25519 signature over the raw SHA-256 of line 1>
 *
 * Line 1 is RFC 8785 canonical JSON, signed exactly like a custody entry.
 * The head of every ledger is such a checkpoint, signed by the actor of its
 * newest entry; reports, exports and bundles carry one signed by their author.
 */
export function makeCheckpoint(
  info: Omit<CheckpointInfo, 'signer'>,
  signer: { name: string; fingerprint: string; sign(m: Uint8Array): Buffer },
): CheckpointText {
  const body = {
    at: info.at,
    case: info.case,
    format: CHECKPOINT_FORMAT,
    hash: info.hash,
    seq: info.seq,
    signer: { fingerprint: signer.fingerprint, name: signer.name },
    v: 1,
  };
  const line = canonicalize(body)!;
  const signature = signer.sign(hashBody(line)).toString('base64');
  return { ...info, signer: { name: signer.name, fingerprint: signer.fingerprint }, text: `${line}\n${signature}\n` };
}

export interface ParsedCheckpoint extends CheckpointInfo {
  /** The exact signed line. */
  line: string;
  signature: Buffer;
}

/** Reads a checkpoint's text; returns a reason instead when it is not one. Never checks the signature (see `checkpointSignedBy`). */
export function parseCheckpoint(text: string): ParsedCheckpoint | string {
  const lines = text.replace(/\r\n/g, '\n').replace(/^\s+/, '').split('\n');
  const line = lines[0] ?? '';
  const sigText = (lines[1] ?? '').trim();
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return 'its first line is not JSON';
  }
  const b = raw as Record<string, unknown>;
  const signer = b.signer as Record<string, unknown> | undefined;
  if (
    b.format !== CHECKPOINT_FORMAT ||
    b.v !== 1 ||
    typeof b.case !== 'string' ||
    typeof b.seq !== 'number' ||
    !Number.isInteger(b.seq) ||
    b.seq < 0 ||
    typeof b.hash !== 'string' ||
    !/^[0-9a-f]{64}$/.test(b.hash) ||
    typeof b.at !== 'string' ||
    typeof signer?.fingerprint !== 'string' ||
    !/^[0-9a-f]{64}$/.test(signer.fingerprint) ||
    typeof signer.name !== 'string'
  )
    return 'it is not a Lariat custody checkpoint';
  if (canonicalOf(raw) !== line) return 'its first line is not in canonical form (it was edited)';
  if (!/^[A-Za-z0-9+/]{86}==$/.test(sigText)) return 'its second line is not a base64 Ed25519 signature';
  return {
    case: b.case,
    seq: b.seq,
    hash: b.hash,
    at: b.at,
    signer: { name: signer.name, fingerprint: signer.fingerprint },
    line,
    signature: Buffer.from(sigText, 'base64'),
  };
}

/** True when the checkpoint's signature verifies with `key` (whose fingerprint the caller matched to the signer). */
export function checkpointSignedBy(cp: ParsedCheckpoint, key: crypto.KeyObject): boolean {
  return verifyBytes(key, hashBody(cp.line), cp.signature);
}

/** "checkpoint of IR-2026-0001 at entry 9 (signed by Ada Analyst, key …, at …)": how messages name a checkpoint. */
export function describeCheckpoint(cp: CheckpointInfo): string {
  return `checkpoint of ${cp.case} at entry ${cp.seq} (signed by ${cp.signer.name}, key ${cp.signer.fingerprint}, at ${cp.at})`;
}
