import crypto from 'node:crypto';
import canonicalize from 'canonicalize';
import type { CustodyBody, CustodyEntry } from '../../common/contract/custody';

/** `prev` of the first entry of every ledger. */
export const GENESIS = '0'.repeat(64);

/** RFC 8785 canonical JSON of an entry body: the exact bytes that are hashed. */
export function canonicalBody(body: CustodyBody): string {
  const text = canonicalize(body);
  if (text === undefined) throw new Error('custody entry body is not serialisable');
  return text;
}

/** SHA-256 of the canonical body (UTF-8); its raw 32 bytes are what Ed25519 signs. */
export function hashBody(canonical: string): Buffer {
  return crypto.createHash('sha256').update(canonical, 'utf8').digest();
}

export interface LedgerRow {
  id: number;
  case_id: number;
  seq: number;
  evidence_id: number | null;
  action: string;
  at: string;
  actor_fp: string;
  body: string;
  prev_hash: string;
  hash: string;
  signature: string;
  counter_fp: string | null;
  counter_signature: string | null;
}

export function toEntry(row: LedgerRow): CustodyEntry {
  const body = JSON.parse(row.body) as CustodyBody;
  return { ...body, hash: row.hash, signature: row.signature, counterSignature: row.counter_signature };
}
