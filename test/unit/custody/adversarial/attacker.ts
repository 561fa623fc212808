import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import canonicalize from 'canonicalize';
import type { CustodyBody } from '../../../../common/contract/custody';
import { makeCheckpoint } from '../../../../main/custody/checkpoint';
import { writeHeadFile } from '../../../../main/custody/head';
import { readZip, writeZip } from '../../reports/zip-tools';
import type { World } from './world';

/**
 * The attacker: write access to the data folder, export folders and bundles,
 * the published formats, their own keys, and no investigator's private key.
 * Everything here uses only public knowledge (RFC 8785, SHA-256, Ed25519, the
 * checkpoint and head-file layouts documented in docs/custody.md).
 */
export interface Key {
  name: string;
  fingerprint: string;
  pem: string;
  sign(message: Uint8Array): Buffer;
}

export function newKey(name: string): Key {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('ed25519');
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return {
    name,
    fingerprint: crypto.createHash('sha256').update(der).digest('hex'),
    pem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    sign: (m) => crypto.sign(null, m, privateKey),
  };
}

const digest = (canonical: string): Buffer => crypto.createHash('sha256').update(canonical, 'utf8').digest();

interface Row {
  id: number;
  case_id: number;
  seq: number;
  body: string;
  hash: string;
  signature: string;
  counter_signature: string | null;
}

/** The case database opened directly, triggers dropped (what `sqlite3` on the file would do). */
export function openDb(w: World): Database.Database {
  const db = new Database(path.join(w.dataDir, 'lariat.db'));
  db.exec('DROP TRIGGER IF EXISTS custody_no_update; DROP TRIGGER IF EXISTS custody_no_delete;');
  db.exec(
    'DROP TRIGGER IF EXISTS investigators_key_frozen; DROP TRIGGER IF EXISTS evidence_facts_frozen; DROP TRIGGER IF EXISTS evidence_no_delete;',
  );
  return db;
}

/** Adds a key to `investigators` (public only), under any name. */
export function insertKey(db: Database.Database, key: Key): void {
  db.prepare(
    "INSERT INTO investigators (name, public_key_pem, fingerprint, key_storage, is_current, demo, created_at) VALUES (?, ?, ?, 'public-only', 0, 0, '2026-11-27T12:00:00.000Z')",
  ).run(key.name, key.pem, key.fingerprint);
}

/**
 * Rewrites every entry from `from` on: `mutate` may change each body; the
 * attacker's key signs them (as actor, under its name), the chain is re-linked,
 * and both heads are re-signed by the attacker (as the last actor): a forgery
 * that is consistent in every way the attacker can make it.
 */
export function resignDb(
  w: World,
  db: Database.Database,
  from: number,
  key: Key,
  mutate: (b: CustodyBody) => void = () => undefined,
): void {
  const rows = db
    .prepare<[], Row>('SELECT id, case_id, seq, body, hash, signature, counter_signature FROM custody_entries ORDER BY seq')
    .all();
  let prev = rows.find((r) => r.seq === from - 1)?.hash ?? '0'.repeat(64);
  const update = db.prepare(
    'UPDATE custody_entries SET body = ?, hash = ?, prev_hash = ?, actor_fp = ?, signature = ?, action = ?, counter_fp = ?, counter_signature = ?, evidence_id = ?, at = ? WHERE id = ?',
  );
  let last: { seq: number; hash: string; at: string; caseId: number } | null = null;
  for (const r of rows.filter((x) => x.seq >= from)) {
    const b = JSON.parse(r.body) as CustodyBody;
    mutate(b);
    b.actor = { name: key.name, fingerprint: key.fingerprint };
    if (b.counterparty?.role === 'received-by') b.counterparty = null;
    b.prev = prev;
    const canonical = canonicalize(b)!;
    const hash = digest(canonical).toString('hex');
    update.run(
      canonical,
      hash,
      prev,
      key.fingerprint,
      key.sign(digest(canonical)).toString('base64'),
      b.action,
      b.counterparty?.fingerprint ?? null,
      null,
      b.evidence?.id ?? null,
      b.at,
      r.id,
    );
    prev = hash;
    last = { seq: r.seq, hash, at: b.at, caseId: r.case_id };
  }
  if (last) forgeHeads(w, db, key, last);
}

