import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import canonicalize from 'canonicalize';
import type { Core } from '../core/core';
import { AppError } from '../core/errors';
import type { JobContext } from '../jobs/job-service';
import type { CustodyBody, VerificationProblem, VerificationResult } from '../../common/contract/custody';
import { GENESIS, hashBody, type LedgerRow } from './entry';
import { fingerprintOf, verifyBytes } from './keys';
import { HEAD_FILE, readHead, type LedgerService } from './ledger-service';
import type { EvidenceService } from './evidence-service';
import type { EvidenceRow } from './evidence-rows';
import { sha256File } from './vault-copy';

type Problem = Omit<VerificationProblem, 'seq' | 'evidenceId' | 'file'> & Partial<Pick<VerificationProblem, 'seq' | 'evidenceId' | 'file'>>;

/**
 * Checks a case's custody record from scratch, trusting nothing stored:
 * every entry's hash is recomputed from its signed body, every column is
 * compared with that body, the chain links and sequence are followed, every
 * signature is checked against the recorded public keys (whose fingerprints
 * are recomputed), the register's hashes are compared with the signed
 * acquisition entries, and every vault file is re-hashed. Nothing is repaired.
 */
export class VerifyService {
  constructor(
    private readonly core: Core,
    private readonly ledger: LedgerService,
    private readonly vault: EvidenceService,
  ) {}

  async verify(caseNumber: string, options: { job?: JobContext; record?: boolean } = {}): Promise<VerificationResult> {
    const caseRow = this.core.cases.require(caseNumber);
    const rows = this.ledger.rows(caseRow.id);
    const problems: VerificationProblem[] = [];
    const add = (p: Problem): void => void problems.push({ seq: null, evidenceId: null, file: null, ...p });
    const bodies = this.checkEntries(caseNumber, rows, add);
    this.checkHead(caseNumber, rows, add);
    const items = this.vault.rows(caseNumber);
    const signedSha = this.checkRegister(items, bodies, add);
    const files = await this.checkFiles(items, signedSha, add, options.job);
    const strayFiles = this.strays(caseNumber, items);
    const intact = problems.length === 0;
    const result: VerificationResult = {
      caseNumber,
      intact,
      entries: rows.length,
      files,
      summary: intact ? `intact: ${rows.length} entries, ${files} files` : `broken: ${problems[0]!.message}`,
      problems,
      strayFiles,
      verifiedAt: this.core.clock.now().toISOString(),
    };
    if (options.record && intact && caseRow.read_only === 0) this.recordVerification(caseNumber, items, result);
    return result;
  }

