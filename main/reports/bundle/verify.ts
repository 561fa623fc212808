import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import canonicalize from 'canonicalize';
import { fingerprintOf, parseEd25519PublicKey, verifyBytes } from '../../custody/keys';
import { AppError } from '../../core/errors';
import type { CustodyBody, CustodyEntry } from '../../../common/contract/custody';
import type { BundleCheck, BundleVerification } from '../../../common/contract/reports';
import { CaseCreateInput } from '../../../common/contract/cases';
import { checkLedgerItems, type LedgerItem, type Problem } from '../../custody/ledger-check';
import { checkCheckpoint } from '../../custody/checkpoint-check';
import { checkpointSignedBy, parseCheckpoint } from '../../custody/checkpoint';
import { signedAcquisitions } from '../../custody/evidence-check';
import { short } from '../../custody/ledger-check';
import type { TrustRoots } from '../../custody/trust-store';
import {
  BUNDLE_FORMAT_VERSION,
  CHECKPOINT_FILE,
  DEFAULT_LIMITS,
  MANIFEST,
  MAX_CHECKPOINT_BYTES,
  MAX_KEY_BYTES,
  Manifest,
  SIGNATURE,
  type ManifestFile,
  type ZipLimits,
} from './format';
import { BundleRefusal, SafeZip, type BundleSource } from './safe-zip';
import { CaseData } from './case-data';

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

/** Files parsed in memory (within the budget); evidence and the report are only streamed. */
const IN_MEMORY_ROLES = new Set<ManifestFile['role']>(['case', 'ledger', 'key', 'checkpoint']);

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

function parseManifest(bytes: Buffer): Manifest {
  let raw: unknown;
  try {
    raw = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new BundleRefusal('manifest-invalid', `${MANIFEST} is not valid JSON.`);
  }
  const version = (raw as { formatVersion?: unknown } | null)?.formatVersion;
  if (typeof version === 'number' && version > BUNDLE_FORMAT_VERSION) {
    throw new BundleRefusal(
      'unsupported-version',
      `The bundle uses format version ${version}; this Lariat reads up to ${BUNDLE_FORMAT_VERSION}. Update Lariat.`,
    );
  }
  const parsed = Manifest.safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    throw new BundleRefusal('manifest-invalid', `${MANIFEST} is not a valid manifest (${i.path.join('.') || 'root'}: ${i.message}).`);
  }
  if (parsed.data.formatVersion !== 1 && parsed.data.formatVersion !== 2)
    throw new BundleRefusal('unsupported-version', `Unknown bundle format version ${parsed.data.formatVersion}.`);
  return parsed.data;
}

/** Refuses, before reading anything big, a bundle whose parsed files would exceed the memory budget, whatever it claims. */
function checkBudget(manifest: Manifest, manifestSize: number, limits: ZipLimits): void {
  let total = manifestSize;
  for (const f of manifest.files) {
    if (f.role === 'key' && f.size > MAX_KEY_BYTES)
      throw new BundleRefusal(
        'too-large',
        `${f.path} is listed with ${f.size} bytes; a public key file is at most ${MAX_KEY_BYTES} bytes.`,
      );
    if (f.role === 'checkpoint' && f.size > MAX_CHECKPOINT_BYTES)
      throw new BundleRefusal(
        'too-large',
        `${f.path} is listed with ${f.size} bytes; a checkpoint is at most ${MAX_CHECKPOINT_BYTES} bytes.`,
      );
    if (IN_MEMORY_ROLES.has(f.role)) total += f.size;
  }
  if (total > limits.maxInMemoryBytes)
    throw new BundleRefusal(
      'too-large',
      `The bundle's case data, ledger, keys and checkpoint add up to ${total} bytes; Lariat verifies at most ${limits.maxInMemoryBytes} bytes of them in memory.`,
    );
}

