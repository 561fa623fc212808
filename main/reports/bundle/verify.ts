import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { fingerprintOf, parseEd25519PublicKey, verifyBytes } from '../../custody/keys';
import { AppError } from '../../core/errors';
import type { CustodyEntry } from '../../../common/contract/custody';
import type { BundleCheck, BundleVerification } from '../../../common/contract/reports';
import { CaseCreateInput } from '../../../common/contract/cases';
import { BUNDLE_FORMAT_VERSION, DEFAULT_LIMITS, MANIFEST, Manifest, SIGNATURE, type ManifestFile, type ZipLimits } from './format';
import { BundleRefusal, SafeZip } from './safe-zip';
import { checkLedger, keysByFingerprint } from './ledger-check';
import { CaseData } from './case-data';

export interface BundleContents {
  manifest: Manifest;
  caseData: CaseData;
  ledger: CustodyEntry[];
  keys: Map<string, string>;
}

export interface VerifyOptions {
  limits?: Partial<ZipLimits>;
  /** Extract every file under this folder while (re-)verifying it. Callers verify once without it first. */
  extractTo?: string;
  onProgress?: (done: number, total: number) => void;
}

const sha256 = (b: Buffer): string => crypto.createHash('sha256').update(b).digest('hex');

/** Case data, ledger, keys and report are parsed in memory; evidence is only streamed. */
const MAX_IN_MEMORY = 1024 * 1024 * 1024;
const IN_MEMORY_ROLES = new Set<ManifestFile['role']>(['case', 'ledger', 'key', 'checksums']);

/**
 * Verifies a `.lariat` bundle from the bytes up, trusting nothing it says
 * until checked: archive structure (hostile names, links, bombs), manifest
 * schema, the exporter's Ed25519 signature over the manifest, that the files
 * are exactly those listed with the listed size and SHA-256, the custody
 * ledger's chain and signatures, and that the ledger records this very export
 * by the key that signed it. Stops at the first failure and names it.
 */
