import fs from 'node:fs';
import path from 'node:path';
import type { CustodyBody } from '../../common/contract/custody';
import type { JobContext } from '../jobs/job-service';
import type { EvidenceRow } from './evidence-rows';
import type { Problem } from './ledger-check';
import { sha256File } from './vault-copy';

/** What the signed acquisition entry of an item says: the only source of truth for its hashes and vault path. */
export interface SignedAcquisition {
  seq: number;
  evidenceId: number;
  sha256: string | null;
  md5: string | null;
  sha1: string | null;
  vaultPath: string | null;
  size: number | null;
}

/** The `imported`/`acquired` entry of each evidence item, from bodies whose hash (and so content) is intact. */
export function signedAcquisitions(bodies: Map<number, CustodyBody>): Map<number, SignedAcquisition> {
  const out = new Map<number, SignedAcquisition>();
  for (const b of bodies.values()) {
    if (!b.evidence || (b.action !== 'imported' && b.action !== 'acquired') || out.has(b.evidence.id)) continue;
    const vp = b.details?.vaultPath;
    const size = b.details?.size;
    out.set(b.evidence.id, {
      seq: b.seq,
      evidenceId: b.evidence.id,
      sha256: b.hashes?.sha256 ?? null,
      md5: b.hashes?.md5 ?? null,
      sha1: b.hashes?.sha1 ?? null,
      vaultPath: typeof vp === 'string' ? vp : null,
      size: typeof size === 'number' ? size : null,
    });
  }
  return out;
}

/** The register must say what the signed acquisition entries say (it is a copy for display, never trusted). */
export function checkRegister(items: EvidenceRow[], signed: Map<number, SignedAcquisition>, add: (p: Problem) => void): void {
  const inRegister = new Set<number>();
  for (const item of items) {
    inRegister.add(item.id);
    const s = signed.get(item.id);
    if (!s) {
      add({
        kind: 'row-altered',
        evidenceId: item.id,
        file: item.vault_path,
        message: `evidence item ${item.id}: no valid custody entry records its acquisition`,
      });
      continue;
    }
    if (s.sha256 !== item.sha256 || s.md5 !== item.md5 || s.sha1 !== item.sha1 || s.vaultPath !== item.vault_path)
      add({
        kind: 'row-altered',
        seq: s.seq,
        evidenceId: item.id,
        file: item.vault_path,
        message: `evidence item ${item.id}: register row altered (its hashes or vault path differ from signed entry ${s.seq})`,
      });
  }
  for (const s of signed.values())
    if (!inRegister.has(s.evidenceId))
      add({
        kind: 'row-altered',
        seq: s.seq,
        evidenceId: s.evidenceId,
        file: s.vaultPath,
        message: `evidence item ${s.evidenceId}: register row missing (signed entry ${s.seq} records its acquisition)`,
      });
}

/**
 * Re-hashes every vault file named by a signed acquisition entry and compares
 * it with the SHA-256 in that entry, never with the register or a list.
 * Returns the number of files checked.
 */
export async function checkVaultFiles(
  vaultDir: string,
  signed: Map<number, SignedAcquisition>,
  add: (p: Problem) => void,
  job?: JobContext,
): Promise<number> {
  const local = [...signed.values()].filter((s) => s.vaultPath && s.sha256);
  const total = local.reduce((n, s) => n + (s.size ?? 0), 0);
  let done = 0;
  for (const s of local) {
    job?.throwIfCancelled();
    const rel = s.vaultPath!;
    const file = path.join(vaultDir, ...rel.split('/'));
    let st: fs.Stats;
    try {
      st = fs.statSync(file);
    } catch {
      add({ kind: 'file-missing', evidenceId: s.evidenceId, file: rel, message: `file missing: ${rel} (evidence item ${s.evidenceId})` });
      continue;
    }
    const base = done;
    const actual = await sha256File(file, job?.signal, (b) => job?.progress(base + b, total));
    done = base + st.size;
    if (actual !== s.sha256)
      add({
        kind: 'file-changed',
        evidenceId: s.evidenceId,
        file: rel,
        message: `file changed: ${rel} (evidence item ${s.evidenceId}) now has SHA-256 ${actual.slice(0, 16)}… and ${st.size} bytes; the signed acquisition entry ${s.seq} records ${s.sha256!.slice(0, 16)}…`,
      });
  }
  return local.length;
}
