import crypto from 'node:crypto';
import type { Core } from '../../core/core';
import { AppError } from '../../core/errors';
import type { AnchorRecord } from '../../../common/contract/custody';
import type { IdentityService } from '../identity-service';
import type { LedgerService } from '../ledger-service';
import { checkpointSignedBy, describeCheckpoint, parseCheckpoint } from '../checkpoint';

/** What a manual anchor keeps in the details of its signed `anchored` entry. */
interface ManualDetails {
  checkpointText: string;
  anchors: { kind: string; location: string; detail: string }[];
  checkpoint: { seq: number; hash: string };
}

/**
 * Anchors the investigator places by hand, beyond this data folder: a signed
 * checkpoint pasted into a ticket, an email to counsel, a notary's register.
 * Lariat cannot publish there, so it records (in a signed `anchored` entry,
 * which is append-only like every entry) which checkpoint was placed where;
 * whoever later fetches the text from that place passes it to a verifier
 * (`--checkpoint`), and the ticket system's own history dates it.
 *
 * The record lives in the ledger itself rather than in `custody_anchors`
 * (whose kinds are S3 and RFC 3161): no schema change, and it is signed.
 */
export class ManualAnchors {
  constructor(
    private readonly core: Core,
    private readonly ledger: LedgerService,
    private readonly identity: IdentityService,
  ) {}

  /** Checks that `text` is a checkpoint of this ledger, validly signed, then records where it was placed. */
  record(caseNumber: string, text: string, location: string): AnchorRecord[] {
    this.core.cases.requireWritable(caseNumber);
    const cp = parseCheckpoint(text);
    const again = 'Copy the checkpoint again from the Custody tab (or `lariat custody checkpoint`) and paste both lines unchanged.';
    if (typeof cp === 'string') throw new AppError('invalid-checkpoint', `This is not a custody checkpoint: ${cp}.`, again);
    if (cp.case !== caseNumber)
      throw new AppError('invalid-checkpoint', `This checkpoint is of case ${cp.case}, not ${caseNumber}.`, 'Record it in its own case.');
    const key = this.identity.publicKey(cp.signer.fingerprint);
    if (!key || !checkpointSignedBy(cp, key))
      throw new AppError(
        'invalid-checkpoint',
        `The ${describeCheckpoint(cp)} is not validly signed by a key known here: it was changed after signing.`,
        again,
      );
    const held = this.ledger.list(caseNumber).find((e) => e.seq === cp.seq);
    if (!held || held.hash !== cp.hash)
      throw new AppError(
        'invalid-checkpoint',
        `The ledger of ${caseNumber} does not hold entry ${cp.seq} with hash ${cp.hash.slice(0, 12)}…: this checkpoint is not of this ledger.`,
        'Verify the case (Custody tab → Verify) and record a checkpoint signed from this ledger.',
      );
    const digest = crypto.createHash('sha256').update(text).digest('hex');
    const body = `${cp.line}\n${cp.signature.toString('base64')}\n`;
    this.ledger.append(caseNumber, {
      evidence: null,
      action: 'anchored',
      purpose: `checkpoint of entry ${cp.seq} placed outside Lariat: ${location}`,
      details: {
        checkpoint: { seq: cp.seq, hash: cp.hash, at: cp.at, signer: cp.signer },
        checkpointText: body,
        sha256: digest,
        anchors: [{ kind: 'manual', location, detail: 'placed by the investigator; fetch it from there and verify with --checkpoint' }],
      },
    });
    return this.list(caseNumber);
  }

  /** The manual anchors of a case, from its signed `anchored` entries, oldest first. */
  list(caseNumber: string): AnchorRecord[] {
    const out: AnchorRecord[] = [];
    for (const e of this.ledger.list(caseNumber)) {
      if (e.action !== 'anchored') continue;
      const d = e.details as Partial<ManualDetails>;
      const manual = Array.isArray(d.anchors) ? d.anchors.find((a) => a?.kind === 'manual') : undefined;
      if (!manual || typeof d.checkpointText !== 'string' || !d.checkpoint) continue;
      out.push({
        kind: 'manual',
        seq: d.checkpoint.seq,
        hash: d.checkpoint.hash,
        location: manual.location,
        detail: `recorded in entry ${e.seq} by ${e.actor.name}`,
        checkpoint: d.checkpointText,
        token: null,
        createdAt: e.at,
      });
    }
    return out;
  }
}
