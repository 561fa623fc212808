import fs from 'node:fs';
import path from 'node:path';
import type { Core } from '../core/core';
import { writeTransaction } from '../db/database';
import { AppError } from '../core/errors';
import type { CustodyAction, CustodyBody, CustodyEntry, CustodyParty } from '../../common/contract/custody';
import type { IdentityService, Signer } from './identity-service';
import { GENESIS, canonicalBody, hashBody, toEntry, type LedgerRow } from './entry';
import { parseEd25519PublicKey, verifyBytes } from './keys';

/** What a caller says about a new entry; sequence, time, actor, tool and chain link are filled in here. */
export interface EntryInput {
  evidence: CustodyBody['evidence'];
  action: CustodyAction;
  purpose?: string;
  location?: string;
  hashes?: CustodyBody['hashes'];
  details?: Record<string, unknown>;
  counterparty?: CustodyParty | null;
}

/** How the counter-party signs: with a key on this machine, or by a detached signature they made elsewhere. */
export type CounterSign = { signer: Signer } | { signature: string };

/** Name of the file in a case's vault folder that remembers the last committed entry, to detect a truncated database. */
export const HEAD_FILE = '.custody-head.json';

/**
 * The per-case custody ledger: append-only (SQLite triggers), hash-chained
 * (each entry names the previous entry's hash) and signed (Ed25519 over the
 * entry hash). Appends run in one IMMEDIATE transaction so two processes on
 * one data folder can never take the same sequence number.
 */
export class LedgerService {
  private readonly headStmt;
  private readonly insert;
  private readonly listCase;
  private readonly listItem;

  constructor(
    private readonly core: Core,
    private readonly identity: IdentityService,
  ) {
    const { db } = core;
    this.headStmt = db.prepare<[number], { seq: number; hash: string }>(
      'SELECT seq, hash FROM custody_entries WHERE case_id = ? ORDER BY seq DESC LIMIT 1',
    );
    this.insert = db.prepare(
      `INSERT INTO custody_entries (case_id, seq, evidence_id, action, at, actor_fp, body, prev_hash, hash, signature, counter_fp, counter_signature)
       VALUES (@case_id, @seq, @evidence_id, @action, @at, @actor_fp, @body, @prev_hash, @hash, @signature, @counter_fp, @counter_signature)`,
    );
    this.listCase = db.prepare<[number], LedgerRow>('SELECT * FROM custody_entries WHERE case_id = ? ORDER BY seq');
    this.listItem = db.prepare<[number, number], LedgerRow>(
      'SELECT * FROM custody_entries WHERE case_id = ? AND evidence_id = ? ORDER BY seq',
    );
  }

  /** Signs and appends one entry as the current investigator (plus the counter-party for transfers). */
  append(caseNumber: string, input: EntryInput, counter?: CounterSign): CustodyEntry {
    const nested = this.core.db.inTransaction;
    const entry = writeTransaction(this.core.db, () => {
      const caseRow = this.core.cases.require(caseNumber);
      const signer = this.identity.signer();
      const body = this.draftBody(caseRow.id, caseNumber, input, signer);
      return this.commit(caseRow.id, body, signer, counter);
    });
    this.afterCommit(caseNumber, entry, nested);
    return entry;
  }

  /** Builds (without storing) the next entry, for a counter-party who signs elsewhere. */
  prepare(caseNumber: string, input: EntryInput): { body: string; hash: string } {
    const caseRow = this.core.cases.require(caseNumber);
    const body = this.draftBody(caseRow.id, caseNumber, input, this.identity.signer());
    const canonical = canonicalBody(body);
    return { body: canonical, hash: hashBody(canonical).toString('hex') };
  }

  /**
   * Appends a prepared entry once the counter-party's signature is in. The
   * draft must still be the next entry of the ledger and be exactly what was
   * prepared for the current investigator; otherwise it is refused.
   */
  appendPrepared(caseNumber: string, draft: string, check: (body: CustodyBody) => void, counterSignature: string): CustodyEntry {
    let body: CustodyBody;
    try {
      body = JSON.parse(draft) as CustodyBody;
    } catch (err) {
      throw new AppError(
        'invalid-draft',
        'The prepared transfer is not valid JSON.',
        'Prepare the transfer again and pass its body back unchanged.',
        { cause: err },
      );
    }
    if (canonicalBody(body) !== draft)
      throw new AppError(
        'invalid-draft',
        'The prepared transfer was modified after it was prepared.',
        'Prepare the transfer again; the receiver must sign the new hash.',
      );
    const nested = this.core.db.inTransaction;
    const entry = writeTransaction(this.core.db, () => {
      const caseRow = this.core.cases.require(caseNumber);
      const signer = this.identity.signer();
      const head = this.headStmt.get(caseRow.id);
      if (
        body.case !== caseNumber ||
        body.seq !== (head?.seq ?? 0) + 1 ||
        body.prev !== (head?.hash ?? GENESIS) ||
        body.actor.fingerprint !== signer.fingerprint
      ) {
        throw new AppError(
          'draft-stale',
          'The ledger changed since this transfer was prepared (or it was prepared by another investigator or for another case).',
          'Prepare the transfer again and have the receiver sign the new hash.',
        );
      }
      check(body);
      return this.commit(caseRow.id, body, signer, { signature: counterSignature });
    });
    this.afterCommit(caseNumber, entry, nested);
    return entry;
  }

