import type { Core } from '../core/core';
import { AppError } from '../core/errors';
import type { CustodyBody, CustodyEntry, EvidenceItem, TransferDraft } from '../../common/contract/custody';
import type { IdentityService } from './identity-service';
import type { EntryInput, LedgerService } from './ledger-service';
import type { EvidenceService } from './evidence-service';
import type { EvidenceRow } from './evidence-rows';
import type { TrustStore } from './trust-store';
import { checkLedgerItems } from './ledger-check';
import { checkCheckpoint } from './checkpoint-check';

export interface TransferInput {
  caseNumber: string;
  evidenceId: number;
  toFingerprint: string;
  purpose: string;
  location?: string;
}

/**
 * What an investigator does to evidence after it is recorded: transfer it
 * (released by the current investigator, received by another, both signing),
 * release or dispose of it, or add a signed note. The register row and the
 * custody entry change in one transaction.
 */
export class CustodyActions {
  constructor(
    private readonly core: Core,
    private readonly identity: IdentityService,
    private readonly ledger: LedgerService,
    private readonly evidence: EvidenceService,
    private readonly trust: TrustStore,
  ) {}

  /**
   * Vouches for a registered colleague's key in a case's ledger (a signed
   * `introduced` entry naming it, with its public key), so entries it signs
   * later are accepted by anyone who accepts the current investigator.
   * Introducing a key twice returns the first introduction.
   */
  introduce(input: { caseNumber: string; fingerprint: string }): CustodyEntry {
    const me = this.identity.requireCurrent();
    const key = this.identity.get(input.fingerprint);
    if (key.fingerprint === me.fingerprint)
      throw new AppError('introduce-self', 'You cannot introduce your own key.', 'Introduce a colleague whose key you registered.');
    const earlier = this.ledger
      .list(input.caseNumber)
      .find((e) => e.action === 'introduced' && e.counterparty?.fingerprint === key.fingerprint);
    if (earlier) return earlier;
    return this.ledger.append(input.caseNumber, {
      evidence: null,
      action: 'introduced',
      purpose: `key of ${key.name} introduced`,
      counterparty: { name: key.name, fingerprint: key.fingerprint, role: 'introduced' },
      details: { publicKey: key.publicKeyPem, role: key.role, organisation: key.organisation },
    });
  }

  /**
   * After a refused append (head missing, unsigned, or showing truncation) was
   * investigated: records, signed, that the investigator accepts the ledger as
   * it is, with what was found, and writes a new signed head. Refused unless
   * every entry still verifies (hash, chain, signature, trusted signer) and,
   * when given, the ledger extends the checkpoint kept outside the data folder.
   */
  reseal(input: { caseNumber: string; reason: string; checkpoint?: string }): CustodyEntry {
    const caseRow = this.core.cases.require(input.caseNumber);
    const found = this.ledger.headCheck(input.caseNumber).problems.map((p) => p.message);
    if (found.length === 0)
      throw new AppError(
        'nothing-to-reseal',
        `The signed heads of ${input.caseNumber} match its ledger; there is nothing to reseal.`,
        'Nothing was recorded.',
      );
    const rows = this.ledger.rows(caseRow.id);
    const check = checkLedgerItems(
      rows.map((r) => ({ seq: r.seq, canonical: r.body, hash: r.hash, signature: r.signature, counterSignature: r.counter_signature })),
      { caseNumber: input.caseNumber, keyOf: (fp) => this.identity.publicKey(fp), roots: this.trust.roots() },
    );
    if (check.problems.length > 0)
      throw new AppError(
        'ledger-broken',
        `The ledger of ${input.caseNumber} cannot be resealed: ${check.problems[0]!.message}.`,
        'Restore the data folder from a backup; nothing was recorded.',
      );
    let checkpoint: Record<string, unknown> | null = null;
    if (input.checkpoint) {
      const hashAt = new Map(rows.map((r) => [r.seq, r.hash]));
      const r = checkCheckpoint(
        input.checkpoint,
        {
          caseNumber: input.caseNumber,
          lastSeq: rows.at(-1)?.seq ?? 0,
          hashAt: (n) => hashAt.get(n) ?? null,
          keyOf: (fp) => this.identity.publicKey(fp),
          accepted: check.accepted,
        },
        'the checkpoint given',
      );
      if (r.problem)
        throw new AppError(
          'checkpoint-not-extended',
          `The ledger cannot be resealed: ${r.problem.message}.`,
          'Restore the data folder from a backup; nothing was recorded.',
        );
      checkpoint = { seq: r.report!.seq, hash: r.report!.hash, at: r.report!.at, signer: r.report!.signer };
    }
    const last = rows.at(-1);
    return this.ledger.append(
      input.caseNumber,
      {
        evidence: null,
        action: 'resealed',
        purpose: input.reason,
        details: { found, ledgerEnd: last ? { seq: last.seq, hash: last.hash } : null, checkpoint },
      },
      undefined,
      { reseal: true },
    );
  }

