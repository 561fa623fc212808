import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import canonicalize from 'canonicalize';
import { buildWorld, bundleVerify, copyWorld, custodyVerify, dropWorld, verifySh, type World } from './world';
import {
  flipByte,
  forgeHeads,
  insertKey,
  newKey,
  openBundle,
  openDb,
  resignBundle,
  saveBundle,
  setFile,
  vaultFile,
  type Key,
} from './attacker';
import { makeServices } from '../../../helpers/services';
import { cli } from '../../../helpers/cli';
import { sh } from '../fixture';
import type { CustodyBody } from '../../../../common/contract/custody';
import { makeCheckpoint } from '../../../../main/custody/checkpoint';

/**
 * Evidence changed with every unsigned list that describes it (SHA256SUMS,
 * the register, case.json, the manifest): all three verifiers compare each
 * file with the SHA-256 of its SIGNED acquisition entry.
 */
let world: World;
beforeAll(async () => {
  world = await buildWorld();
}, 120_000);
afterAll(() => dropWorld(world));

const sha = (b: Buffer | string) => crypto.createHash('sha256').update(b).digest('hex');
const fileOf = (w: World) => {
  const file = vaultFile(w, '-auth.log');
  return {
    file,
    rel: `${w.caseNumber}/${path.basename(file)}`,
    signed: sha(fs.readFileSync(path.join(world.vaultDir, path.basename(file)))),
  };
};
const changed = (rel: string, actual: string, size: number, signed: string) =>
  `file changed: ${rel} (evidence item 1) now has SHA-256 ${actual.slice(0, 16)}… and ${size} bytes; the signed acquisition entry 1 records ${signed.slice(0, 16)}…`;

describe('an evidence byte changed, and the SHA256SUMS line changed with it', () => {
  it('verify.sh compares with the signed acquisition entry (sha256sum -c alone is fooled)', () => {
    const w = copyWorld(world, 'sums-line');
    const { file, rel, signed } = fileOf(w);
    flipByte(file);
    const now = sha(fs.readFileSync(file));
    const sums = path.join(w.exportDir, 'SHA256SUMS');
    fs.writeFileSync(sums, fs.readFileSync(sums, 'utf8').replace(signed, now));
    expect(sh('sha256sum', ['-c', sums], { cwd: w.vaultDir }).status).toBe(0);
    const v = verifySh(w, w.exportDir);
    expect(v.out).toContain(changed(rel, now, fs.statSync(file).size, signed));
    expect(v.last).toBe('NOT intact');
    dropWorld(w);
  });

  it('lariat custody verify: the register changed too', async () => {
    const w = copyWorld(world, 'sums-db');
    const { file, rel, signed } = fileOf(w);
    flipByte(file);
    const now = sha(fs.readFileSync(file));
    const db = openDb(w);
    db.prepare('UPDATE evidence SET sha256 = ? WHERE id = 1').run(now);
    db.close();
    const r = await custodyVerify(w);
    expect(r.first).toBe('broken: evidence item 1: register row altered (its hashes or vault path differ from signed entry 1)');
    expect(r.out).toContain(`also: ${changed(rel, now, fs.statSync(file).size, signed)}`);
    dropWorld(w);
  });

  it('lariat verify: the bundled file, SHA256SUMS and the manifest listing changed (the signature cannot be)', async () => {
    const w = copyWorld(world, 'sums-bundle');
    const b = await openBundle(w.bundle);
    const name = [...b.files.keys()].find((n) => n.startsWith('evidence/1-'))!;
    const bytes = Buffer.from(b.files.get(name)!);
    bytes[10] ^= 1;
    setFile(b, name, bytes, 'evidence');
    const sums = b.files
      .get('SHA256SUMS')!
      .toString()
      .replace(/^[0-9a-f]{64}(?= {2}evidence\/1-)/m, sha(bytes));
    setFile(b, 'SHA256SUMS', Buffer.from(sums), 'checksums');
    await saveBundle(b, w.bundle);
    expect((await bundleVerify(w, w.bundle)).verdict).toBe(
      `REFUSED (signature-invalid): The signature of manifest.json does not verify with the exporter's key ${world.ada.fingerprint}: the manifest was changed or signed by another key.`,
    );
    dropWorld(w);
  });
});

