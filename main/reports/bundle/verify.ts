import crypto from 'node:crypto';
import fs from 'node:fs';
import { parseEd25519PublicKey, fingerprintOf, verifyBytes } from '../../custody/keys';
import { AppError } from '../../core/errors';
import type { CustodyBody, CustodyEntry } from '../../../common/contract/custody';
import type { BundleCheck, BundleVerification } from '../../../common/contract/reports';
import { checkLedgerItems } from '../../custody/ledger-check';
import { checkCheckpoint } from '../../custody/checkpoint-check';
import { parseCheckpoint } from '../../custody/checkpoint';
import type { TrustRoots } from '../../custody/trust-store';
import { CHECKPOINT_FILE, DEFAULT_LIMITS, MANIFEST, MAX_KEY_BYTES, type Manifest, SIGNATURE, type ZipLimits } from './format';
import { BundleRefusal, SafeZip, type BundleSource } from './safe-zip';
import type { CaseData } from './case-data';
import {
  IN_MEMORY_ROLES,
  checkBudget,
  checkEvidence,
  checkFileList,
  keysOf,
  openSink,
  ownCheckpointProblem,
  parseCaseData,
  parseLedger,
  parseManifest,
} from './checks';

export { pickCaseInput } from './checks';

export interface BundleContents {
  manifest: Manifest;
  manifestBytes: Buffer;
  signature: Buffer;
  caseData: CaseData;
  ledger: CustodyEntry[];
  /** Public keys by fingerprint (recomputed from each PEM). */
  keys: Map<string, string>;
  /** Keys the ledger accepts, and why. */
  accepted: Map<string, string>;
  bodies: Map<number, CustodyBody>;
}

export interface VerifyOptions {
  limits?: Partial<ZipLimits>;
  /** Extract every file under this folder while (re-)verifying it. Callers verify once without it first. */
  extractTo?: string;
  onProgress?: (done: number, total: number) => void;
  /** Keys trusted from the start (given fingerprints or the trust list); none: the verdict can only be "not anchored". */
  roots?: TrustRoots;
  /** Checkpoints kept from earlier: the bundle's ledger must extend each. */
  checkpoints?: string[];
}

const sha256 = (b: Buffer): string => crypto.createHash('sha256').update(b).digest('hex');

const LEDGER_CODES: Record<string, string> = {
  'sequence-gap': 'ledger-gap',
  'hash-mismatch': 'ledger-hash',
  'chain-broken': 'ledger-chain',
  'signature-invalid': 'ledger-signature',
  'unknown-key': 'unknown-key',
  'row-altered': 'ledger-invalid',
  'untrusted-signer': 'untrusted-signer',
};

/** Verifies a `.lariat` file: the archive's structure first, then everything inside (see `verifySource`). */
export async function verifyBundle(
  file: string,
  options: VerifyOptions = {},
): Promise<{ verification: BundleVerification; contents: BundleContents | null }> {
  if (!fs.existsSync(file)) throw new AppError('not-found', `There is no file at ${file}.`, 'Check the path of the .lariat bundle.');
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const v = emptyVerification();
  let zip: SafeZip;
  try {
    zip = await SafeZip.open(file, limits);
  } catch (err) {
    if (!(err instanceof BundleRefusal)) throw err;
    return { verification: refuse(v, 'archive', err), contents: null };
  }
  v.checks.push({
    name: 'archive',
    ok: true,
    detail: `${zip.entries.size} entries; no absolute or ../ paths, links, duplicates, overlaps or encrypted entries; local headers match the directory`,
  });
  try {
    return await verifySource(zip, options, v);
  } finally {
    zip.close();
  }
}

