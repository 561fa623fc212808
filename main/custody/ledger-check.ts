import type crypto from 'node:crypto';
import { canonicalOf } from './canonical';
import type { CustodyBody, SignerReport, VerificationProblem } from '../../common/contract/custody';
import { GENESIS, hashBody } from './entry';
import { verifyBytes } from './keys';
import type { TrustRoots } from './trust-store';

export type Problem = Omit<VerificationProblem, 'seq' | 'evidenceId' | 'file'> &
  Partial<Pick<VerificationProblem, 'seq' | 'evidenceId' | 'file'>>;

/** One ledger entry as stored or shipped: its exact signed bytes, claimed hash and signatures. Nothing here is trusted. */
export interface LedgerItem {
  /** Sequence number as stored (the row's column, or the body's own for a shipped ledger). */
  seq: number;
  /** The exact bytes that were hashed (RFC 8785 canonical JSON). */
  canonical: string;
  hash: string;
  signature: string | null;
  counterSignature: string | null;
  evidenceId?: number | null;
}

export interface LedgerCheckOptions {
  caseNumber: string;
  /** The public key with this fingerprint (recomputed from the key, never taken from a name), or null. */
  keyOf(fingerprint: string): crypto.KeyObject | null;
  roots: TrustRoots;
  /** Extra per-entry checks (the database compares its columns with the signed body); a problem skips the entry. */
  extra?(item: LedgerItem, body: CustodyBody): Problem | null;
}

export interface LedgerCheck {
  problems: Problem[];
  /** Bodies whose hash is intact (signature problems are reported separately), by sequence number. */
  bodies: Map<number, CustodyBody>;
  signers: SignerReport[];
  /** Keys accepted at the end of the ledger: anchors, and keys introduced by accepted keys. */
  accepted: Map<string, string>;
  anchored: boolean;
  warnings: string[];
  /** The newest entry as stored (whatever its state). */
  last: { seq: number; hash: string; actor: string | null; v: number | null } | null;
}

/** Roles that make the actor vouch for the counter-party's key (a transfer's receiver, an introduction, a bundle's sender). */
const VOUCHES = new Set(['received-by', 'introduced', 'sent-by']);

export const short = (h: string): string => `${h.slice(0, 12)}…`;

/**
 * The checks every verifier applies to a ledger, whatever it came from (the
 * database, a bundle's ledger.jsonl, a received case): consecutive sequence
 * numbers, each hash recomputed from the exact signed bytes, the chain of
 * `prev` links, every signature with the key of that fingerprint, and that
 * every signer is accepted: a trust anchor, or a key an accepted signer
 * introduced in an earlier (or the same) signed entry. A key that appears
 * nowhere but in the signatures it made, like one inserted into the
 * `investigators` table by someone without anyone's private key, is reported
 * on every entry it signed. When no signer at all is a trust anchor the
 * verdict is "not anchored", and acceptance starts from entry 1's signer so
 * that keys smuggled in later are still named.
 */
export function checkLedgerItems(items: readonly LedgerItem[], o: LedgerCheckOptions): LedgerCheck {
  const problems: Problem[] = [];
  const bodies = new Map<number, CustodyBody>();
  const sigOk = new Map<number, boolean>();
  let expected = 1;
  let prevHash = GENESIS;
  for (const item of items) {
    const seq = item.seq;
    if (seq !== expected)
      problems.push({
        kind: 'sequence-gap',
        seq,
        message: `gap in sequence: entry ${expected}${seq - 1 > expected ? `-${seq - 1}` : ''} is missing (entry ${expected - 1} is followed by ${seq})`,
      });
    expected = seq + 1;
    const prevOfThis = prevHash;
    prevHash = item.hash;
    let body: CustodyBody;
    try {
      body = JSON.parse(item.canonical) as CustodyBody;
    } catch {
      problems.push({ kind: 'row-altered', seq, message: `entry ${seq}: row altered (its signed content is not valid JSON)` });
      continue;
    }
    if (canonicalOf(body) !== item.canonical) {
      problems.push({ kind: 'row-altered', seq, message: `entry ${seq}: row altered (its signed content is not in canonical form)` });
      continue;
    }
    const digest = hashBody(item.canonical);
    if (digest.toString('hex') !== item.hash) {
      problems.push({
        kind: 'hash-mismatch',
        seq,
        evidenceId: item.evidenceId ?? null,
        message: `entry ${seq}: hash mismatch (the entry's content does not hash to its recorded hash ${short(item.hash)}; the row was altered)`,
      });
      continue;
    }
    const shape = shapeProblem(body, seq, o.caseNumber);
    const extra = shape ?? o.extra?.(item, body) ?? null;
    if (extra) {
      problems.push(extra);
      continue;
    }
    bodies.set(seq, body);
    if (body.prev !== prevOfThis)
      problems.push({
        kind: 'chain-broken',
        seq,
        message: `entry ${seq}: chain broken (it names ${short(body.prev)} as the previous entry's hash, but the previous entry's hash is ${short(prevOfThis)})`,
      });
    sigOk.set(seq, checkSignatures(seq, body, digest, item, o.keyOf, problems));
  }
  const trust = acceptance(bodies, sigOk, o.roots, problems);
  const lastItem = items[items.length - 1];
  const lastBody = lastItem ? bodies.get(lastItem.seq) : undefined;
  return {
    problems,
    bodies,
    ...trust,
    last: lastItem ? { seq: lastItem.seq, hash: lastItem.hash, actor: lastBody?.actor.fingerprint ?? null, v: lastBody?.v ?? null } : null,
  };
}