describe('an evidence file changed and its SHA256SUMS line deleted', () => {
  it('verify.sh still checks it (from its signed entry)', () => {
    const w = copyWorld(world, 'sums-deleted');
    const { file, rel, signed } = fileOf(w);
    flipByte(file);
    const sums = path.join(w.exportDir, 'SHA256SUMS');
    fs.writeFileSync(
      sums,
      fs
        .readFileSync(sums, 'utf8')
        .split('\n')
        .filter((l) => !l.includes(signed))
        .join('\n'),
    );
    expect(sh('sha256sum', ['-c', sums], { cwd: w.vaultDir }).status).toBe(0);
    const v = verifySh(w, w.exportDir);
    expect(v.out).toContain(changed(rel, sha(fs.readFileSync(file)), fs.statSync(file).size, signed));
    dropWorld(w);
  });

  it('lariat custody verify: its register row deleted', async () => {
    const w = copyWorld(world, 'register-deleted');
    const { file, rel, signed } = fileOf(w);
    flipByte(file);
    const db = openDb(w);
    db.pragma('foreign_keys = OFF');
    db.prepare('DELETE FROM evidence WHERE id = 1').run();
    db.close();
    const r = await custodyVerify(w);
    expect(r.first).toBe('broken: evidence item 1: register row missing (signed entry 1 records its acquisition)');
    expect(r.out).toContain(`also: ${changed(rel, sha(fs.readFileSync(file)), fs.statSync(file).size, signed)}`);
    dropWorld(w);
  });

  it('lariat verify: the SHA256SUMS line deleted from a bundle', async () => {
    const w = copyWorld(world, 'sums-deleted-bundle');
    const b = await openBundle(w.bundle);
    const sums = b.files.get('SHA256SUMS')!.toString();
    b.files.set(
      'SHA256SUMS',
      Buffer.from(
        sums
          .split('\n')
          .filter((l) => !l.includes('evidence/1-'))
          .join('\n'),
      ),
    );
    await saveBundle(b, w.bundle);
    expect((await bundleVerify(w, w.bundle)).verdict).toBe(
      `REFUSED (size-mismatch): SHA256SUMS holds ${b.files.get('SHA256SUMS')!.length} bytes; the manifest lists ${Buffer.byteLength(sums)}.`,
    );
    dropWorld(w);
  });
});

describe("the register's hash altered along with the file", () => {
  it('lariat custody verify, verify.sh on a fresh export, lariat verify on a fresh bundle', async () => {
    const w = copyWorld(world, 'register');
    const { file, rel, signed } = fileOf(w);
    fs.chmodSync(file, 0o644);
    fs.writeFileSync(file, 'Nov 27 10:00:01 web-1 sshd[811]: nothing happened\n');
    const now = sha(fs.readFileSync(file));
    const db = openDb(w);
    db.prepare('UPDATE evidence SET sha256 = ?, size = ? WHERE id = 1').run(now, fs.statSync(file).size);
    db.close();
    const r = await custodyVerify(w);
    expect(r.first).toBe('broken: evidence item 1: register row altered (its hashes or vault path differ from signed entry 1)');
    const s = makeServices({ dataDir: w.dataDir });
    const fresh = path.join(w.root, 'fresh');
    s.custody.exporter.exportTo(w.caseNumber, fresh);
    const bundle = path.join(w.root, 'fresh.lariat');
    await s.reports.bundles.export({ caseNumber: w.caseNumber, outPath: bundle, withEvidence: true });
    s.close();
    // SHA256SUMS of a fresh export comes from the signed entries, not the register.
    expect(fs.readFileSync(path.join(fresh, 'SHA256SUMS'), 'utf8')).toContain(signed);
    const v = verifySh(w, fresh);
    expect(v.out).toContain(changed(rel, now, fs.statSync(file).size, signed));
    expect((await bundleVerify(w, bundle)).verdict).toBe(
      "REFUSED (evidence-mismatch): case.json: the register's SHA-256 of evidence item 1 differs from signed acquisition entry 1 (the register was altered).",
    );
    dropWorld(w);
  });
});

