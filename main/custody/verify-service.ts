import fs from 'node:fs';
import type { Core } from '../core/core';
import { AppError } from '../core/errors';
import type { JobContext } from '../jobs/job-service';
import type { AnchorReport, CheckpointReport, CustodyBody, VerificationProblem, VerificationResult } from '../../common/contract/custody';
import type { LedgerRow } from './entry';
import { checkLedgerItems, type LedgerItem, type Problem } from './ledger-check';
import { checkCheckpoint } from './checkpoint-check';
import { HEAD_FILE, type LedgerService } from './ledger-service';
import type { EvidenceService } from './evidence-service';
import type { IdentityService } from './identity-service';
import type { TrustStore } from './trust-store';
import { checkRegister, checkVaultFiles, signedAcquisitions } from './evidence-check';
import { verifyTimestamp } from './anchors/tsa';

/** What a verifier is given from outside the data folder. */
export interface VerifyInputs {
  /** Fingerprints obtained by another channel; replace the data folder's trust list when given. */
  trust?: string[];
  /** Checkpoint texts kept from earlier reports, exports or bundles. */
  checkpoints?: { text: string; label?: string }[];
  /** RFC 3161 responses (DER) over given checkpoints, and the TSA certificates (PEM) trusted to sign them. */
  timestamps?: Buffer[];
  tsaCertificates?: string[];
  /** Anchors already fetched and judged by the caller (S3 Object Lock). */
  anchors?: AnchorReport[];
}

/** Re-verifies a received case's kept bundle; bound by the reports feature (which owns bundles). */
export type ReceivedVerifier = (
  caseNumber: string,
  accepted: ReadonlyMap<string, string>,
  job?: JobContext,
) => Promise<{ problems: Problem[]; received: VerificationResult['received']; signers: VerificationResult['signers']; warnings: string[] }>;

/**
 * Checks a case's custody record from scratch, trusting nothing stored:
 * every entry's hash is recomputed from its signed body and every column
 * compared with it, the chain and sequence are followed, every signature is
 * checked with the key of its fingerprint, every signer must be a trust
 * anchor or introduced by an accepted key, the signed heads (database and
 * vault copy) must be reached and matched, the ledger must extend every
 * checkpoint given, the register must say what the signed acquisition
 * entries say, and every vault file is re-hashed against the SHA-256 in its
 * signed acquisition entry. Nothing is repaired.
 */
export class VerifyService {
  private received: ReceivedVerifier | null = null;

  constructor(
    private readonly core: Core,
    private readonly ledger: LedgerService,
    private readonly vault: EvidenceService,
    private readonly identity: IdentityService,
    private readonly trust: TrustStore,
  ) {}

  /** Lets the reports feature re-verify the bundles received cases keep. */
  setReceivedVerifier(fn: ReceivedVerifier): void {
    this.received = fn;
  }