  private checkEntries(caseNumber: string, rows: LedgerRow[], add: (p: Problem) => void): Map<number, CustodyBody> {
    const keys = this.publicKeys();
    const bodies = new Map<number, CustodyBody>();
    let expectedSeq = 1;
    let prevHash = GENESIS;
    for (const row of rows) {
      const seq = row.seq;
      if (seq !== expectedSeq) {
        add({
          kind: 'sequence-gap',
          seq,
          message: `gap in sequence: entry ${expectedSeq}${seq - 1 > expectedSeq ? `-${seq - 1}` : ''} is missing (entry ${expectedSeq - 1} is followed by ${seq})`,
        });
      }
      expectedSeq = seq + 1;
      const prevOfThis = prevHash;
      prevHash = row.hash;
      let body: CustodyBody;
      try {
        body = JSON.parse(row.body) as CustodyBody;
      } catch {
        add({ kind: 'row-altered', seq, message: `entry ${seq}: row altered (its signed content is not valid JSON)` });
        continue;
      }
      const digest = hashBody(row.body);
      if (canonicalize(body) !== row.body) {
        add({ kind: 'row-altered', seq, message: `entry ${seq}: row altered (its signed content is not in canonical form)` });
        continue;
      }
      if (digest.toString('hex') !== row.hash) {
        add({
          kind: 'hash-mismatch',
          seq,
          evidenceId: row.evidence_id,
          message: `entry ${seq}: hash mismatch (the entry's content does not hash to its recorded hash ${row.hash.slice(0, 12)}…; the row was altered)`,
        });
        continue;
      }
      const column = firstDifferentColumn(caseNumber, row, body);
      if (column) {
        add({
          kind: 'row-altered',
          seq,
          evidenceId: row.evidence_id,
          message: `entry ${seq}: row altered (column ${column} differs from the signed entry)`,
        });
        continue;
      }
      bodies.set(seq, body);
      if (body.prev !== prevOfThis) {
        add({
          kind: 'chain-broken',
          seq,
          message: `entry ${seq}: chain broken (it names ${body.prev.slice(0, 12)}… as the previous entry's hash, but the previous entry's hash is ${prevOfThis.slice(0, 12)}…)`,
        });
      }
      const signers: [string, string, string | null][] = [['actor', body.actor.fingerprint, row.signature]];
      if (body.counterparty) signers.push(['receiver', body.counterparty.fingerprint, row.counter_signature]);
      for (const [who, fp, sig] of signers) {
        const key = keys.get(fp);
        if (!key) {
          add({
            kind: 'unknown-key',
            seq,
            message: `entry ${seq}: signature cannot be checked (no valid public key recorded for ${who} ${fp.slice(0, 12)}…)`,
          });
        } else if (!sig || !verifyBytes(key, digest, Buffer.from(sig, 'base64'))) {
          add({
            kind: 'signature-invalid',
            seq,
            message: `entry ${seq}: signature invalid (${who} ${who === 'actor' ? body.actor.name : body.counterparty!.name})`,
          });
        }
      }
    }
    return bodies;
  }

  /** Public keys by fingerprint; a key whose recomputed fingerprint differs from its row is left out (and so reported). */
  private publicKeys(): Map<string, crypto.KeyObject> {
    const map = new Map<string, crypto.KeyObject>();
    for (const r of this.core.db
      .prepare<[], { fingerprint: string; public_key_pem: string }>('SELECT fingerprint, public_key_pem FROM investigators')
      .all()) {
      try {
        const key = crypto.createPublicKey(r.public_key_pem);
        if (fingerprintOf(key) === r.fingerprint) map.set(r.fingerprint, key);
      } catch {
        // unreadable key: entries signed with it are reported as unknown-key
      }
    }
    return map;
  }

  private checkHead(caseNumber: string, rows: LedgerRow[], add: (p: Problem) => void): void {
    const head = readHead(this.vault.caseDir(caseNumber));
    if (!head) return;
    const last = rows[rows.length - 1]?.seq ?? 0;
    if (head.seq > last) {
      add({
        kind: 'ledger-truncated',
        seq: last + 1,
        message: `ledger truncated: it ends at entry ${last}, but entry ${head.seq} was committed (recorded in the vault's ${HEAD_FILE})`,
      });
      return;
    }
    const row = rows.find((r) => r.seq === head.seq);
    if (row && row.hash !== head.hash) {
      add({
        kind: 'row-altered',
        seq: head.seq,
        message: `entry ${head.seq}: row altered (its hash differs from the one recorded in the vault's ${HEAD_FILE} when it was committed)`,
      });
    }
  }

