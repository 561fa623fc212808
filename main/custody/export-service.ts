import crypto from 'node:crypto';
import path from 'node:path';
import canonicalize from 'canonicalize';
import type { Core } from '../core/core';
import { AppError } from '../core/errors';
import type { CustodyBody, CustodyExportResult, CustodyParty } from '../../common/contract/custody';
import type { IdentityService } from './identity-service';
import type { LedgerService } from './ledger-service';
import type { EvidenceService } from './evidence-service';
import { toEntry } from './entry';
import { VERIFY_MD, verifyScript } from './verify-script';
import { signedAcquisitions } from './evidence-check';
import { writeTreeAtomically } from './atomic-dir';

/**
 * Writes a case's custody record in a form anyone can check without Lariat:
 * `ledger.jsonl` (one entry per line), `entries/NNNNNN.json` (the exact bytes
 * that were hashed), `entries/NNNNNN.sig` (raw 64-byte Ed25519 signatures over
 * the raw SHA-256 of those bytes), `keys/<fingerprint>.pem`, `checkpoint.txt`
 * (the exporter's signed checkpoint of the last entry exported), `SHA256SUMS`
 * of the vault files as their signed acquisition entries record them,
 * `verify.sh` and `VERIFY.md`.
 *
 * The folder is written under a temporary name, fsynced and renamed into
 * place; only then is the `exported` entry appended (so it is not part of
 * the export: the checkpoint says where the export ends). A ledger whose heads
 * show truncation or were tampered with is not exported.
 */
export class ExportService {
  constructor(
    private readonly core: Core,
    private readonly identity: IdentityService,
    private readonly ledger: LedgerService,
    private readonly vault: EvidenceService,
  ) {}

  exportTo(caseNumber: string, outDir: string): CustodyExportResult {
    const caseRow = this.core.cases.require(caseNumber);
    const dir = path.resolve(outDir);
    const head = this.ledger.headCheck(caseNumber);
    if (head.problems.length > 0)
      throw new AppError(
        'custody-head-invalid',
        `The custody record of ${caseNumber} was not exported: ${head.problems[0]!.message}.`,
        `Verify it against a checkpoint kept outside this data folder (\`lariat custody verify ${caseNumber} --checkpoint FILE\`), then reseal or restore it. Nothing was written or recorded.`,
      );
    const checkpoint = this.ledger.checkpoint(caseNumber);
    const rows = this.ledger.rows(caseRow.id).filter((r) => r.seq <= checkpoint.seq);
    const files = new Map<string, Buffer | string>();
    const lines: string[] = [];
    const parties = new Map<string, CustodyParty>();
    const note = (p: CustodyParty): void =>
      void (parties.has(p.fingerprint) || parties.set(p.fingerprint, { name: p.name, fingerprint: p.fingerprint }));
    for (const row of rows) {
      const name = String(row.seq).padStart(6, '0');
      files.set(`entries/${name}.json`, row.body);
      files.set(`entries/${name}.sig`, Buffer.from(row.signature, 'base64'));
      if (row.counter_signature) files.set(`entries/${name}.counter.sig`, Buffer.from(row.counter_signature, 'base64'));
      const entry = toEntry(row);
      note(entry.actor);
      if (entry.counterparty) note(entry.counterparty);
      lines.push(canonicalize(entry)!);
    }
    note(checkpoint.signer);
    files.set('ledger.jsonl', lines.map((l) => `${l}\n`).join(''));
    files.set('checkpoint.txt', checkpoint.text);
    let keys = 0;
    for (const fp of parties.keys()) {
      let pem: string;
      try {
        pem = this.identity.get(fp).publicKeyPem;
      } catch {
        continue; // verify.sh reports the entries of a key it does not have
      }
      files.set(`keys/${fp}.pem`, pem);
      keys++;
    }
    const bodies = new Map(rows.map((r) => [r.seq, JSON.parse(r.body) as CustodyBody]));
    const local = [...signedAcquisitions(bodies).values()].filter((s) => s.vaultPath && s.sha256);
    files.set('SHA256SUMS', local.map((s) => `${s.sha256}  ${path.posix.basename(s.vaultPath!)}\n`).join(''));
    files.set('verify.sh', verifyScript(this.core.paths.resourcesDir));
    files.set('VERIFY.md', VERIFY_MD(caseNumber, this.vault.caseDir(caseNumber)));
    writeTreeAtomically(dir, files, { executable: new Set(['verify.sh']) });

    const signers = [...parties.values()];
    if (caseRow.read_only === 0 && this.identity.current() && this.identity.canSign(this.identity.current()!.fingerprint)) {
      this.ledger.append(caseNumber, {
        evidence: null,
        action: 'exported',
        purpose: 'custody record exported for independent verification',
        details: {
          to: dir,
          checkpoint: { seq: checkpoint.seq, hash: checkpoint.hash, at: checkpoint.at, signer: checkpoint.signer },
          sha256: crypto.createHash('sha256').update(checkpoint.text).digest('hex'),
          entries: rows.length,
          files: local.length,
        },
      });
    }
    this.core.activity.record({
      caseId: caseRow.id,
      action: 'custody.exported',
      entity: 'case',
      entityId: caseNumber,
      details: { dir, entries: rows.length, files: local.length, checkpoint: { seq: checkpoint.seq, hash: checkpoint.hash } },
    });
    return {
      dir,
      vaultDir: this.vault.caseDir(caseNumber),
      entries: rows.length,
      files: local.length,
      keys,
      checkpoint: { case: checkpoint.case, seq: checkpoint.seq, hash: checkpoint.hash, at: checkpoint.at, signer: checkpoint.signer },
      signers,
    };
  }
}