  async verify(caseNumber: string, options: { job?: JobContext; record?: boolean } & VerifyInputs = {}): Promise<VerificationResult> {
    const caseRow = this.core.cases.require(caseNumber);
    const rows = this.ledger.rows(caseRow.id);
    const problems: VerificationProblem[] = [];
    const add = (p: Problem): void => void problems.push({ seq: null, evidenceId: null, file: null, ...p });
    const roots = this.trust.roots(options.trust);
    const check = checkLedgerItems(rows.map(itemOf), {
      caseNumber,
      keyOf: (fp) => this.identity.publicKey(fp),
      roots,
      extra: (item, body) => columnProblem(caseNumber, item as LedgerItem & { row: LedgerRow }, body),
    });
    check.problems.forEach(add);
    const head = this.ledger.headCheck(caseNumber);
    head.problems.forEach(add);

    const hashAt = new Map(rows.map((r) => [r.seq, r.hash]));
    const checkpoints: CheckpointReport[] = [];
    const given = options.checkpoints ?? [];
    given.forEach(({ text, label }, i) => {
      const r = checkCheckpoint(
        text,
        {
          caseNumber,
          lastSeq: rows.at(-1)?.seq ?? 0,
          hashAt: (s) => hashAt.get(s) ?? null,
          keyOf: (fp) => this.identity.publicKey(fp),
          accepted: check.accepted,
        },
        label ?? `checkpoint ${i + 1}`,
      );
      if (r.report) checkpoints.push(r.report);
      if (r.problem) add(r.problem);
    });
    const anchors = [...(options.anchors ?? [])];
    for (const a of anchors) if (!a.ok) add({ kind: 'anchor-invalid', message: a.message });
    for (const [i, token] of (options.timestamps ?? []).entries()) {
      const r = verifyTimestamp(
        token,
        given.map((g) => g.text),
        options.tsaCertificates ?? [],
      );
      anchors.push({ kind: 'tsa', ok: r.ok, message: `time-stamp ${i + 1}: ${r.message}` });
      if (!r.ok) add({ kind: 'anchor-invalid', message: `time-stamp ${i + 1}: ${r.message}` });
    }

    const items = this.vault.rows(caseNumber);
    const signed = signedAcquisitions(check.bodies);
    checkRegister(items, signed, add);
    const files = await checkVaultFiles(this.core.paths.vaultDir, signed, add, options.job);
    let received: VerificationResult['received'] = null;
    let signers = check.signers;
    let warnings = check.warnings;
    if (caseRow.read_only === 1 && this.received) {
      const r = await this.received(caseNumber, check.accepted, options.job);
      r.problems.forEach(add);
      received = r.received;
      signers = [...signers, ...r.signers.filter((s) => !signers.some((x) => x.fingerprint === s.fingerprint))];
      warnings = [...warnings, ...r.warnings];
    }
    const strayFiles = this.strays(caseNumber, signed);
    const intact = problems.length === 0;
    const result: VerificationResult = {
      caseNumber,
      intact,
      entries: rows.length,
      files: files + (received?.files ?? 0),
      summary: intact ? `intact: ${rows.length} entries, ${files + (received?.files ?? 0)} files` : `broken: ${problems[0]!.message}`,
      problems,
      signers,
      trust: { source: roots.source, anchored: check.anchored, fingerprints: [...roots.keys.keys()] },
      head: head.head,
      checkpoints,
      anchors,
      warnings,
      received,
      strayFiles,
      verifiedAt: this.core.clock.now().toISOString(),
    };
    if (options.record && intact && caseRow.read_only === 0) this.recordVerification(caseNumber, result, signed.size);
    return result;
  }

  private strays(caseNumber: string, signed: ReturnType<typeof signedAcquisitions>): string[] {
    const known = new Set([...signed.values()].map((s) => s.vaultPath));
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

  private recordVerification(caseNumber: string, result: VerificationResult, items: number): void {
    try {
      this.ledger.append(caseNumber, {
        evidence: null,
        action: 'hash-verified',
        purpose: 'custody verification',
        details: {
          result: result.summary,
          entries: result.entries,
          files: result.files,
          items,
          trust: result.trust.source,
          signers: result.signers.map((s) => ({ name: s.name, fingerprint: s.fingerprint, status: s.status })),
          checkpoints: result.checkpoints.map((c) => ({ seq: c.seq, hash: c.hash })),
        },
      });
    } catch (err) {
      // Verification itself succeeded; an investigator without a usable key here simply leaves no entry.
      if (!(err instanceof AppError)) throw err;
    }
  }
}

function itemOf(row: LedgerRow): LedgerItem & { row: LedgerRow } {
  return {
    seq: row.seq,
    canonical: row.body,
    hash: row.hash,
    signature: row.signature,
    counterSignature: row.counter_signature,
    evidenceId: row.evidence_id,
    row,
  };
}

/** The columns are copies of the signed body for querying: any difference means the row was edited. */
function columnProblem(caseNumber: string, item: LedgerItem & { row: LedgerRow }, b: CustodyBody): Problem | null {
  const row = item.row;
  const checks: [string, unknown, unknown][] = [
    ['seq', row.seq, b.seq],
    ['case', caseNumber, b.case],
    ['evidence_id', row.evidence_id, b.evidence?.id ?? null],
    ['action', row.action, b.action],
    ['at', row.at, b.at],
    ['actor_fp', row.actor_fp, b.actor?.fingerprint],
    ['prev_hash', row.prev_hash, b.prev],
    ['counter_fp', row.counter_fp, b.counterparty?.fingerprint ?? null],
  ];
  const column = checks.find(([, a, c]) => a !== c)?.[0];
  return column
    ? {
        kind: 'row-altered',
        seq: row.seq,
        evidenceId: row.evidence_id,
        message: `entry ${row.seq}: row altered (column ${column} differs from the signed entry)`,
      }
    : null;
}
