import type { CustodyBody, CustodyEntry } from '../../../common/contract/custody';
import { GENESIS, canonicalBody, hashBody } from '../../custody/entry';
import { fingerprintOf, parseEd25519PublicKey, verifyBytes } from '../../custody/keys';
import { BundleRefusal } from './safe-zip';

/** Public keys found in a bundle, by fingerprint (recomputed from the PEM, never taken from the file name). */
export function keysByFingerprint(pems: string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const pem of pems) {
    let fp: string;
    try {
      fp = fingerprintOf(parseEd25519PublicKey(pem));
    } catch {
      throw new BundleRefusal('bad-key', 'A public key in the bundle is not a readable Ed25519 PEM key.');
    }
    map.set(fp, pem);
  }
  return map;
}

/**
 * Checks a custody ledger exported as JSON Lines, exactly as `lariat custody
 * verify` checks the database: consecutive sequence numbers, each entry's
 * hash recomputed over its RFC 8785 body, each `prev` naming the previous
 * hash, and each signature (and counter-signature) valid for a key present
 * in the bundle. Returns the entries; throws the first problem.
 */
export function checkLedger(caseNumber: string, jsonl: string, keys: Map<string, string>): CustodyEntry[] {
  const lines = jsonl.split('\n').filter((l) => l.trim() !== '');
  const entries: CustodyEntry[] = [];
  let prev = GENESIS;
  lines.forEach((line, i) => {
    const n = i + 1;
    let entry: CustodyEntry;
    try {
      entry = JSON.parse(line) as CustodyEntry;
    } catch {
      throw new BundleRefusal('ledger-invalid', `Ledger line ${n} is not valid JSON.`);
    }
    const { hash, signature, counterSignature, ...body } = entry;
    if (body.seq !== n) throw new BundleRefusal('ledger-gap', `Ledger line ${n} holds entry ${body.seq}: gap in sequence.`);
    if (body.case !== caseNumber)
      throw new BundleRefusal('ledger-invalid', `Ledger entry ${n} belongs to case ${String(body.case)}, not ${caseNumber}.`);
    let digest: Buffer;
    try {
      digest = hashBody(canonicalBody(body as CustodyBody));
    } catch {
      throw new BundleRefusal('ledger-invalid', `Ledger entry ${n} cannot be canonicalised.`);
    }
    if (digest.toString('hex') !== hash)
      throw new BundleRefusal('ledger-hash', `Ledger entry ${n}: hash mismatch (its content was changed after signing).`);
    if (body.prev !== prev) throw new BundleRefusal('ledger-chain', `Ledger entry ${n} does not link to entry ${n - 1} (chain broken).`);
    prev = hash;
    checkSignature(n, 'signature', body.actor?.fingerprint, signature, digest, keys);
    if (body.counterparty) checkSignature(n, 'counter-signature', body.counterparty.fingerprint, counterSignature ?? '', digest, keys);
    entries.push(entry);
  });
  return entries;
}

function checkSignature(
  n: number,
  what: string,
  fingerprint: string | undefined,
  signature: string,
  digest: Buffer,
  keys: Map<string, string>,
): void {
  const pem = fingerprint ? keys.get(fingerprint) : undefined;
  if (!pem)
    throw new BundleRefusal(
      'unknown-key',
      `Ledger entry ${n}: the ${what} is by key ${fingerprint ?? '(none)'}, whose public key is not in the bundle.`,
    );
  const raw = Buffer.from(signature, 'base64');
  if (raw.length !== 64 || !verifyBytes(parseEd25519PublicKey(pem), digest, raw)) {
    throw new BundleRefusal('ledger-signature', `Ledger entry ${n}: ${what} invalid.`);
  }
}