function checkFileList(manifest: Manifest, source: BundleSource): void {
  const listed = new Set<string>();
  for (const f of manifest.files) {
    if (listed.has(f.path) || f.path === MANIFEST || f.path === SIGNATURE)
      throw new BundleRefusal('manifest-invalid', `The manifest lists ${f.path} twice.`);
    listed.add(f.path);
    if (!source.has(f.path)) throw new BundleRefusal('missing-file', `${f.path} is listed in the manifest but missing from the archive.`);
  }
  if (!source.has(SIGNATURE)) throw new BundleRefusal('missing-file', `${SIGNATURE} is missing: the bundle is not signed.`);
  for (const name of source.list()) {
    if (name !== MANIFEST && name !== SIGNATURE && !listed.has(name))
      throw new BundleRefusal('extra-file', `${name} is in the archive but not in the manifest (a file was added).`);
  }
}

/** Public keys by the fingerprint recomputed from each PEM; a key file named for another fingerprint is refused. */
function keysOf(manifest: Manifest, small: Map<string, Buffer>): Map<string, string> {
  const map = new Map<string, string>();
  for (const f of manifest.files.filter((x) => x.role === 'key')) {
    const pem = small.get(f.path)!.toString('utf8');
    let fp: string;
    try {
      fp = fingerprintOf(parseEd25519PublicKey(pem));
    } catch {
      throw new BundleRefusal('bad-key', `${f.path} is not a readable Ed25519 PEM public key.`);
    }
    const named = /^keys\/([0-9a-f]{64})\.pem$/.exec(f.path)?.[1];
    if (named !== fp) throw new BundleRefusal('bad-key', `key file ${f.path} does not hold the key with that fingerprint (it holds ${fp})`);
    map.set(fp, pem);
  }
  return map;
}

function parseLedger(jsonl: string): { entries: CustodyEntry[]; items: LedgerItem[] } {
  const entries: CustodyEntry[] = [];
  const items: LedgerItem[] = [];
  jsonl
    .split('\n')
    .filter((l) => l.trim() !== '')
    .forEach((line, i) => {
      let entry: CustodyEntry;
      try {
        entry = JSON.parse(line) as CustodyEntry;
      } catch {
        throw new BundleRefusal('ledger-invalid', `Ledger line ${i + 1} is not valid JSON.`);
      }
      if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
        throw new BundleRefusal('ledger-invalid', `Ledger line ${i + 1} is not an entry.`);
      const { hash, signature, counterSignature, ...body } = entry;
      const canonical = canonicalize(body);
      if (canonical === undefined) throw new BundleRefusal('ledger-invalid', `Ledger entry ${i + 1} cannot be canonicalised.`);
      entries.push(entry);
      items.push({
        seq: i + 1,
        canonical,
        hash: typeof hash === 'string' ? hash : '',
        signature: typeof signature === 'string' ? signature : null,
        counterSignature: typeof counterSignature === 'string' ? counterSignature : null,
      });
    });
  return { entries, items };
}

/** The bundle's own checkpoint: signed by the exporter, for this case, naming exactly the ledger's last entry. */
function ownCheckpointProblem(
  text: string,
  manifest: Manifest,
  lastSeq: number,
  lastHash: string | null,
  keyOf: (fp: string) => crypto.KeyObject | null,
): Problem | null {
  const cp = parseCheckpoint(text);
  if (typeof cp === 'string')
    return { kind: 'checkpoint-invalid', message: `signed head invalid: its ${CHECKPOINT_FILE} is not a checkpoint (${cp})` };
  const key = keyOf(cp.signer.fingerprint);
  if (!key || !checkpointSignedBy(cp, key))
    return {
      kind: 'checkpoint-invalid',
      message: `signed head invalid: its ${CHECKPOINT_FILE} is not validly signed by the key it names (${short(cp.signer.fingerprint)})`,
    };
  if (cp.case !== manifest.case.number)
    return { kind: 'checkpoint-invalid', message: `signed head invalid: its ${CHECKPOINT_FILE} belongs to case ${cp.case}` };
  if (cp.signer.fingerprint !== manifest.exporter.fingerprint)
    return {
      kind: 'checkpoint-invalid',
      message: `signed head invalid: its ${CHECKPOINT_FILE} is signed by ${cp.signer.name} (key ${cp.signer.fingerprint}), not by the exporter`,
    };
  const who = `signed by ${cp.signer.name} at ${cp.at}`;
  if (cp.seq > lastSeq)
    return {
      kind: 'ledger-truncated',
      message: `ledger truncated: it ends at entry ${lastSeq}, but its ${CHECKPOINT_FILE} names entry ${cp.seq} (${short(cp.hash)}, ${who})`,
    };
  if (cp.seq < lastSeq)
    return {
      kind: 'head-invalid',
      message: `signed head behind: it names entry ${cp.seq}, but the ledger goes on to entry ${lastSeq} (entries were added without a signed head)`,
    };
  if (cp.seq > 0 && cp.hash !== lastHash)
    return {
      kind: 'ledger-forked',
      message: `ledger forked: entry ${cp.seq} is ${short(lastHash ?? '')}, but its ${CHECKPOINT_FILE} names ${short(cp.hash)} (${who})`,
    };
  return null;
}

