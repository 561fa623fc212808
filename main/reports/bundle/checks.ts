import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { canonicalOf } from '../../custody/canonical';
import { fingerprintOf, parseEd25519PublicKey } from '../../custody/keys';
import type { CustodyBody, CustodyEntry } from '../../../common/contract/custody';
import { CaseCreateInput } from '../../../common/contract/cases';
import type { LedgerItem, Problem } from '../../custody/ledger-check';
import { short } from '../../custody/ledger-check';
import { checkpointSignedBy, parseCheckpoint } from '../../custody/checkpoint';
import { signedAcquisitions } from '../../custody/evidence-check';
import {
  BUNDLE_FORMAT_VERSION,
  CHECKPOINT_FILE,
  MANIFEST,
  MAX_CHECKPOINT_BYTES,
  MAX_KEY_BYTES,
  Manifest,
  SIGNATURE,
  type ManifestFile,
  type ZipLimits,
} from './format';
import { BundleRefusal, type BundleSource } from './safe-zip';
import { CaseData } from './case-data';

/**
 * The individual checks of a bundle verification (see verify.ts for their
 * order): each either returns what it read or throws the refusal naming why.
 */

/** Files parsed in memory (within the budget); evidence and the report are only streamed. */
export const IN_MEMORY_ROLES = new Set<ManifestFile['role']>(['case', 'ledger', 'key', 'checkpoint']);

export function parseManifest(bytes: Buffer): Manifest {
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
export function checkBudget(manifest: Manifest, manifestSize: number, limits: ZipLimits): void {
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

export function checkFileList(manifest: Manifest, source: BundleSource): void {
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
export function keysOf(manifest: Manifest, small: Map<string, Buffer>): Map<string, string> {
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

export function parseLedger(jsonl: string): { entries: CustodyEntry[]; items: LedgerItem[] } {
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
      const canonical = canonicalOf(body);
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
export function ownCheckpointProblem(
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

export function parseCaseData(text: string, manifest: Manifest): CaseData {
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
export function checkEvidence(manifest: Manifest, data: CaseData, bodies: Map<number, CustodyBody>, actual: Map<string, string>): void {
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
export async function openSink(root: string, name: string): Promise<{ write(c: Buffer): Promise<void>; close(): Promise<void> }> {
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
