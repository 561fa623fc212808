import path from 'node:path';
import type { Core } from '../core/core';
import { AppError } from '../core/errors';
import type { IdentityService, Signer } from './identity-service';
import { checkpointSignedBy, makeCheckpoint } from './checkpoint';
import { headProblems, readHeadFile, writeHeadFile } from './head';
import type { Problem } from './ledger-check';

const HEAD_CODES: Record<string, string> = {
  'ledger-truncated': 'custody-truncated',
  'ledger-forked': 'custody-forked',
  'head-missing': 'custody-head-missing',
  'head-invalid': 'custody-head-invalid',
};

/** The database's signed head of a case's ledger. */
export interface HeadRow {
  seq: number;
  hash: string;
  checkpoint: string;
}

/**
 * The signed heads of the custody ledgers: the head row in the database and its copy in the vault folder.
 * Kept apart from the ledger's appends because they are its defence against an attacker with write access
 * to the data folder: before the ledger is extended its heads are checked against the stored entries (a
 * ledger that lost entries, or whose head was deleted or rewritten, is never silently extended), and after
 * an append a new head is signed. Heads already checked, or signed here, are remembered by their exact text,
 * so an import that appends thousands of entries does not re-verify the same signature each time.
 */
export class LedgerHeads {
  private readonly newestStmt;
  private readonly lastStmt;
  private readonly atStmt;
  private readonly headRow;
  private readonly upsertHead;
  /** Head texts known to be validly signed (signed here, or checked once), by their signer's fingerprint. */
  private readonly goodHeads = new Map<string, string>();

  constructor(
    private readonly core: Core,
    private readonly identity: IdentityService,
  ) {
    const { db } = core;
    this.newestStmt = db.prepare<[number], { seq: number; hash: string }>(
      'SELECT seq, hash FROM custody_entries WHERE case_id = ? ORDER BY seq DESC LIMIT 1',
    );
    this.lastStmt = db.prepare<[number], { seq: number; hash: string; actor_fp: string; body: string }>(
      'SELECT seq, hash, actor_fp, body FROM custody_entries WHERE case_id = ? ORDER BY seq DESC LIMIT 1',
    );
    this.atStmt = db.prepare<[number, number], { hash: string; body: string }>(
      'SELECT hash, body FROM custody_entries WHERE case_id = ? AND seq = ?',
    );
    this.headRow = db.prepare<[number], HeadRow>('SELECT seq, hash, checkpoint FROM custody_heads WHERE case_id = ?');
    this.upsertHead = db.prepare(
      `INSERT INTO custody_heads (case_id, seq, hash, checkpoint) VALUES (?, ?, ?, ?)
       ON CONFLICT(case_id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, checkpoint = excluded.checkpoint`,
    );
  }

  /** The database's head row of a case (verification checks it, never trusts it). */
  of(caseId: number): HeadRow | null {
    return this.headRow.get(caseId) ?? null;
  }

  /** The newest entry stored for a case, as the head of its ledger must name it. */
  newest(caseId: number): { seq: number; hash: string } | null {
    return this.newestStmt.get(caseId) ?? null;
  }

  /** Signs and stores (in the database, within the caller's transaction) the head naming entry `seq`. */
  sign(caseId: number, caseNumber: string, entry: { seq: number; hash: string; at: string }, signer: Signer): void {
    const head = makeCheckpoint({ case: caseNumber, seq: entry.seq, hash: entry.hash, at: entry.at }, signer);
    this.upsertHead.run(caseId, entry.seq, entry.hash, head.text);
    this.remember(head.text.trimEnd(), signer.fingerprint);
  }

  /** Writes the head file from the database; services call it after their own outer transaction commits. */
  sync(caseNumber: string, reset = false): void {
    const row = this.headRow.get(this.core.cases.require(caseNumber).id);
    if (!row) return;
    try {
      writeHeadFile(path.join(this.core.paths.vaultDir, caseNumber), row.seq, row.checkpoint, reset);
    } catch {
      // The database holds the head; a missing file is reported (and refused) at the next append, never hidden.
    }
  }

  /**
   * What is wrong with the heads of a ledger, as verification reports it:
   * the database head and the vault copy compared with the stored entries.
   */
  check(caseNumber: string): ReturnType<typeof headProblems> {
    const caseId = this.core.cases.require(caseNumber).id;
    const last = this.lastStmt.get(caseId);
    return headProblems({
      caseNumber,
      last: last ? { seq: last.seq, hash: last.hash, actor: last.actor_fp, v: versionOf(last.body) } : null,
      entryAt: (seq) => {
        const r = this.atStmt.get(caseId, seq);
        return r ? { hash: r.hash, actor: actorOf(r.body) } : null;
      },
      dbHead: this.headRow.get(caseId) ?? null,
      file: readHeadFile(path.join(this.core.paths.vaultDir, caseNumber)),
      keyOf: (fp) => this.identity.publicKey(fp),
      signedBy: (cp, key) => {
        const id = `${cp.line}\n${cp.signature.toString('base64')}`;
        if (this.goodHeads.get(id) === cp.signer.fingerprint) return true;
        if (!checkpointSignedBy(cp, key)) return false;
        this.remember(id, cp.signer.fingerprint);
        return true;
      },
    });
  }

  /** Refuses to extend a ledger whose heads show truncation, a fork, or were deleted or rewritten. */
  guard(caseNumber: string): void {
    const p: Problem | undefined = this.check(caseNumber).problems[0];
    if (!p) return;
    throw new AppError(
      HEAD_CODES[p.kind] ?? 'custody-head-invalid',
      `Nothing was appended to the custody ledger of ${caseNumber}: ${p.message}.`,
      `Check the ledger against a checkpoint kept outside this data folder (from a report, export or bundle): \`lariat custody verify ${caseNumber} --checkpoint FILE\`. If it holds every entry, record that with \`lariat custody reseal ${caseNumber} --reason "..." [--checkpoint FILE]\`; if not, restore the data folder from a backup.`,
    );
  }

  private remember(id: string, fingerprint: string): void {
    this.goodHeads.set(id, fingerprint);
    if (this.goodHeads.size > 64) this.goodHeads.delete(this.goodHeads.keys().next().value!);
  }
}

function versionOf(body: string): number | null {
  try {
    const v = (JSON.parse(body) as { v?: unknown }).v;
    return typeof v === 'number' ? v : null;
  } catch {
    return null;
  }
}

function actorOf(body: string): string | null {
  try {
    const fp = (JSON.parse(body) as { actor?: { fingerprint?: unknown } }).actor?.fingerprint;
    return typeof fp === 'string' ? fp : null;
  } catch {
    return null;
  }
}