export async function verifyBundle(
  file: string,
  options: VerifyOptions = {},
): Promise<{ verification: BundleVerification; contents: BundleContents | null }> {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  if (!fs.existsSync(file)) throw new AppError('not-found', `There is no file at ${file}.`, 'Check the path of the .lariat bundle.');
  const v: BundleVerification = {
    ok: false,
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
  };
  const pass = (name: string, detail: string): void => void v.checks.push({ name, ok: true, detail });
  let current = 'archive';
  let zip: SafeZip | null = null;
  try {
    zip = await SafeZip.open(file, limits);
    pass('archive', `${zip.entries.size} entries; no absolute or ../ paths, links, duplicates, overlaps or encrypted entries`);

    current = 'manifest';
    if (!zip.entries.has(MANIFEST)) throw new BundleRefusal('missing-file', `${MANIFEST} is missing: this is not a Lariat bundle.`);
    const manifestBytes = await zip.readSmall(MANIFEST, limits.maxManifestBytes);
    const manifest = parseManifest(manifestBytes);
    v.caseNumber = manifest.case.number;
    v.caseTitle = manifest.case.title;
    v.exporter = { name: manifest.exporter.name, fingerprint: manifest.exporter.fingerprint };
    v.exportedAt = manifest.createdAt;
    v.files = manifest.files.length;
    v.bytes = manifest.files.reduce((a, f) => a + f.size, 0);
    pass(
      'manifest',
      `format ${manifest.formatVersion}, case ${manifest.case.number}, ${manifest.files.length} files, exported ${manifest.createdAt} by ${manifest.exporter.name}`,
    );

    current = 'file list';
    checkFileList(manifest, zip);
    pass('file list', 'the archive holds exactly the files the manifest lists, plus the manifest and its signature');

    current = 'signature';
    const keyFile = manifest.files.find((f) => f.path === manifest.exporter.publicKey && f.role === 'key');
    if (!keyFile)
      throw new BundleRefusal('unknown-key', `The exporter's public key ${manifest.exporter.publicKey} is not listed in the manifest.`);
    const keyBytes = await zip.readSmall(keyFile.path, 16 * 1024);
    if (sha256(keyBytes) !== keyFile.sha256)
      throw new BundleRefusal('hash-mismatch', `${keyFile.path}: SHA-256 differs from the manifest (the exporter's key file was changed).`);
    const keyPem = keyBytes.toString('utf8');
    let exporterKey;
    try {
      exporterKey = parseEd25519PublicKey(keyPem);
    } catch {
      throw new BundleRefusal('unknown-key', `${keyFile.path} is not an Ed25519 public key.`);
    }
    if (fingerprintOf(exporterKey) !== manifest.exporter.fingerprint)
      throw new BundleRefusal(
        'unknown-key',
        `${keyFile.path} is not the key with the exporter's fingerprint ${manifest.exporter.fingerprint}.`,
      );
    const sig = await zip.readSmall(SIGNATURE, 64);
    if (sig.length !== 64 || !verifyBytes(exporterKey, manifestBytes, sig)) {
      throw new BundleRefusal(
        'signature-invalid',
        `The signature of ${MANIFEST} does not verify with the exporter's key ${manifest.exporter.fingerprint}: the manifest was changed or signed by another key.`,
      );
    }
    pass('signature', `Ed25519 signature of ${MANIFEST} valid for ${manifest.exporter.name}, key ${manifest.exporter.fingerprint}`);

    current = 'files';
    const small = new Map<string, Buffer>();
    let done = 0;
    for (const f of manifest.files) {
      const chunks: Buffer[] = [];
      const sink = options.extractTo ? await openSink(options.extractTo, f.path) : null;
      const keep = IN_MEMORY_ROLES.has(f.role) || f.role === 'report';
      if (keep && f.size > MAX_IN_MEMORY)
        throw new BundleRefusal(
          'too-large',
          `${f.path} is ${f.size} bytes; Lariat reads at most ${MAX_IN_MEMORY} bytes of case data, ledger, keys or report.`,
        );
      const got = await zip
        .stream(f.path, f.size, async (c) => {
          if (keep) chunks.push(c);
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
      if (keep) small.set(f.path, Buffer.concat(chunks));
    }
    pass('files', `${manifest.files.length} files, ${v.bytes} bytes: every size and SHA-256 matches the manifest`);

    current = 'ledger';
    const keys = keysByFingerprint(manifest.files.filter((f) => f.role === 'key').map((f) => small.get(f.path)!.toString('utf8')));
    const ledgerFile = manifest.files.find((f) => f.role === 'ledger');
    if (!ledgerFile) throw new BundleRefusal('missing-file', 'The manifest lists no custody ledger.');
    const ledger = checkLedger(manifest.case.number, small.get(ledgerFile.path)!.toString('utf8'), keys);
    const head = ledger.length ? ledger[ledger.length - 1]!.hash : null;
    if (ledger.length !== manifest.ledger.entries || head !== manifest.ledger.head) {
      throw new BundleRefusal(
        'ledger-mismatch',
        `The ledger holds ${ledger.length} entries ending ${head ?? '(none)'}; the manifest says ${manifest.ledger.entries} ending ${manifest.ledger.head ?? '(none)'}.`,
      );
    }
    const exportEntry = ledger.find(
      (e) => e.action === 'exported' && e.actor.fingerprint === manifest.exporter.fingerprint && e.details?.bundleId === manifest.bundleId,
    );
    if (!exportEntry) {
      throw new BundleRefusal(
        'unknown-signer',
        `The manifest is signed by key ${manifest.exporter.fingerprint}, but the custody ledger has no "exported" entry for bundle ${manifest.bundleId} signed by that key: the bundle was re-signed by someone who is not its exporter.`,
      );
    }
    v.ledgerEntries = ledger.length;
    pass(
      'ledger',
      `${ledger.length} custody entries: chain, sequence and ${keys.size} signer key(s) valid; entry ${exportEntry.seq} records this export`,
    );

    current = 'case data';
    const caseFile = manifest.files.find((f) => f.role === 'case');
    if (!caseFile) throw new BundleRefusal('missing-file', 'The manifest lists no case data.');
    const caseData = parseCaseData(small.get(caseFile.path)!, manifest);
    checkEvidenceFiles(manifest, caseData);
    pass(
      'case data',
      `case ${caseData.case.number}: ${caseData.tasks.length} tasks, ${caseData.notes.length} notes, ${caseData.evidence.length} evidence items${manifest.withEvidence ? ' (files included and matching their acquisition hashes)' : ''}`,
    );

    v.ok = true;
    return { verification: v, contents: { manifest, caseData, ledger, keys } };
  } catch (err) {
    if (!(err instanceof BundleRefusal)) throw err;
    v.code = err.check;
    v.reason = err.message;
    v.checks.push({ name: current, ok: false, detail: err.message } satisfies BundleCheck);
    return { verification: v, contents: null };
  } finally {
    zip?.close();
  }
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
  if (parsed.data.formatVersion !== BUNDLE_FORMAT_VERSION)
    throw new BundleRefusal('unsupported-version', `Unknown bundle format version ${parsed.data.formatVersion}.`);
  return parsed.data;
}

function checkFileList(manifest: Manifest, zip: SafeZip): void {
  const listed = new Set<string>();
  for (const f of manifest.files) {
    if (listed.has(f.path) || f.path === MANIFEST || f.path === SIGNATURE)
      throw new BundleRefusal('manifest-invalid', `The manifest lists ${f.path} twice.`);
    listed.add(f.path);
    if (!zip.entries.has(f.path))
      throw new BundleRefusal('missing-file', `${f.path} is listed in the manifest but missing from the archive.`);
  }
  if (!zip.entries.has(SIGNATURE)) throw new BundleRefusal('missing-file', `${SIGNATURE} is missing: the bundle is not signed.`);
  for (const name of zip.entries.keys()) {
    if (name !== MANIFEST && name !== SIGNATURE && !listed.has(name))
      throw new BundleRefusal('extra-file', `${name} is in the archive but not in the manifest (a file was added).`);
  }
}

function parseCaseData(bytes: Buffer, manifest: Manifest): CaseData {
  let raw: unknown;
  try {
    raw = JSON.parse(bytes.toString('utf8'));
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

function checkEvidenceFiles(manifest: Manifest, data: CaseData): void {
  for (const f of manifest.files.filter((x) => x.role === 'evidence')) {
    const item = data.evidence.find((e) => e.id === f.evidenceId);
    if (!item)
      throw new BundleRefusal('evidence-mismatch', `${f.path} names evidence item ${String(f.evidenceId)}, which case.json does not list.`);
    if (item.sha256 !== f.sha256)
      throw new BundleRefusal('evidence-mismatch', `${f.path} does not match the SHA-256 recorded when item ${item.id} was acquired.`);
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