  /** Compares the register with the signed acquisition entries; returns the signed SHA-256 of each vault item. */
  private checkRegister(items: EvidenceRow[], bodies: Map<number, CustodyBody>, add: (p: Problem) => void): Map<number, string> {
    const first = new Map<number, CustodyBody>();
    for (const b of bodies.values()) if (b.evidence && !first.has(b.evidence.id)) first.set(b.evidence.id, b);
    const signed = new Map<number, string>();
    for (const item of items) {
      const b = first.get(item.id);
      if (!b) {
        add({
          kind: 'row-altered',
          evidenceId: item.id,
          file: item.vault_path,
          message: `evidence item ${item.id}: no valid custody entry records its acquisition`,
        });
        continue;
      }
      const sha = b.hashes?.sha256 ?? null;
      if (
        sha !== item.sha256 ||
        (b.hashes?.md5 ?? null) !== item.md5 ||
        (b.hashes?.sha1 ?? null) !== item.sha1 ||
        b.details.vaultPath !== item.vault_path
      ) {
        add({
          kind: 'row-altered',
          seq: b.seq,
          evidenceId: item.id,
          file: item.vault_path,
          message: `evidence item ${item.id}: register row altered (its hashes or vault path differ from signed entry ${b.seq})`,
        });
      }
      if (sha) signed.set(item.id, sha);
    }
    return signed;
  }

  private async checkFiles(
    items: EvidenceRow[],
    signedSha: Map<number, string>,
    add: (p: Problem) => void,
    job?: JobContext,
  ): Promise<number> {
    const local = items.filter((i) => i.vault_path);
    const total = local.reduce((n, i) => n + (i.size ?? 0), 0);
    let done = 0;
    for (const item of local) {
      job?.throwIfCancelled();
      const rel = item.vault_path!;
      const file = path.join(this.core.paths.vaultDir, rel);
      const expected = signedSha.get(item.id) ?? item.sha256;
      let st: fs.Stats;
      try {
        st = fs.statSync(file);
      } catch {
        add({ kind: 'file-missing', evidenceId: item.id, file: rel, message: `file missing: ${rel} (evidence item ${item.id})` });
        done += item.size ?? 0;
        continue;
      }
      const base = done;
      const actual = await sha256File(file, job?.signal, (b) => job?.progress(base + b, total));
      done = base + (item.size ?? 0);
      if (st.size !== item.size || actual !== expected) {
        add({
          kind: 'file-changed',
          evidenceId: item.id,
          file: rel,
          message: `file changed: ${rel} (evidence item ${item.id}) now has SHA-256 ${actual.slice(0, 16)}… and ${st.size} bytes; recorded ${expected?.slice(0, 16)}… and ${item.size} bytes`,
        });
      }
    }
    return local.length;
  }

  private strays(caseNumber: string, items: EvidenceRow[]): string[] {
    const known = new Set(items.map((i) => i.vault_path));
    let names: string[];
    try {
      names = fs.readdirSync(this.vault.caseDir(caseNumber));
    } catch {
      return [];
    }
    return names
      .filter((n) => n !== HEAD_FILE && !n.startsWith(`${HEAD_FILE}.`))
      .map((n) => `${caseNumber}/${n}`)
      .filter((rel) => !known.has(rel))
      .sort();
  }

  private recordVerification(caseNumber: string, items: EvidenceRow[], result: VerificationResult): void {
    try {
      this.ledger.append(caseNumber, {
        evidence: null,
        action: 'hash-verified',
        purpose: 'custody verification',
        details: {
          result: result.summary,
          entries: result.entries,
          files: items.filter((i) => i.vault_path).map((i) => ({ id: i.id, sha256: i.sha256 })),
        },
      });
    } catch (err) {
      // Verification itself succeeded; an investigator without a usable key here simply leaves no entry.
      if (!(err instanceof AppError)) throw err;
    }
  }
}

function firstDifferentColumn(caseNumber: string, row: LedgerRow, b: CustodyBody): string | null {
  const checks: [string, unknown, unknown][] = [
    ['seq', row.seq, b.seq],
    ['case', caseNumber, b.case],
    ['evidence_id', row.evidence_id, b.evidence?.id ?? null],
    ['action', row.action, b.action],
    ['at', row.at, b.at],
    ['actor_fp', row.actor_fp, b.actor.fingerprint],
    ['prev_hash', row.prev_hash, b.prev],
    ['counter_fp', row.counter_fp, b.counterparty?.fingerprint ?? null],
  ];
  return checks.find(([, a, c]) => a !== c)?.[0] ?? null;
}