/**
 * Verifies a bundle from its files, trusting nothing it says until checked:
 * manifest schema and memory budget (before anything big is read), the
 * exporter's Ed25519 signature over the manifest (with a key file whose
 * fingerprint is recomputed), exactly the listed files with the listed size
 * and SHA-256 (streamed), the custody ledger (chain, signatures, and every
 * signer a trust anchor or introduced by one), the exporter's signed
 * checkpoint and any earlier checkpoints given, then the case data and every
 * bundled evidence file against the SHA-256 in its SIGNED acquisition entry.
 * Stops at the first failure and names it. A bundle that passes everything but
 * whose keys are none of the trusted ones is `intact` but not `ok`.
 */
export async function verifySource(
  source: BundleSource,
  options: VerifyOptions,
  v: BundleVerification = emptyVerification(),
): Promise<{ verification: BundleVerification; contents: BundleContents | null }> {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const roots: TrustRoots = options.roots ?? { keys: new Map(), source: 'none given' };
  const pass = (name: string, detail: string): void => void v.checks.push({ name, ok: true, detail });
  let current = 'manifest';
  try {
    if (!source.has(MANIFEST)) throw new BundleRefusal('missing-file', `${MANIFEST} is missing: this is not a Lariat bundle.`);
    const manifestBytes = await source.readSmall(MANIFEST, limits.maxManifestBytes);
    const manifest = parseManifest(manifestBytes);
    v.caseNumber = manifest.case.number;
    v.caseTitle = manifest.case.title;
    v.exporter = { name: manifest.exporter.name, fingerprint: manifest.exporter.fingerprint };
    v.exportedAt = manifest.createdAt;
    v.files = manifest.files.length;
    v.bytes = manifest.files.reduce((a, f) => a + f.size, 0);
    checkBudget(manifest, manifestBytes.length, limits);
    pass(
      'manifest',
      `format ${manifest.formatVersion}, case ${manifest.case.number}, ${manifest.files.length} files, exported ${manifest.createdAt} by ${manifest.exporter.name}`,
    );

    current = 'file list';
    checkFileList(manifest, source);
    pass('file list', 'the archive holds exactly the files the manifest lists, plus the manifest and its signature');

    current = 'signature';
    const keyFile = manifest.files.find((f) => f.path === manifest.exporter.publicKey && f.role === 'key');
    if (!keyFile)
      throw new BundleRefusal('unknown-key', `The exporter's public key ${manifest.exporter.publicKey} is not listed in the manifest.`);
    const keyBytes = await source.readSmall(keyFile.path, MAX_KEY_BYTES);
    if (sha256(keyBytes) !== keyFile.sha256)
      throw new BundleRefusal('hash-mismatch', `${keyFile.path}: SHA-256 differs from the manifest (the exporter's key file was changed).`);
    let exporterKey;
    try {
      exporterKey = parseEd25519PublicKey(keyBytes.toString('utf8'));
    } catch {
      throw new BundleRefusal('unknown-key', `${keyFile.path} is not an Ed25519 public key.`);
    }
    if (fingerprintOf(exporterKey) !== manifest.exporter.fingerprint)
      throw new BundleRefusal(
        'unknown-key',
        `${keyFile.path} is not the key with the exporter's fingerprint ${manifest.exporter.fingerprint}.`,
      );
    const signature = await source.readSmall(SIGNATURE, 64);
    if (signature.length !== 64 || !verifyBytes(exporterKey, manifestBytes, signature)) {
      throw new BundleRefusal(
        'signature-invalid',
        `The signature of ${MANIFEST} does not verify with the exporter's key ${manifest.exporter.fingerprint}: the manifest was changed or signed by another key.`,
      );
    }
    pass('signature', `Ed25519 signature of ${MANIFEST} valid for ${manifest.exporter.name}, key ${manifest.exporter.fingerprint}`);

    current = 'files';
    const small = new Map<string, Buffer>();
    const actual = new Map<string, string>();
    let done = 0;
    for (const f of manifest.files) {
      const sink = options.extractTo ? await openSink(options.extractTo, f.path) : null;
      const keep = IN_MEMORY_ROLES.has(f.role) ? Buffer.allocUnsafe(f.size) : null;
      let at = 0;
      const got = await source
        .stream(f.path, f.size, async (c) => {
          if (keep) at += c.copy(keep, at);
          if (sink) await sink.write(c);
          done += c.length;
          options.onProgress?.(done, v.bytes);
        })
        .finally(() => sink?.close());
      if (got.sha256 !== f.sha256)
        throw new BundleRefusal(
          'hash-mismatch',
          `${f.path}: SHA-256 ${got.sha256} differs from the manifest's ${f.sha256} (the file was changed).`,
        );
      actual.set(f.path, got.sha256);
      if (keep) small.set(f.path, keep);
    }
    pass('files', `${manifest.files.length} files, ${v.bytes} bytes: every size and SHA-256 matches the manifest`);

    current = 'ledger';
    const keys = keysOf(manifest, small);
    const ledgerFile = manifest.files.find((f) => f.role === 'ledger');
    if (!ledgerFile) throw new BundleRefusal('missing-file', 'The manifest lists no custody ledger.');
    const ledgerText = small.get(ledgerFile.path)!.toString('utf8');
    small.delete(ledgerFile.path);
    const { entries: ledger, items } = parseLedger(ledgerText);
    const keyObjects = new Map([...keys].map(([fp, pem]) => [fp, parseEd25519PublicKey(pem)]));
    const check = checkLedgerItems(items, { caseNumber: manifest.case.number, keyOf: (fp) => keyObjects.get(fp) ?? null, roots });
    v.signers = check.signers;
    v.warnings = check.warnings;
    const blocking = check.problems.find((p) => p.kind !== 'not-anchored');
    if (blocking) throw new BundleRefusal(LEDGER_CODES[blocking.kind] ?? 'ledger-invalid', `ledger.jsonl: ${blocking.message}.`);
    const head = check.last;
    if (ledger.length !== manifest.ledger.entries || (head?.hash ?? null) !== manifest.ledger.head)
      throw new BundleRefusal(
        'ledger-mismatch',
        `The ledger holds ${ledger.length} entries ending ${head?.hash ?? '(none)'}; the manifest says ${manifest.ledger.entries} ending ${manifest.ledger.head ?? '(none)'}.`,
      );
    if (!check.accepted.has(manifest.exporter.fingerprint))
      throw new BundleRefusal(
        'unknown-signer',
        `The manifest is signed by ${manifest.exporter.name} (key ${manifest.exporter.fingerprint}), which is not trusted: it is not a trust anchor and no accepted key of the ledger introduced it (the bundle was re-signed by someone else).`,
      );
    if (manifest.formatVersion === 1) {
      const exportEntry = ledger.find(
        (e) =>
          e.action === 'exported' && e.actor.fingerprint === manifest.exporter.fingerprint && e.details?.bundleId === manifest.bundleId,
      );
      if (!exportEntry)
        throw new BundleRefusal(
          'unknown-signer',
          `The manifest is signed by key ${manifest.exporter.fingerprint}, but the custody ledger has no "exported" entry for bundle ${manifest.bundleId} signed by that key: the bundle was re-signed by someone who is not its exporter.`,
        );
    }
    v.ledgerEntries = ledger.length;
    pass('ledger', `${ledger.length} custody entries: chain, sequence and signatures valid; ${check.signers.length} signer key(s)`);

    current = 'checkpoint';
    const lastSeq = head?.seq ?? 0;
    const hashAt = new Map(items.map((i) => [i.seq, i.hash]));
    if (manifest.formatVersion >= 2) {
      const cpFile = manifest.files.find((f) => f.role === 'checkpoint');
      if (!cpFile) throw new BundleRefusal('missing-file', `${CHECKPOINT_FILE} is missing: the bundle does not say where its ledger ends.`);
      const text = small.get(cpFile.path)!.toString('utf8');
      const p = ownCheckpointProblem(text, manifest, lastSeq, head?.hash ?? null, (fp) => keyObjects.get(fp) ?? null);
      if (p) throw new BundleRefusal(p.kind, p.message);
      const cp = parseCheckpoint(text);
      if (typeof cp !== 'string') v.checkpoint = { case: cp.case, seq: cp.seq, hash: cp.hash, at: cp.at, signer: cp.signer };
    }
    for (const [i, text] of (options.checkpoints ?? []).entries()) {
      const r = checkCheckpoint(
        text,
        {
          caseNumber: manifest.case.number,
          lastSeq,
          hashAt: (s) => hashAt.get(s) ?? null,
          keyOf: (fp) => keyObjects.get(fp) ?? null,
          accepted: check.accepted,
        },
        `checkpoint ${i + 1}`,
      );
      if (r.report) v.checkpoints.push(r.report);
      if (r.problem) throw new BundleRefusal(r.problem.kind, r.problem.message);
    }
    pass(
      'checkpoint',
      v.checkpoint
        ? `signed by ${v.checkpoint.signer.name} at ${v.checkpoint.at}: the ledger ends at entry ${v.checkpoint.seq}${v.checkpoints.length ? `, and extends the ${v.checkpoints.length} earlier checkpoint(s) given` : ''}`
        : 'format 1 bundle: no checkpoint (the exporter signed an "exported" entry instead)',
    );

    current = 'case data';
    const caseFile = manifest.files.find((f) => f.role === 'case');
    if (!caseFile) throw new BundleRefusal('missing-file', 'The manifest lists no case data.');
    // The bytes are dropped before parsing, so the budget is held about three times at most (bytes, text, objects), never more.
    const caseText = small.get(caseFile.path)!.toString('utf8');
    small.delete(caseFile.path);
    const caseData = parseCaseData(caseText, manifest);
    checkEvidence(manifest, caseData, check.bodies, actual);
    pass(
      'case data',
      `case ${caseData.case.number}: ${caseData.tasks.length} tasks, ${caseData.notes.length} notes, ${caseData.evidence.length} evidence items${manifest.withEvidence ? ' (files included and matching the SHA-256 of their signed acquisition entries)' : ''}`,
    );

    current = 'trust';
    v.intact = true;
    v.anchored = check.anchored;
    if (!check.anchored) {
      const detail = `not anchored: none of the bundle's ${check.signers.length} signer key(s) is trusted here (anchors: ${roots.source}). If ${manifest.exporter.name} confirmed by another channel that their key fingerprint is ${manifest.exporter.fingerprint}, trust it (--trust ${manifest.exporter.fingerprint}).`;
      v.code = 'not-anchored';
      v.reason = detail;
      v.checks.push({ name: 'trust', ok: false, detail });
    } else {
      v.ok = true;
      pass('trust', check.signers.map((s) => `${s.name} ${s.fingerprint}: ${s.status}`).join('; ') || 'no signers');
    }
    return {
      verification: v,
      contents: { manifest, manifestBytes, signature, caseData, ledger, keys, accepted: check.accepted, bodies: check.bodies },
    };
  } catch (err) {
    if (!(err instanceof BundleRefusal)) throw err;
    return { verification: refuse(v, current, err), contents: null };
  }
}

export function emptyVerification(): BundleVerification {
  return {
    ok: false,
    intact: false,
    anchored: false,
    reason: null,
    code: null,
    checks: [],
    caseNumber: null,
    caseTitle: null,
    exporter: null,
    exportedAt: null,
    files: 0,
    bytes: 0,
    ledgerEntries: null,
    signers: [],
    checkpoint: null,
    checkpoints: [],
    warnings: [],
  };
}

function refuse(v: BundleVerification, check: string, err: BundleRefusal): BundleVerification {
  v.ok = false;
  v.intact = false;
  v.code = err.check;
  v.reason = err.message;
  v.checks.push({ name: check, ok: false, detail: err.message } satisfies BundleCheck);
  return v;
}