describe('bundled evidence swapped, case.json updated, an "exported" entry appended and the manifest re-signed by an added key', () => {
  /** Appends one `exported` entry signed by `key` to a bundled ledger (the attacker's own re-export). */
  function appendEntry(b: Awaited<ReturnType<typeof openBundle>>, key: Key): void {
    const lines = b.files.get('ledger.jsonl')!.toString().trimEnd().split('\n');
    const last = JSON.parse(lines.at(-1)!) as CustodyBody & { hash: string };
    const body: CustodyBody = {
      ...last,
      seq: last.seq + 1,
      action: 'exported',
      actor: { name: key.name, fingerprint: key.fingerprint },
      counterparty: null,
      evidence: null,
      purpose: 'Case bundle re-exported',
      details: {},
      prev: last.hash,
      v: 2,
    };
    delete (body as Partial<{ hash: string; signature: string; counterSignature: string }>).hash;
    delete (body as Partial<{ signature: string }>).signature;
    delete (body as Partial<{ counterSignature: string }>).counterSignature;
    const canonical = canonicalize(body)!;
    const hash = sha(canonical);
    const sig = key.sign(crypto.createHash('sha256').update(canonical).digest()).toString('base64');
    setFile(
      b,
      'ledger.jsonl',
      Buffer.from(`${[...lines, JSON.stringify({ ...body, hash, signature: sig, counterSignature: null })].join('\n')}\n`),
      'ledger',
    );
    b.manifest.ledger = { entries: lines.length + 1, head: hash };
    setFile(
      b,
      'checkpoint.txt',
      Buffer.from(makeCheckpoint({ case: body.case, seq: body.seq, hash, at: body.at }, key).text),
      'checkpoint',
    );
  }

  it('lariat verify refuses it, naming the added key', async () => {
    const w = copyWorld(world, 'swap-bundle');
    const mallory = newKey('Ada Analyst');
    const b = await openBundle(w.bundle);
    const name = [...b.files.keys()].find((n) => n.startsWith('evidence/1-'))!;
    const bytes = Buffer.from('Nov 27 10:00:01 web-1 sshd[811]: nothing happened\n');
    setFile(b, name, bytes, 'evidence');
    const data = JSON.parse(b.files.get('case.json')!.toString()) as { evidence: { id: number; sha256: string; size: number }[] };
    Object.assign(
      data.evidence.find((e) => e.id === 1)!,
      { sha256: sha(bytes), size: bytes.length },
    );
    setFile(b, 'case.json', Buffer.from(JSON.stringify(data)), 'case');
    appendEntry(b, mallory);
    await resignBundle(b, mallory, w.bundle);
    const r = await bundleVerify(w, w.bundle);
    expect(r.code).toBe(1);
    expect(r.verdict).toBe(
      `REFUSED (untrusted-signer): ledger.jsonl: entry 11: signed by Ada Analyst (key ${mallory.fingerprint}), which is not trusted: it is not a trust anchor and no accepted key introduced it before this entry.`,
    );
    // Even if the verifier were told to trust the added key too, the swapped file differs from its signed acquisition entry.
    const trusting = await bundleVerify(w, w.bundle, '--trust', mallory.fingerprint);
    expect(trusting.verdict).toBe(
      `REFUSED (evidence-mismatch): case.json: the register's SHA-256 of evidence item 1 differs from signed acquisition entry 1 (the register was altered).`,
    );
    // Receiving it is refused the same way, and the added key is never registered under Ada's name (the issue: it was, silently).
    const received = await cli(w.receiverDir, 'import-bundle', w.bundle, '--trust', world.ada.fingerprint);
    expect(received.code).toBe(1);
    expect(received.err).toContain(`entry 11: signed by Ada Analyst (key ${mallory.fingerprint}), which is not trusted`);
    const known = await cli(w.receiverDir, 'identity', 'show', '--json');
    expect(known.code).toBe(0);
    expect(known.out).not.toContain(mallory.fingerprint);
    expect(fs.existsSync(path.join(w.receiverDir, 'received'))).toBe(false);
    dropWorld(w);
  });

  it('the same in the data folder (lariat custody verify) and in an export (verify.sh)', async () => {
    const w = copyWorld(world, 'swap-db');
    const mallory = newKey('Ada Analyst');
    const { file, rel, signed } = fileOf(w);
    fs.chmodSync(file, 0o644);
    fs.writeFileSync(file, 'Nov 27 10:00:01 web-1 sshd[811]: nothing happened\n');
    const now = sha(fs.readFileSync(file));
    const db = openDb(w);
    insertKey(db, mallory);
    db.prepare('UPDATE evidence SET sha256 = ?, size = ? WHERE id = 1').run(now, fs.statSync(file).size);
    const last = db
      .prepare<[], { seq: number; hash: string; case_id: number; body: string }>(
        'SELECT seq, hash, case_id, body FROM custody_entries ORDER BY seq DESC LIMIT 1',
      )
      .get()!;
    const prevBody = JSON.parse(last.body) as CustodyBody;
    const body: CustodyBody = {
      ...prevBody,
      seq: last.seq + 1,
      action: 'exported',
      actor: { name: mallory.name, fingerprint: mallory.fingerprint },
      counterparty: null,
      evidence: null,
      details: {},
      purpose: 're-exported',
      prev: last.hash,
    };
    const canonical = canonicalize(body)!;
    const hash = sha(canonical);
    db.prepare(
      'INSERT INTO custody_entries (case_id, seq, evidence_id, action, at, actor_fp, body, prev_hash, hash, signature) VALUES (?, ?, NULL, ?, ?, ?, ?, ?, ?, ?)',
    ).run(
      last.case_id,
      body.seq,
      'exported',
      body.at,
      mallory.fingerprint,
      canonical,
      last.hash,
      hash,
      mallory.sign(crypto.createHash('sha256').update(canonical).digest()).toString('base64'),
    );
    forgeHeads(w, db, mallory, { seq: body.seq, hash, at: body.at, caseId: last.case_id });
    db.close();
    const r = await custodyVerify(w);
    expect(r.first).toBe(
      `broken: entry 14: signed by Ada Analyst (key ${mallory.fingerprint}), which is not trusted: it is not a trust anchor and no accepted key introduced it before this entry`,
    );
    expect(r.out).toContain('also: evidence item 1: register row altered (its hashes or vault path differ from signed entry 1)');
    expect(r.out).toContain(`also: ${changed(rel, now, fs.statSync(file).size, signed)}`);
    // The export a third party got earlier, checked against the swapped vault file with its SHA256SUMS line "fixed".
    const sums = path.join(w.exportDir, 'SHA256SUMS');
    fs.writeFileSync(sums, fs.readFileSync(sums, 'utf8').replace(signed, now));
    const v = verifySh(w, w.exportDir);
    expect(v.out).toContain(changed(rel, now, fs.statSync(file).size, signed));
    expect(v.last).toBe('NOT intact');
    dropWorld(w);
  });
});
