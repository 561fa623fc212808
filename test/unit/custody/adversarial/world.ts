import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { makeServices, tempDir } from '../../../helpers/services';
import { cli } from '../../../helpers/cli';
import { sh } from '../fixture';

/**
 * The case every forgery starts from, built once and copied for each attack:
 *
 *    1 imported  auth.log            Ada
 *    2 imported  mem.lime            Ada
 *    3 accessed  #1                  Ada
 *    4 introduced Bob Receiver        Ada          (Bob's key vouched for)
 *    5 note                          Ada
 *      ── old export (holds 1-5), kept by a third party ──
 *    6 exported                      Ada
 *    7 note                          Bob Receiver (second identity on this laptop)
 *    8 transferred #1 → Bob           Ada + Bob's counter-signature
 *    9 note                          Ada
 *      ── checkpoint 9 (kept by a third party), export (holds 1-9) ──
 *   10 exported                      Ada
 *      ── bundle with evidence (holds 1-10) ──
 *   11-13 exported (two items, the case)
 */
export interface World {
  root: string;
  dataDir: string;
  caseNumber: string;
  ada: { name: string; fingerprint: string };
  bob: { name: string; fingerprint: string };
  /** Checkpoint texts kept outside the data folder. */
  checkpoint5: string;
  checkpoint9: string;
  /** Taken at the very end (entry 13), e.g. from a report handed to counsel. */
  checkpoint13: string;
  oldExport: string;
  exportDir: string;
  bundle: string;
  /** The vault folder of the case (verify.sh's last argument). */
  vaultDir: string;
  /** A receiving data folder with its own investigator, for `lariat verify`. */
  receiverDir: string;
}

export async function buildWorld(): Promise<World> {
  const root = tempDir('lariat-adversary-');
  const dataDir = path.join(root, 'data');
  const s = makeServices({ dataDir });
  const ada = s.custody.identity.create({ name: 'Ada Analyst', role: 'Incident responder', organisation: 'ACME CSIRT' });
  const bob = s.custody.identity.create({ name: 'Bob Receiver', organisation: 'ACME Legal' });
  s.custody.identity.use(ada.fingerprint);
  const caseNumber = s.core.cases.create({ title: 'Stolen keys on web-1', severity: 'high' }).number;
  const inbox = path.join(root, 'inbox');
  fs.mkdirSync(inbox);
  fs.writeFileSync(
    path.join(inbox, 'auth.log'),
    'Nov 27 10:00:01 web-1 sshd[811]: Accepted publickey for ubuntu from 203.0.113.7\n'.repeat(50),
  );
  fs.writeFileSync(path.join(inbox, 'mem.lime'), crypto.randomBytes(200_000));
  const a = await s.custody.evidence.importFile(caseNumber, path.join(inbox, 'auth.log'), {});
  await s.custody.evidence.importFile(caseNumber, path.join(inbox, 'mem.lime'), { kind: 'memory-image' });
  s.custody.evidence.recordCustody(caseNumber, { evidenceId: a.id, action: 'accessed', purpose: 'parse for the timeline' });
  s.custody.actions.introduce({ caseNumber, fingerprint: bob.fingerprint });
  s.custody.actions.note({ caseNumber, evidenceId: null, note: 'collection complete' });
  const checkpoint5 = s.custody.ledger.checkpoint(caseNumber).text;
  const oldExport = path.join(root, 'old-export');
  s.custody.exporter.exportTo(caseNumber, oldExport);
  s.custody.identity.use(bob.fingerprint);
  s.custody.actions.note({ caseNumber, evidenceId: null, note: 'reviewed by legal' });
  s.custody.identity.use(ada.fingerprint);
  s.custody.actions.transfer({ caseNumber, evidenceId: a.id, toFingerprint: bob.fingerprint, purpose: 'legal hold', location: 'HQ' });
  s.custody.actions.note({ caseNumber, evidenceId: null, note: 'handover at end of shift' });
  const checkpoint9 = s.custody.ledger.checkpoint(caseNumber).text;
  const exportDir = path.join(root, 'export');
  s.custody.exporter.exportTo(caseNumber, exportDir);
  const bundle = path.join(root, 'case.lariat');
  await s.reports.bundles.export({ caseNumber, outPath: bundle, withEvidence: true });
  const vaultDir = s.custody.vault.caseDir(caseNumber);
  const checkpoint13 = s.custody.ledger.checkpoint(caseNumber).text;
  s.close();
  const receiverDir = path.join(root, 'receiver');
  const r = makeServices({ dataDir: receiverDir });
  r.custody.identity.create({ name: 'Carol Counsel' });
  r.close();
  return {
    root,
    dataDir,
    caseNumber,
    ada: { name: ada.name, fingerprint: ada.fingerprint },
    bob: { name: bob.name, fingerprint: bob.fingerprint },
    checkpoint5,
    checkpoint9,
    checkpoint13,
    oldExport,
    exportDir,
    bundle,
    vaultDir,
    receiverDir,
  };
}

/** A private copy of the world for one attack (the vault's read-only files stay read-only). */
export function copyWorld(w: World, name: string): World {
  const root = path.join(path.dirname(w.root), `${path.basename(w.root)}-${name}`);
  fs.cpSync(w.root, root, { recursive: true });
  const at = (p: string) => path.join(root, path.relative(w.root, p));
  return {
    ...w,
    root,
    dataDir: at(w.dataDir),
    oldExport: at(w.oldExport),
    exportDir: at(w.exportDir),
    bundle: at(w.bundle),
    vaultDir: at(w.vaultDir),
    receiverDir: at(w.receiverDir),
  };
}

export function dropWorld(w: World): void {
  fs.rmSync(w.root, { recursive: true, force: true });
}

/** Writes a checkpoint text into a file a verifier is given. */
export function checkpointFile(w: World, text: string, name = 'kept.checkpoint.txt'): string {
  const file = path.join(w.root, name);
  fs.writeFileSync(file, text);
  return file;
}

/** `lariat custody verify` through the CLI (ctx.op), trusting the data folder's trust list unless told otherwise. */
export async function custodyVerify(w: World, ...args: string[]): Promise<{ code: number; out: string; first: string }> {
  const r = await cli(w.dataDir, 'custody', 'verify', w.caseNumber, ...args);
  return { code: r.code, out: `${r.out}\n${r.err}`, first: r.out.split('\n')[0] ?? '' };
}

/** The exported verify.sh with the system's sh, openssl and sha256sum, trusting Ada's fingerprint. */
export function verifySh(w: World, dir: string, ...args: string[]): { code: number; out: string; last: string } {
  const r = sh('sh', [path.join(dir, 'verify.sh'), '--trust', w.ada.fingerprint, ...args, w.vaultDir]);
  return { code: r.status, out: r.out, last: r.out.trim().split('\n').at(-1) ?? '' };
}

/** `lariat verify` of a bundle, in the receiver's data folder, trusting Ada's fingerprint. */
export async function bundleVerify(w: World, file: string, ...args: string[]): Promise<{ code: number; out: string; verdict: string }> {
  const r = await cli(w.receiverDir, 'verify', file, '--trust', w.ada.fingerprint, ...args);
  const verdict = r.out.split('\n').find((l) => /^(REFUSED|NOT ANCHORED|intact)/.test(l)) ?? `${r.out}\n${r.err}`;
  return { code: r.code, out: r.out, verdict };
}