/** Both heads (database row and vault file), signed by the attacker's key for the given entry. */
export function forgeHeads(
  w: World,
  db: Database.Database,
  key: Key,
  last: { seq: number; hash: string; at: string; caseId: number },
): void {
  const cp = makeCheckpoint({ case: w.caseNumber, seq: last.seq, hash: last.hash, at: last.at }, key);
  db.prepare('UPDATE custody_heads SET seq = ?, hash = ?, checkpoint = ? WHERE case_id = ?').run(last.seq, last.hash, cp.text, last.caseId);
  writeHeadFile(w.vaultDir, last.seq, cp.text, true);
}

/** Rewrites an export folder from entry `from` on, signed by the attacker, with their key file and a checkpoint they signed. */
export function resignExport(dir: string, from: number, key: Key, mutate: (b: CustodyBody) => void = () => undefined): void {
  const names = fs
    .readdirSync(path.join(dir, 'entries'))
    .filter((n) => n.endsWith('.json'))
    .sort();
  let prev = '0'.repeat(64);
  const lines: string[] = [];
  let last: { seq: number; hash: string; at: string; case: string } | null = null;
  for (const n of names) {
    const file = path.join(dir, 'entries', n);
    const canonical0 = fs.readFileSync(file, 'utf8');
    const b = JSON.parse(canonical0) as CustodyBody;
    const seq = b.seq;
    let canonical = canonical0;
    let sig: Buffer = fs.readFileSync(path.join(dir, 'entries', n.replace('.json', '.sig')));
    if (seq >= from) {
      mutate(b);
      b.actor = { name: key.name, fingerprint: key.fingerprint };
      if (b.counterparty?.role === 'received-by') b.counterparty = null;
      b.prev = prev;
      canonical = canonicalize(b)!;
      sig = key.sign(digest(canonical));
      fs.writeFileSync(file, canonical);
      fs.writeFileSync(file.replace('.json', '.sig'), sig);
      fs.rmSync(file.replace('.json', '.counter.sig'), { force: true });
    }
    const hash = digest(canonical).toString('hex');
    lines.push(`${canonicalize({ ...JSON.parse(canonical), hash, signature: sig.toString('base64'), counterSignature: null })}\n`);
    prev = hash;
    last = { seq, hash, at: b.at, case: b.case };
  }
  fs.writeFileSync(path.join(dir, 'ledger.jsonl'), lines.join(''));
  fs.writeFileSync(path.join(dir, 'keys', `${key.fingerprint}.pem`), key.pem);
  if (last)
    fs.writeFileSync(
      path.join(dir, 'checkpoint.txt'),
      makeCheckpoint({ case: last.case, seq: last.seq, hash: last.hash, at: last.at }, key).text,
    );
}

export interface Bundle {
  files: Map<string, Buffer>;
  manifest: {
    formatVersion: number;
    case: { number: string };
    exporter: { name: string; fingerprint: string; publicKey: string };
    ledger: { entries: number; head: string | null };
    files: { path: string; size: number; sha256: string; role: string; evidenceId?: number }[];
  };
}

export async function openBundle(file: string): Promise<Bundle> {
  const files = await readZip(file);
  return { files, manifest: JSON.parse(files.get('manifest.json')!.toString()) as Bundle['manifest'] };
}

const sha = (b: Buffer): string => crypto.createHash('sha256').update(b).digest('hex');