function shapeProblem(b: CustodyBody, seq: number, caseNumber: string): Problem | null {
  const fp = /^[0-9a-f]{64}$/;
  if (
    typeof b !== 'object' ||
    b === null ||
    typeof b.actor?.fingerprint !== 'string' ||
    !fp.test(b.actor.fingerprint) ||
    typeof b.actor.name !== 'string' ||
    typeof b.prev !== 'string' ||
    (b.counterparty !== null &&
      (typeof b.counterparty?.fingerprint !== 'string' || !fp.test(b.counterparty.fingerprint) || typeof b.counterparty.name !== 'string'))
  )
    return { kind: 'row-altered', seq, message: `entry ${seq}: row altered (its signed content is not a custody entry)` };
  if (b.seq !== seq) return { kind: 'row-altered', seq, message: `entry ${seq}: row altered (it holds entry ${String(b.seq)})` };
  if (b.case !== caseNumber)
    return { kind: 'row-altered', seq, message: `entry ${seq}: row altered (it belongs to case ${String(b.case)}, not ${caseNumber})` };
  return null;
}

function checkSignatures(
  seq: number,
  body: CustodyBody,
  digest: Buffer,
  item: LedgerItem,
  keyOf: LedgerCheckOptions['keyOf'],
  problems: Problem[],
): boolean {
  const checks: [string, string, string, string | null][] = [['actor', body.actor.fingerprint, body.actor.name, item.signature]];
  if (body.counterparty && body.counterparty.role === 'received-by')
    checks.push(['receiver', body.counterparty.fingerprint, body.counterparty.name, item.counterSignature]);
  let ok = true;
  for (const [who, fp, name, sig] of checks) {
    const key = keyOf(fp);
    if (!key) {
      ok = false;
      problems.push({
        kind: 'unknown-key',
        seq,
        message: `entry ${seq}: signature cannot be checked (no valid public key recorded for ${who} ${short(fp)})`,
      });
    } else if (!sig || !verifyBytes(key, digest, Buffer.from(sig, 'base64'))) {
      ok = false;
      problems.push({ kind: 'signature-invalid', seq, message: `entry ${seq}: signature invalid (${who} ${name})` });
    }
  }
  return ok;
}

/** Who may sign: trust anchors, then keys introduced by accepted signers, entry by entry. */
function acceptance(
  bodies: Map<number, CustodyBody>,
  sigOk: Map<number, boolean>,
  roots: TrustRoots,
  problems: Problem[],
): Pick<LedgerCheck, 'signers' | 'accepted' | 'anchored' | 'warnings'> {
  const seen = new Map<string, { name: string; names: Set<string>; entries: number }>();
  const note = (fp: string, name: string, signed: boolean): void => {
    const s = seen.get(fp) ?? { name, names: new Set<string>(), entries: 0 };
    s.names.add(name);
    if (signed) s.entries++;
    seen.set(fp, s);
  };
  for (const b of bodies.values()) {
    note(b.actor.fingerprint, b.actor.name, true);
    if (b.counterparty) note(b.counterparty.fingerprint, b.counterparty.name, b.counterparty.role === 'received-by');
  }
  const anchored = bodies.size === 0 || [...seen.keys()].some((fp) => roots.keys.has(fp));
  const accepted = new Map<string, string>();
  for (const [fp, via] of roots.keys) accepted.set(fp, via);
  const first = bodies.values().next().value;
  if (!anchored && first) {
    accepted.set(first.actor.fingerprint, 'NOT a trust anchor: only taken as the starting point because no signer is trusted');
    problems.push({
      kind: 'not-anchored',
      seq: null,
      message: `not anchored: none of the ${seen.size} key(s) of this ledger is a trust anchor (anchors: ${roots.source}); it is consistent only with itself`,
    });
  }
  for (const [seq, b] of bodies) {
    const actor = b.actor.fingerprint;
    if (!accepted.has(actor)) {
      problems.push({
        kind: 'untrusted-signer',
        seq,
        message: `entry ${seq}: signed by ${b.actor.name} (key ${actor}), which is not trusted: it is not a trust anchor and no accepted key introduced it before this entry`,
      });
      continue;
    }
    if (b.counterparty && VOUCHES.has(b.counterparty.role) && sigOk.get(seq) && !accepted.has(b.counterparty.fingerprint))
      accepted.set(b.counterparty.fingerprint, `introduced by ${b.actor.name} (key ${actor}) in entry ${seq}`);
  }
  const provisional = !anchored && first ? first.actor.fingerprint : null;
  const signers: SignerReport[] = [...seen].map(([fp, s]) => ({
    name: s.name,
    fingerprint: fp,
    status: fp !== provisional && roots.keys.has(fp) ? 'trusted' : fp !== provisional && accepted.has(fp) ? 'introduced' : 'untrusted',
    via: accepted.get(fp) ?? 'not a trust anchor, and never introduced by an accepted key',
    entries: s.entries,
  }));
  return { signers, accepted, anchored, warnings: nameWarnings(signers, seen) };
}

/** Two keys under one name, or one key under two names: a reader who sees only names would be misled. */
function nameWarnings(signers: SignerReport[], seen: Map<string, { names: Set<string> }>): string[] {
  const out: string[] = [];
  const byName = new Map<string, SignerReport[]>();
  for (const s of signers) {
    const k = s.name.normalize('NFKC').trim().toLowerCase();
    byName.set(k, [...(byName.get(k) ?? []), s]);
  }
  for (const list of byName.values())
    if (list.length > 1)
      out.push(
        `${list.length} keys carry the name ${list[0]!.name}: ${list.map((s) => `${s.fingerprint} (${s.status === 'untrusted' ? 'NOT trusted' : s.status})`).join(', ')}`,
      );
  for (const [fp, s] of seen) if (s.names.size > 1) out.push(`key ${fp} signs under ${s.names.size} names: ${[...s.names].join(', ')}`);
  return out;
}