function parseCaseData(text: string, manifest: Manifest): CaseData {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new BundleRefusal('case-invalid', 'case.json is not valid JSON.');
  }
  const parsed = CaseData.safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    throw new BundleRefusal('case-invalid', `case.json is not valid case data (${i.path.join('.')}: ${i.message}).`);
  }
  if (parsed.data.case.number !== manifest.case.number)
    throw new BundleRefusal('case-invalid', `case.json holds case ${parsed.data.case.number}, the manifest ${manifest.case.number}.`);
  const input = CaseCreateInput.safeParse(pickCaseInput(parsed.data.case));
  if (!input.success)
    throw new BundleRefusal('case-invalid', `The case in case.json has invalid fields (${input.error.issues[0]!.path.join('.')}).`);
  return parsed.data;
}

/** The fields of a bundled case that become the received case. */
export function pickCaseInput(c: CaseData['case']): z.input<typeof CaseCreateInput> {
  return {
    title: c.title,
    summary: c.summary,
    severity: c.severity,
    status: c.status,
    tlp: c.tlp,
    lead: c.lead,
    accounts: c.accounts,
    regions: c.regions,
    tags: c.tags,
  };
}

/**
 * Each bundled evidence file must have the SHA-256 its signed acquisition
 * entry records (never only what case.json or the manifest say), and the
 * register in case.json must say the same.
 */
function checkEvidence(manifest: Manifest, data: CaseData, bodies: Map<number, CustodyBody>, actual: Map<string, string>): void {
  const signed = signedAcquisitions(bodies);
  for (const item of data.evidence) {
    const s = signed.get(item.id);
    if (s && s.sha256 !== item.sha256)
      throw new BundleRefusal(
        'evidence-mismatch',
        `case.json: the register's SHA-256 of evidence item ${item.id} differs from signed acquisition entry ${s.seq} (the register was altered).`,
      );
  }
  for (const f of manifest.files.filter((x) => x.role === 'evidence')) {
    const s = f.evidenceId === undefined ? undefined : signed.get(f.evidenceId);
    if (!s || !s.sha256)
      throw new BundleRefusal(
        'evidence-mismatch',
        `${f.path} names evidence item ${String(f.evidenceId)}, whose acquisition no signed ledger entry records.`,
      );
    if (actual.get(f.path) !== s.sha256)
      throw new BundleRefusal(
        'evidence-mismatch',
        `${f.path}: SHA-256 ${actual.get(f.path)} differs from ${s.sha256} in signed acquisition entry ${s.seq} (the file was changed).`,
      );
  }
}

/** A write stream for one extracted file, refusing any path that would leave the folder or overwrite. */
async function openSink(root: string, name: string): Promise<{ write(c: Buffer): Promise<void>; close(): Promise<void> }> {
  const target = path.resolve(root, ...name.split('/'));
  if (!target.startsWith(path.resolve(root) + path.sep))
    throw new BundleRefusal('path-traversal', `${name} would be written outside the import folder.`);
  await fs.promises.mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
  const handle = await fs.promises.open(target, 'wx', 0o600);
  return {
    write: async (c) => {
      await handle.write(c);
    },
    close: async () => {
      await handle.sync();
      await handle.close();
    },
  };
}