/** Puts a file into the bundle and its manifest listing (size, SHA-256). */
export function setFile(b: Bundle, name: string, bytes: Buffer, role = 'key'): void {
  b.files.set(name, bytes);
  const listed = b.manifest.files.find((f) => f.path === name);
  if (listed) Object.assign(listed, { size: bytes.length, sha256: sha(bytes) });
  else b.manifest.files.push({ path: name, size: bytes.length, sha256: sha(bytes), role });
}

/** Rewrites the bundled ledger from entry `from` on, signed by the attacker, with a checkpoint they signed. */
export function resignBundleLedger(b: Bundle, from: number, key: Key, mutate: (body: CustodyBody) => void = () => undefined): void {
  const lines = b.files.get('ledger.jsonl')!.toString().trimEnd().split('\n');
  let prev = '0'.repeat(64);
  const out: string[] = [];
  let last = { seq: 0, hash: prev, at: '', case: b.manifest.case.number };
  for (const l of lines) {
    const {
      hash: h0,
      signature: s0,
      counterSignature: c0,
      ...body
    } = JSON.parse(l) as CustodyBody & {
      hash: string;
      signature: string;
      counterSignature: string | null;
    };
    let entry = { ...body, hash: h0, signature: s0, counterSignature: c0 };
    if (body.seq >= from) {
      mutate(body);
      body.actor = { name: key.name, fingerprint: key.fingerprint };
      if (body.counterparty?.role === 'received-by') body.counterparty = null;
      body.prev = prev;
      const canonical = canonicalize(body)!;
      entry = {
        ...body,
        hash: digest(canonical).toString('hex'),
        signature: key.sign(digest(canonical)).toString('base64'),
        counterSignature: null,
      };
    }
    out.push(`${JSON.stringify(entry)}\n`);
    prev = entry.hash;
    last = { seq: body.seq, hash: entry.hash, at: body.at, case: body.case };
  }
  setFile(b, 'ledger.jsonl', Buffer.from(out.join('')), 'ledger');
  b.manifest.ledger = { entries: lines.length, head: prev };
  setFile(b, `keys/${key.fingerprint}.pem`, Buffer.from(key.pem), 'key');
  setFile(b, 'checkpoint.txt', Buffer.from(makeCheckpoint(last, key).text), 'checkpoint');
}

/** Signs the manifest with the attacker's key, naming them the exporter (under any name) and listing their key. */
export async function resignBundle(b: Bundle, key: Key, file: string): Promise<void> {
  setFile(b, `keys/${key.fingerprint}.pem`, Buffer.from(key.pem), 'key');
  b.manifest.exporter = { name: key.name, fingerprint: key.fingerprint, publicKey: `keys/${key.fingerprint}.pem` };
  await saveBundle(b, file, key);
}

/** Writes the bundle: SHA256SUMS and the manifest as edited, signed by `key` (or keeping the original signature when the attacker has none). */
export async function saveBundle(b: Bundle, file: string, key?: Key): Promise<void> {
  if (key && b.files.has('SHA256SUMS')) {
    const sums = b.manifest.files.filter((f) => f.path !== 'SHA256SUMS');
    setFile(b, 'SHA256SUMS', Buffer.from(sums.map((f) => `${f.sha256}  ${f.path}\n`).join('')), 'checksums');
  }
  const manifest = Buffer.from(`${JSON.stringify(b.manifest, null, 2)}\n`);
  b.files.set('manifest.json', manifest);
  if (key) b.files.set('manifest.sig', key.sign(manifest));
  await writeZip(file, b.files);
}

/** Flips one byte of a file the attacker may write (chmod first, as any owner can). */
export function flipByte(file: string, at = 100): void {
  fs.chmodSync(file, 0o644);
  const b = fs.readFileSync(file);
  b[at] = b[at]! ^ 0x01;
  fs.writeFileSync(file, b);
}

export function vaultFile(w: World, match: string): string {
  return path.join(
    w.vaultDir,
    fs.readdirSync(w.vaultDir).find((n) => n.endsWith(match))!,
  );
}
