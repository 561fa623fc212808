import type { Core } from '../core/core';
import { writeTransaction } from '../db/database';
import { AppError } from '../core/errors';
import type {
  CheckpointText,
  CustodyAction,
  CustodyBody,
  CustodyEntry,
  CustodyParty,
  CounterpartyRole,
} from '../../common/contract/custody';
import type { IdentityService, Signer } from './identity-service';
import { GENESIS, canonicalBody, hashBody, toEntry, type LedgerRow } from './entry';
import { parseEd25519PublicKey, verifyBytes } from './keys';
import { makeCheckpoint, parseCheckpoint } from './checkpoint';
import { LedgerHeads, type HeadRow } from './ledger-heads';

export { HEAD_FILE } from './head';

/** What a caller says about a new entry; sequence, time, actor, tool and chain link are filled in here. */
export interface EntryInput {
  evidence: CustodyBody['evidence'];
  action: CustodyAction;
  purpose?: string;
  location?: string;
  hashes?: CustodyBody['hashes'];
  details?: Record<string, unknown>;
  counterparty?: (CustodyParty & { role?: CounterpartyRole }) | null;
}

/** How the counter-party signs: with a key on this machine, or by a detached signature they made elsewhere. */
export type CounterSign = { signer: Signer } | { signature: string };

/** Format of the entry bodies Lariat writes now: 2, each followed by a signed head. */
export const ENTRY_VERSION = 2;

/**
 * The per-case custody ledger: append-only (SQLite triggers), hash-chained
 * (each entry names the previous entry's hash) and signed (Ed25519 over the
 * entry hash). Appends run in one IMMEDIATE transaction so two processes on
 * one data folder can never take the same sequence number. Every append also
 * replaces the ledger's signed head (a checkpoint of the new entry, signed by
 * its actor) in the same transaction, and then in the vault folder; before
 * appending, the heads are checked, so a ledger that lost entries, or whose
 * head was deleted or rewritten, is never silently extended.
 */
export class LedgerService {
  private readonly insert;
  private readonly listCase;
  private readonly listItem;
  /** The signed heads: checked before an append, signed after it. */
  private readonly heads: LedgerHeads;
  /** The batch running now (see `batch`), or null. */
  private open: Batch | null = null;

