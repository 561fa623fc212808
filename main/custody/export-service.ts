import fs from 'node:fs';
import path from 'node:path';
import canonicalize from 'canonicalize';
import type { Core } from '../core/core';
import { AppError } from '../core/errors';
import type { CustodyExportResult } from '../../common/contract/custody';
import type { IdentityService } from './identity-service';
import type { LedgerService } from './ledger-service';
import type { EvidenceService } from './evidence-service';
import { toEntry } from './entry';
import { VERIFY_MD, VERIFY_SH } from './verify-script';

/**
 * Writes a case's custody record in a form anyone can check without Lariat:
 * `ledger.jsonl` (one entry per line), `entries/NNNNNN.json` (the exact bytes
 * that were hashed), `entries/NNNNNN.sig` (raw 64-byte Ed25519 signatures over
 * the raw SHA-256 of those bytes), `keys/<fingerprint>.pem`, `SHA256SUMS` of
 * the vault files (names relative to the case's vault folder), `verify.sh`
 * and `VERIFY.md`.
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
    if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0) {
      throw new AppError(
        'export-folder-not-empty',
        `${dir} is not empty.`,
        'Choose a new or empty folder, so the export cannot mix with other files.',
      );
    }
    // The export is itself a custody event; recorded first so the export contains it.
    if (caseRow.read_only === 0 && this.identity.current() && this.identity.canSign(this.identity.current()!.fingerprint)) {
      try {
        this.ledger.append(caseNumber, {
          evidence: null,
          action: 'exported',
          purpose: 'custody record exported for independent verification',
          details: { to: dir },
        });
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
      }
    }
    const rows = this.ledger.rows(caseRow.id);
    fs.mkdirSync(path.join(dir, 'entries'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'keys'), { recursive: true });
    const lines: string[] = [];
    const fingerprints = new Set<string>();
    for (const row of rows) {
      const name = String(row.seq).padStart(6, '0');
      fs.writeFileSync(path.join(dir, 'entries', `${name}.json`), row.body);
      fs.writeFileSync(path.join(dir, 'entries', `${name}.sig`), Buffer.from(row.signature, 'base64'));
      if (row.counter_signature)
        fs.writeFileSync(path.join(dir, 'entries', `${name}.counter.sig`), Buffer.from(row.counter_signature, 'base64'));
      fingerprints.add(row.actor_fp);
      if (row.counter_fp) fingerprints.add(row.counter_fp);
      lines.push(canonicalize(toEntry(row))!);
    }
    fs.writeFileSync(path.join(dir, 'ledger.jsonl'), lines.map((l) => `${l}\n`).join(''));
    for (const fp of fingerprints) {
      let pem: string;
      try {
        pem = this.identity.get(fp).publicKeyPem;
      } catch {
        continue; // reported by verification as an unknown key
      }
      fs.writeFileSync(path.join(dir, 'keys', `${fp}.pem`), pem);
    }
    const files = this.vault.rows(caseNumber).filter((r) => r.vault_path && r.sha256);
    fs.writeFileSync(path.join(dir, 'SHA256SUMS'), files.map((r) => `${r.sha256}  ${path.basename(r.vault_path!)}\n`).join(''));
    fs.writeFileSync(path.join(dir, 'verify.sh'), VERIFY_SH, { mode: 0o755 });
    fs.writeFileSync(path.join(dir, 'VERIFY.md'), VERIFY_MD(caseNumber, this.vault.caseDir(caseNumber)));
    this.core.activity.record({
      caseId: caseRow.id,
      action: 'custody.exported',
      entity: 'case',
      entityId: caseNumber,
      details: { dir, entries: rows.length, files: files.length },
    });
    return { dir, vaultDir: this.vault.caseDir(caseNumber), entries: rows.length, files: files.length, keys: fingerprints.size };
  }
}