  /** Writes the head file from the database; services call it after their own outer transaction commits. */
  syncHead(caseNumber: string): void {
    const head = this.headStmt.get(this.core.cases.require(caseNumber).id);
    if (head) writeHead(path.join(this.core.paths.vaultDir, caseNumber), head.seq, head.hash);
  }

  list(caseNumber: string, evidenceId?: number): CustodyEntry[] {
    const caseRow = this.core.cases.require(caseNumber);
    return (evidenceId === undefined ? this.listCase.all(caseRow.id) : this.listItem.all(caseRow.id, evidenceId)).map(toEntry);
  }

  /** Raw rows for verification and export (never trusted: every column is checked against the signed body). */
  rows(caseId: number): LedgerRow[] {
    return this.listCase.all(caseId);
  }

  private draftBody(caseId: number, caseNumber: string, input: EntryInput, signer: Signer): CustodyBody {
    const head = this.headStmt.get(caseId);
    return {
      v: 1,
      case: caseNumber,
      seq: (head?.seq ?? 0) + 1,
      evidence: input.evidence,
      action: input.action,
      at: this.core.clock.now().toISOString(),
      actor: { name: signer.name, fingerprint: signer.fingerprint },
      counterparty: input.counterparty ? { ...input.counterparty, role: 'received-by' } : null,
      purpose: input.purpose ?? '',
      location: input.location ?? '',
      tool: `Lariat ${this.core.version}`,
      hashes: input.hashes ?? null,
      details: input.details ?? {},
      prev: head?.hash ?? GENESIS,
    };
  }

  private commit(caseId: number, body: CustodyBody, signer: Signer, counter: CounterSign | undefined): CustodyEntry {
    const canonical = canonicalBody(body);
    const digest = hashBody(canonical);
    const signature = signer.sign(digest).toString('base64');
    let counterSignature: string | null = null;
    if (body.counterparty) {
      if (!counter)
        throw new AppError(
          'counter-signature-missing',
          `${body.counterparty.name} must sign this transfer too.`,
          'Use a key present on this machine, or prepare the transfer and paste their signature.',
        );
      counterSignature =
        'signer' in counter
          ? counter.signer.sign(digest).toString('base64')
          : this.checkCounterSignature(body.counterparty, digest, counter.signature);
    }
    this.insert.run({
      case_id: caseId,
      seq: body.seq,
      evidence_id: body.evidence?.id ?? null,
      action: body.action,
      at: body.at,
      actor_fp: body.actor.fingerprint,
      body: canonical,
      prev_hash: body.prev,
      hash: digest.toString('hex'),
      signature,
      counter_fp: body.counterparty?.fingerprint ?? null,
      counter_signature: counterSignature,
    });
    this.core.activity.record({
      caseId,
      action: `custody.${body.action}`,
      entity: 'custody-entry',
      entityId: body.seq,
      details: { evidenceId: body.evidence?.id ?? null, hash: digest.toString('hex') },
    });
    return { ...body, hash: digest.toString('hex'), signature, counterSignature };
  }

  private checkCounterSignature(party: CustodyParty, digest: Buffer, signature: string): string {
    const info = this.identity.get(party.fingerprint);
    const raw = Buffer.from(signature.trim(), 'base64');
    if (raw.length !== 64 || !verifyBytes(parseEd25519PublicKey(info.publicKeyPem), digest, raw)) {
      throw new AppError(
        'counter-signature-invalid',
        `The signature pasted for ${party.name} does not verify against their public key for this entry.`,
        'Have them sign the exact hash shown (as raw bytes) and paste the base64 signature; nothing was recorded.',
      );
    }
    return raw.toString('base64');
  }

  /** Remembers the newest entry outside the database (see HEAD_FILE) and tells views to refresh. */
  private afterCommit(caseNumber: string, entry: CustodyEntry, nested: boolean): void {
    // Inside a caller's transaction the entry may still roll back: do not advance the head file.
    if (!nested) writeHead(path.join(this.core.paths.vaultDir, caseNumber), entry.seq, entry.hash);
    this.core.events.emit('caseChanged', { caseNumber, what: 'custody' });
  }
}

const HEAD_RECORD = 160;
const headFds = new Map<string, number>();

/**
 * Overwrites the head record in place: one fixed-size write at offset 0 on a
 * kept-open descriptor (a few microseconds, where create-and-rename costs a
 * large share of an append). A crash mid-write can only leave an unreadable
 * record, which verification treats as "no head", never as a false alarm.
 */
function writeHead(dir: string, seq: number, hash: string): void {
  try {
    let fd = headFds.get(dir);
    if (fd === undefined) {
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      fd = fs.openSync(path.join(dir, HEAD_FILE), fs.constants.O_RDWR | fs.constants.O_CREAT, 0o600);
      headFds.set(dir, fd);
      if (headFds.size > 16) {
        const [oldest, oldFd] = headFds.entries().next().value as [string, number];
        headFds.delete(oldest);
        fs.closeSync(oldFd);
      }
    }
    fs.writeSync(fd, JSON.stringify({ seq, hash }).padEnd(HEAD_RECORD, ' '), 0);
  } catch {
    // The head file only strengthens truncation detection; the ledger itself is committed.
  }
}

/** The head file of a case folder, if readable. */
export function readHead(dir: string): { seq: number; hash: string } | null {
  try {
    const v = JSON.parse(fs.readFileSync(path.join(dir, HEAD_FILE), 'utf8')) as { seq?: unknown; hash?: unknown };
    return typeof v.seq === 'number' && typeof v.hash === 'string' ? { seq: v.seq, hash: v.hash } : null;
  } catch {
    return null;
  }
}