  constructor(
    private readonly core: Core,
    private readonly identity: IdentityService,
  ) {
    const { db } = core;
    this.heads = new LedgerHeads(core, identity);
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
  append(caseNumber: string, input: EntryInput, counter?: CounterSign, options: { reseal?: boolean } = {}): CustodyEntry {
    const nested = this.core.db.inTransaction;
    const batch = this.open?.caseNumber === caseNumber && !options.reseal ? this.open : null;
    const entry = writeTransaction(this.core.db, () => {
      const caseRow = this.core.cases.require(caseNumber);
      if (!options.reseal && !batch?.guarded) this.heads.guard(caseNumber);
      if (batch) batch.guarded = true;
      const signer = this.identity.signer();
      const body = this.draftBody(caseRow.id, caseNumber, input, signer);
      return this.commit(caseRow.id, body, signer, counter, batch);
    });
    this.afterCommit(caseNumber, nested, options.reseal ?? false);
    return entry;
  }

  /**
   * Runs `fn`, which may append many entries to one case's ledger, in one transaction: the heads are checked
   * before its first append only (nothing else can write the database while the transaction holds it, and the
   * head file is not rewritten until it commits), and one signed head is made, for the entry that is newest
   * when `fn` returns. Each entry is still signed and chained; what commits is exactly what one append after
   * another would leave (every head but the last was replaced within the transaction). An import records two
   * entries per file: the check and the head signature of every entry were most of its per-file cost.
   */
  batch<T>(caseNumber: string, fn: () => T): T {
    if (this.open) return fn();
    const nested = this.core.db.inTransaction;
    const batch: Batch = { caseNumber, guarded: false, signed: new Map() };
    const result = writeTransaction(this.core.db, () => {
      this.open = batch;
      try {
        const r = fn();
        if (batch.signed.size) this.sealBatch(batch);
        return r;
      } finally {
        this.open = null;
      }
    });
    if (!nested && batch.signed.size) this.syncHead(caseNumber);
    return result;
  }

  /**
   * The signed head of a batch: for the newest entry as stored now, not the last one appended, since an
   * append inside a savepoint that rolled back left nothing behind.
   */
  private sealBatch(batch: Batch): void {
    const caseId = this.core.cases.require(batch.caseNumber).id;
    const last = this.heads.newest(caseId);
    const made = last && batch.signed.get(last.hash);
    if (!last || !made) {
      // Every entry of the batch rolled back (the head row did too), or the newest is not the batch's: left as it is.
      return;
    }
    this.heads.sign(caseId, batch.caseNumber, { ...last, at: made.at }, made.signer);
  }

  /** Builds (without storing) the next entry, for a counter-party who signs elsewhere. */
  prepare(caseNumber: string, input: EntryInput): { body: string; hash: string } {
    const caseRow = this.core.cases.require(caseNumber);
    this.heads.guard(caseNumber);
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
      this.heads.guard(caseNumber);
      const signer = this.identity.signer();
      const head = this.heads.newest(caseRow.id);
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
    this.afterCommit(caseNumber, nested);
    return entry;
  }

  /** Writes the head file from the database; services call it after their own outer transaction commits. */
  syncHead(caseNumber: string, reset = false): void {
    this.heads.sync(caseNumber, reset);
  }

  list(caseNumber: string, evidenceId?: number): CustodyEntry[] {
    const caseRow = this.core.cases.require(caseNumber);
    return (evidenceId === undefined ? this.listCase.all(caseRow.id) : this.listItem.all(caseRow.id, evidenceId)).map(toEntry);
  }

  /** Raw rows for verification and export (never trusted: every column is checked against the signed body). */
  rows(caseId: number): LedgerRow[] {
    return this.listCase.all(caseId);
  }

  /** The database's head row of a case (verification checks it, never trusts it). */
  headOf(caseId: number): HeadRow | null {
    return this.heads.of(caseId);
  }

  /** What is wrong with the heads of a ledger, as verification reports it. */
  headCheck(caseNumber: string): ReturnType<LedgerHeads['check']> {
    return this.heads.check(caseNumber);
  }

  /**
   * A checkpoint of the ledger as it is now: signed afresh by the current
   * investigator when they can sign, else the stored head. For reports,
   * exports and bundles (and `lariat custody checkpoint`).
   */
  checkpoint(caseNumber: string): CheckpointText {
    const caseRow = this.core.cases.require(caseNumber);
    const last = this.heads.newest(caseRow.id);
    const me = this.identity.current();
    if (me && this.identity.canSign(me.fingerprint)) {
      try {
        return makeCheckpoint(
          { case: caseNumber, seq: last?.seq ?? 0, hash: last?.hash ?? GENESIS, at: this.core.clock.now().toISOString() },
          this.identity.signer(),
        );
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
      }
    }
    const stored = this.heads.of(caseRow.id);
    const cp = stored ? parseCheckpoint(stored.checkpoint) : 'none';
    if (!stored || typeof cp === 'string')
      throw new AppError(
        'no-checkpoint',
        `No signed checkpoint of the ledger of ${caseNumber} can be given: nobody here can sign, and the ledger holds no signed head yet.`,
        'Create or choose an identity with its private key on this machine (`lariat identity init`).',
      );
    return { case: cp.case, seq: cp.seq, hash: cp.hash, at: cp.at, signer: cp.signer, text: stored.checkpoint };
  }

  private draftBody(caseId: number, caseNumber: string, input: EntryInput, signer: Signer): CustodyBody {
    const head = this.heads.newest(caseId);
    return {
      v: ENTRY_VERSION,
      case: caseNumber,
      seq: (head?.seq ?? 0) + 1,
      evidence: input.evidence,
      action: input.action,
      at: this.core.clock.now().toISOString(),
      actor: { name: signer.name, fingerprint: signer.fingerprint },
      counterparty: input.counterparty
        ? { name: input.counterparty.name, fingerprint: input.counterparty.fingerprint, role: input.counterparty.role ?? 'received-by' }
        : null,
      purpose: input.purpose ?? '',
      location: input.location ?? '',
      tool: `Lariat ${this.core.version}`,
      hashes: input.hashes ?? null,
      details: input.details ?? {},
      prev: head?.hash ?? GENESIS,
    };
  }

  /** Stores a signed entry and, outside a batch, its signed head (a batch signs one head when it ends). */
  private commit(
    caseId: number,
    body: CustodyBody,
    signer: Signer,
    counter: CounterSign | undefined,
    batch: Batch | null = null,
  ): CustodyEntry {
    const canonical = canonicalBody(body);
    const digest = hashBody(canonical);
    const signature = signer.sign(digest).toString('base64');
    let counterSignature: string | null = null;
    if (body.counterparty?.role === 'received-by') {
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
    const hash = digest.toString('hex');
    this.insert.run({
      case_id: caseId,
      seq: body.seq,
      evidence_id: body.evidence?.id ?? null,
      action: body.action,
      at: body.at,
      actor_fp: body.actor.fingerprint,
      body: canonical,
      prev_hash: body.prev,
      hash,
      signature,
      counter_fp: body.counterparty?.fingerprint ?? null,
      counter_signature: counterSignature,
    });
    if (batch) batch.signed.set(hash, { at: body.at, signer });
    else this.heads.sign(caseId, body.case, { seq: body.seq, hash, at: body.at }, signer);
    this.core.activity.record({
      caseId,
      action: `custody.${body.action}`,
      entity: 'custody-entry',
      entityId: body.seq,
      details: { evidenceId: body.evidence?.id ?? null, hash },
    });
    return { ...body, hash, signature, counterSignature };
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

  /** Copies the signed head outside the database and tells views to refresh. */
  private afterCommit(caseNumber: string, nested: boolean, reset = false): void {
    // Inside a caller's transaction the entry may still roll back: the caller syncs the head file after committing.
    if (!nested) this.syncHead(caseNumber, reset);
    this.core.events.emit('caseChanged', { caseNumber, what: 'custody' });
  }
}

/** A batch of appends to one case's ledger (see `LedgerService.batch`). */
interface Batch {
  caseNumber: string;
  /** The heads were checked in this batch's transaction. */
  guarded: boolean;
  /** Entries appended in the batch, by hash: their time and signer, for the head signed at its end. */
  signed: Map<string, { at: string; signer: Signer }>;
}
