import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import canonicalize from 'canonicalize';
import { openDatabase } from '../../../main/db/database';
import { migrations } from '../../../main/db/migrations';
import { makeServices, tempDir } from '../../helpers/services';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/**
 * Migration 007 on a data folder written before it: a ledger of format-1
 * entries (one a transfer), an investigator with a key file and a
 * colleague known by public key, the unsigned head file of earlier Lariat.
 */
test('migration 007 keeps every entry, accepts the new actions, keeps the ledger append-only, and the old ledger still verifies and grows', async () => {
  const dataDir = tempDir();
  dirs.push(dataDir);
  const dbFile = path.join(dataDir, 'lariat.db');
  const old = openDatabase(dbFile, { migrations: migrations.slice(0, 6) });
  expect(old.pragma('user_version', { simple: true })).toBe(6);
  const ada = crypto.generateKeyPairSync('ed25519');
  const bob = crypto.generateKeyPairSync('ed25519');
  const fp = (k: crypto.KeyObject) =>
    crypto
      .createHash('sha256')
      .update(k.export({ type: 'spki', format: 'der' }))
      .digest('hex');
  const pem = (k: crypto.KeyObject) => k.export({ type: 'spki', format: 'pem' }).toString();
  fs.mkdirSync(path.join(dataDir, 'keys'), { mode: 0o700 });
  fs.writeFileSync(path.join(dataDir, 'keys', `${fp(ada.publicKey)}.pem`), ada.privateKey.export({ type: 'pkcs8', format: 'pem' }), {
    mode: 0o600,
  });
  const now = '2026-01-02T03:04:05.000Z';
  old
    .prepare(
      "INSERT INTO investigators (name, public_key_pem, fingerprint, key_storage, is_current, created_at) VALUES ('Ada Old', ?, ?, 'key-file', 1, ?)",
    )
    .run(pem(ada.publicKey), fp(ada.publicKey), now);
  old
    .prepare(
      "INSERT INTO investigators (name, public_key_pem, fingerprint, key_storage, is_current, created_at) VALUES ('Bob Old', ?, ?, 'public-only', 0, ?)",
    )
    .run(pem(bob.publicKey), fp(bob.publicKey), now);
  old.prepare('INSERT INTO case_counters (year, last) VALUES (2026, 1)').run();
  old
    .prepare(
      "INSERT INTO cases (number, title, severity, status, tlp, opened_at, updated_at) VALUES ('IR-2026-0001', 'Old case', 'low', 'open', 'amber', ?, ?)",
    )
    .run(now, now);
  let prev = '0'.repeat(64);
  const rows: { seq: number; hash: string; body: string }[] = [];
  for (const [seq, action, counterparty] of [
    [1, 'note', null],
    [2, 'transferred', { name: 'Bob Old', fingerprint: fp(bob.publicKey), role: 'received-by' }],
  ] as const) {
    const body = canonicalize({
      v: 1,
      case: 'IR-2026-0001',
      seq,
      evidence: null,
      action,
      at: now,
      actor: { name: 'Ada Old', fingerprint: fp(ada.publicKey) },
      counterparty,
      purpose: `old ${seq}`,
      location: '',
      tool: 'Lariat 0.0.9',
      hashes: null,
      details: {},
      prev,
    })!;
    const digest = crypto.createHash('sha256').update(body).digest();
    old
      .prepare(
        'INSERT INTO custody_entries (case_id, seq, evidence_id, action, at, actor_fp, body, prev_hash, hash, signature, counter_fp, counter_signature) VALUES (1, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        seq,
        action,
        now,
        fp(ada.publicKey),
        body,
        prev,
        digest.toString('hex'),
        crypto.sign(null, digest, ada.privateKey).toString('base64'),
        counterparty?.fingerprint ?? null,
        counterparty ? crypto.sign(null, digest, bob.privateKey).toString('base64') : null,
      );
    rows.push({ seq, hash: digest.toString('hex'), body });
    prev = digest.toString('hex');
  }
  old.close();
  fs.mkdirSync(path.join(dataDir, 'vault', 'IR-2026-0001'), { recursive: true });
  fs.writeFileSync(
    path.join(dataDir, 'vault', 'IR-2026-0001', '.custody-head.json'),
    JSON.stringify({ seq: 2, hash: prev }).padEnd(160, ' '),
  );

  const db = openDatabase(dbFile);
  expect(db.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(7);
  expect(db.prepare('SELECT seq, hash, body FROM custody_entries ORDER BY seq').all()).toEqual(rows);
  expect(() => db.prepare("UPDATE custody_entries SET action = 'note'").run()).toThrow(/append-only/);
  expect(() => db.prepare('DELETE FROM custody_entries').run()).toThrow(/append-only/);
  const insert = db.prepare(
    "INSERT INTO custody_entries (case_id, seq, action, at, actor_fp, body, prev_hash, hash, signature, counter_fp) VALUES (1, ?, ?, 't', 'a', '{}', ?, ?, 's', ?)",
  );
  expect(() => insert.run(9, 'forged-action', 'p'.repeat(64), 'h'.repeat(64), null)).toThrow(/CHECK/);
  // Allowed now: new actions, a counter-party without a counter-signature (an introduction); checked in a transaction rolled back.
  expect(() =>
    db.transaction(() => {
      for (const [i, a] of ['introduced', 'resealed', 'anchored'].entries())
        insert.run(10 + i, a, String(i).repeat(64), String(i + 3).repeat(64), 'b'.repeat(64));
      throw new Error('rollback');
    })(),
  ).toThrow('rollback');
  expect(db.prepare('SELECT count(*) AS n FROM custody_heads').get()).toEqual({ n: 0 });
  expect(() =>
    db
      .prepare(
        "INSERT INTO custody_anchors (case_id, kind, seq, hash, location, checkpoint, created_at) VALUES (1, 'ipfs', 1, ?, 'x', 'x', 't')",
      )
      .run('a'.repeat(64)),
  ).toThrow(/CHECK/);
  expect(db.prepare("SELECT value FROM settings WHERE key = 'custody.trust'").get()).toEqual({
    value: JSON.stringify([{ fingerprint: fp(ada.publicKey), name: 'Ada Old', source: 'own', addedAt: now }]),
  });
  expect(db.prepare("SELECT name FROM pragma_table_info('bundle_receipts') WHERE name = 'original_number'").get()).toEqual({
    name: 'original_number',
  });
  db.close();

  // The old ledger still verifies (its receiver introduced by the transfer), and the next append signs the first head.
  const s = makeServices({ dataDir });
  try {
    const r = await s.custody.verify.verify('IR-2026-0001');
    expect(r.summary).toBe('intact: 2 entries, 0 files');
    expect(r.signers.map((x) => [x.name, x.status])).toEqual([
      ['Ada Old', 'trusted'],
      ['Bob Old', 'introduced'],
    ]);
    const e = s.custody.actions.note({ caseNumber: 'IR-2026-0001', evidenceId: null, note: 'first entry after the upgrade' });
    expect(e).toMatchObject({ seq: 3, v: 2, prev });
    expect(s.custody.ledger.headCheck('IR-2026-0001')).toMatchObject({ problems: [], head: { seq: 3, hash: e.hash } });
  } finally {
    s.close();
  }
});
