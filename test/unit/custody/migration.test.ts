import { afterEach, expect, test } from 'vitest';
import { setup, type Fixture } from './fixture';

let f: Fixture;
afterEach(() => f?.s.cleanup());

test('the custody ledger refuses UPDATE and DELETE', async () => {
  f = setup();
  const { s, caseNumber } = f;
  s.custody.evidence.recordCustody(caseNumber, { evidenceId: null, action: 'note', purpose: 'first' });
  const db = s.core.db;
  expect(() => db.prepare("UPDATE custody_entries SET action = 'disposed'").run()).toThrow(/append-only/);
  expect(() => db.prepare('DELETE FROM custody_entries').run()).toThrow(/append-only/);
  expect(db.prepare('SELECT count(*) AS n FROM custody_entries').get()).toEqual({ n: 1 });
});

test('a sequence number can be used once per case', () => {
  f = setup();
  const { s, caseNumber } = f;
  s.custody.evidence.recordCustody(caseNumber, { evidenceId: null, action: 'note' });
  const row = s.core.db.prepare('SELECT * FROM custody_entries').get() as Record<string, unknown>;
  expect(() =>
    s.core.db
      .prepare(
        'INSERT INTO custody_entries (case_id, seq, evidence_id, action, at, actor_fp, body, prev_hash, hash, signature) VALUES (?,?,?,?,?,?,?,?,?,?)',
      )
      .run(row.case_id, row.seq, null, 'note', row.at, row.actor_fp, row.body, row.prev_hash, 'f'.repeat(64), row.signature),
  ).toThrow(/UNIQUE/);
});

test('recorded evidence facts and public keys are frozen; evidence is never deleted', async () => {
  f = setup();
  const { s, caseNumber } = f;
  const item = await s.custody.evidence.importBytes(caseNumber, 'a.txt', Buffer.from('hello'), { description: 'a' });
  const db = s.core.db;
  expect(() => db.prepare('UPDATE evidence SET sha256 = ? WHERE id = ?').run('0'.repeat(64), item.id)).toThrow(/cannot change/);
  expect(() => db.prepare('DELETE FROM evidence').run()).toThrow(/never deleted/);
  expect(() => db.prepare("UPDATE investigators SET public_key_pem = '-----BEGIN PUBLIC KEY-----x'").run()).toThrow(/cannot change/);
  expect(() => db.prepare('DELETE FROM investigators').run()).toThrow(/kept/);
  // Status and custodian may change (the ledger records why).
  db.prepare("UPDATE evidence SET status = 'released' WHERE id = ?").run(item.id);
  expect(() => db.prepare("UPDATE evidence SET status = 'lost' WHERE id = ?").run(item.id)).toThrow(/CHECK/);
});

test('only one identity is current', () => {
  f = setup();
  const { s } = f;
  expect(() => s.core.db.prepare('UPDATE investigators SET is_current = 1').run()).not.toThrow();
  s.custody.identity.create({ name: 'Second' });
  expect(s.core.db.prepare('SELECT count(*) AS n FROM investigators WHERE is_current = 1').get()).toEqual({ n: 1 });
  expect(() => s.core.db.prepare('UPDATE investigators SET is_current = 1').run()).toThrow(/UNIQUE/);
});