  /** Transfer with the receiver's key on this machine, or with their signature over a prepared draft. */
  transfer(input: TransferInput & { counterSignature?: string; draft?: string }): CustodyEntry {
    const { row, entry } = this.transferEntry(input);
    const receiver = this.identity.get(input.toFingerprint);
    const run = (): CustodyEntry => {
      if (input.draft || input.counterSignature) {
        if (!input.draft || !input.counterSignature) {
          throw new AppError(
            'counter-signature-missing',
            'A detached signature needs the prepared transfer it signs.',
            'Prepare the transfer, have the receiver sign its hash, then pass both back.',
          );
        }
        return this.ledger.appendPrepared(input.caseNumber, input.draft, (body) => sameTransfer(body, entry), input.counterSignature);
      }
      if (!this.identity.canSign(receiver.fingerprint)) {
        throw new AppError(
          'counter-signature-missing',
          `${receiver.name}'s private key is not on this machine, so they cannot sign the receipt here.`,
          'Prepare the transfer, send them the hash to sign (the command is shown), and paste their base64 signature.',
        );
      }
      return this.ledger.append(input.caseNumber, entry, { signer: this.identity.signer(receiver.fingerprint) });
    };
    const result = this.core.db.transaction(() => {
      const appended = run();
      this.setCustodian(row, 'transferred', receiver.name, receiver.fingerprint);
      return appended;
    })();
    this.ledger.syncHead(input.caseNumber);
    return result;
  }

  /** The entry a receiver elsewhere must sign: its canonical body and hash. */
  prepareTransfer(input: TransferInput): TransferDraft {
    const { entry } = this.transferEntry(input);
    const draft = this.ledger.prepare(input.caseNumber, entry);
    return {
      ...draft,
      // The receiver saves `body` byte for byte as entry.json, reads it, and signs its hash.
      signCommand:
        'openssl dgst -sha256 -binary -out entry.hash entry.json && openssl pkeyutl -sign -inkey your-private-key.pem -rawin -in entry.hash | base64 -w0',
    };
  }

  /** Release (handed back / out of Lariat's custody) or dispose of an item. */
  setStatus(input: {
    caseNumber: string;
    evidenceId: number;
    status: 'released' | 'disposed';
    purpose: string;
    location?: string;
  }): EvidenceItem {
    const row = this.evidence.requireRow(input.caseNumber, input.evidenceId);
    this.core.cases.requireWritable(input.caseNumber);
    if (row.status === 'disposed')
      throw new AppError(
        'evidence-disposed',
        `Evidence item ${row.id} was already disposed of.`,
        'Its custody record is closed; add a note if something needs saying.',
      );
    this.core.db.transaction(() => {
      this.ledger.append(input.caseNumber, {
        ...this.ref(row),
        action: input.status,
        purpose: input.purpose,
        location: input.location ?? '',
        details: { from: row.status },
      });
      const me = this.identity.requireCurrent();
      this.setCustodian(row, input.status, me.name, me.fingerprint);
    })();
    this.ledger.syncHead(input.caseNumber);
    return this.evidence.get(input.caseNumber, input.evidenceId);
  }

  note(input: { caseNumber: string; evidenceId: number | null; note: string; location?: string }): CustodyEntry {
    const row = input.evidenceId == null ? null : this.evidence.requireRow(input.caseNumber, input.evidenceId);
    return this.ledger.append(input.caseNumber, {
      evidence: row ? this.ref(row).evidence : null,
      action: 'note',
      purpose: input.note,
      location: input.location ?? '',
    });
  }

  private transferEntry(input: TransferInput): { row: EvidenceRow; entry: EntryInput } {
    this.core.cases.requireWritable(input.caseNumber);
    const row = this.evidence.requireRow(input.caseNumber, input.evidenceId);
    const me = this.identity.requireCurrent();
    const receiver = this.identity.get(input.toFingerprint);
    if (receiver.fingerprint === me.fingerprint)
      throw new AppError('transfer-to-self', 'You cannot transfer evidence to yourself.', 'Choose the investigator who receives it.');
    if (row.status === 'disposed')
      throw new AppError(
        'evidence-disposed',
        `Evidence item ${row.id} was disposed of and cannot be transferred.`,
        'Nothing was recorded.',
      );
    return {
      row,
      entry: {
        ...this.ref(row),
        action: 'transferred',
        purpose: input.purpose,
        location: input.location ?? '',
        counterparty: { name: receiver.name, fingerprint: receiver.fingerprint },
        details: { releasedBy: me.name, receivedBy: receiver.name },
      },
    };
  }

  private ref(row: EvidenceRow): Pick<EntryInput, 'evidence' | 'hashes'> {
    const hashes = {
      ...(row.md5 ? { md5: row.md5 } : {}),
      ...(row.sha1 ? { sha1: row.sha1 } : {}),
      ...(row.sha256 ? { sha256: row.sha256 } : {}),
    };
    return {
      evidence: { id: row.id, sha256: row.sha256, description: row.description },
      hashes: Object.keys(hashes).length ? hashes : null,
    };
  }

  private setCustodian(row: EvidenceRow, status: EvidenceRow['status'], name: string, fingerprint: string): void {
    this.core.db
      .prepare('UPDATE evidence SET status = ?, custodian = ?, custodian_fp = ?, updated_at = ? WHERE id = ?')
      .run(status, name, fingerprint, this.core.clock.now().toISOString(), row.id);
    this.core.activity.record({
      caseId: row.case_id,
      action: `evidence.${status}`,
      entity: 'evidence',
      entityId: row.id,
      details: { custodian: name },
    });
    this.core.events.emit('caseChanged', { caseNumber: row.case_number, what: 'evidence' });
  }
}

function sameTransfer(body: CustodyBody, expected: EntryInput): void {
  const same =
    body.action === 'transferred' &&
    body.evidence?.id === expected.evidence?.id &&
    body.counterparty?.fingerprint === expected.counterparty?.fingerprint &&
    body.purpose === expected.purpose &&
    body.location === (expected.location ?? '');
  if (!same)
    throw new AppError(
      'invalid-draft',
      'The prepared transfer does not match this transfer (item, receiver, purpose or location differ).',
      'Prepare the transfer again with the same details.',
    );
}
