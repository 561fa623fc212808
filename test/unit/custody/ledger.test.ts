import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import canonicalize from 'canonicalize';
import { afterEach, expect, test } from 'vitest';
import { setup, sh, type Fixture } from './fixture';
import { makeServices } from '../../helpers/services';

let f: Fixture;
afterEach(() => f?.s.cleanup());

test('entries chain: hash is SHA-256 of the RFC 8785 form without hash and signature, prev links the previous hash', async () => {
  f = setup();
  const { s, caseNumber, me } = f;
  const item = await s.custody.evidence.importBytes(caseNumber, 'a.txt', Buffer.from('evidence'), { description: 'A' });
  s.custody.evidence.recordCustody(caseNumber, { evidenceId: item.id, action: 'accessed', purpose: 'parse', details: { by: 'timeline' } });
  const entries = s.custody.ledger.list(caseNumber);
  expect(entries.map((e) => [e.seq, e.action])).toEqual([
    [1, 'acquired'],
    [2, 'accessed'],
  ]);
  expect(entries[0]!.prev).toBe('0'.repeat(64));
  expect(entries[1]!.prev).toBe(entries[0]!.hash);
  for (const e of entries) {
    const { hash, signature, counterSignature, ...body } = e;
    expect(counterSignature).toBeNull();
    const digest = crypto.createHash('sha256').update(canonicalize(body)!).digest();
    expect(digest.toString('hex')).toBe(hash);
    expect(crypto.verify(null, digest, crypto.createPublicKey(me.publicKeyPem), Buffer.from(signature, 'base64'))).toBe(true);
    expect(e.actor).toEqual({ name: me.name, fingerprint: me.fingerprint });
    expect(e.tool).toBe(`Lariat ${s.core.version}`);
    expect(e.at).toMatch(/Z$/);
  }
  expect(entries[0]!.hashes).toEqual(item.hashes);
  expect(s.custody.ledger.list(caseNumber, item.id)).toHaveLength(2);
});

test('openssl pkeyutl -verify -rawin checks a signature over the raw hash bytes', () => {
  f = setup();
  const { s, caseNumber, me } = f;
  s.custody.evidence.recordCustody(caseNumber, { evidenceId: null, action: 'note', purpose: 'checked by openssl' });
  const [entry] = s.custody.ledger.list(caseNumber);
  const row = s.core.db.prepare('SELECT body FROM custody_entries').get() as { body: string };
  const dir = path.join(s.dataDir, 'ossl');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'key.pem'), me.publicKeyPem);
  fs.writeFileSync(path.join(dir, 'entry.json'), row.body);
  fs.writeFileSync(path.join(dir, 'entry.hash'), Buffer.from(entry!.hash, 'hex'));
  fs.writeFileSync(path.join(dir, 'entry.sig'), Buffer.from(entry!.signature, 'base64'));
  expect(sh('sha256sum', ['entry.json'], { cwd: dir }).out.slice(0, 64)).toBe(entry!.hash);
  const ok = sh('openssl', ['pkeyutl', '-verify', '-pubin', '-inkey', 'key.pem', '-rawin', '-in', 'entry.hash', '-sigfile', 'entry.sig'], {
    cwd: dir,
  });
  expect(ok.out).toMatch(/Signature Verified Successfully/);
  expect(ok.status).toBe(0);
  const bad = Buffer.from(entry!.hash, 'hex');
  bad[0] ^= 1;
  fs.writeFileSync(path.join(dir, 'entry.hash'), bad);
  expect(
    sh('openssl', ['pkeyutl', '-verify', '-pubin', '-inkey', 'key.pem', '-rawin', '-in', 'entry.hash', '-sigfile', 'entry.sig'], {
      cwd: dir,
    }).status,
  ).not.toBe(0);
});

test('a transfer between two identities on this machine is signed by both and moves custody', async () => {
  f = setup();
  const { s, caseNumber, me } = f;
  const item = await s.custody.evidence.importBytes(caseNumber, 'a.txt', Buffer.from('x'), { description: 'A' });
  const bob = s.custody.identity.create({ name: 'Bob Receiver' });
  s.custody.identity.use(me.fingerprint);
  const entry = s.custody.actions.transfer({
    caseNumber,
    evidenceId: item.id,
    toFingerprint: bob.fingerprint,
    purpose: 'lab analysis',
    location: 'HQ',
  });
  expect(entry.counterparty).toEqual({ name: 'Bob Receiver', fingerprint: bob.fingerprint, role: 'received-by' });
  expect(
    crypto.verify(
      null,
      Buffer.from(entry.hash, 'hex'),
      crypto.createPublicKey(bob.publicKeyPem),
      Buffer.from(entry.counterSignature!, 'base64'),
    ),
  ).toBe(true);
  expect(s.custody.vault.get(caseNumber, item.id)).toMatchObject({
    status: 'transferred',
    custodian: 'Bob Receiver',
    custodianFingerprint: bob.fingerprint,
  });
  expect((await s.custody.verify.verify(caseNumber)).summary).toBe('intact: 2 entries, 1 files');
  expect(() => s.custody.actions.transfer({ caseNumber, evidenceId: item.id, toFingerprint: me.fingerprint, purpose: 'x' })).toThrow(
    /yourself/,
  );
});

test('a receiver elsewhere signs a prepared transfer with openssl; a wrong signature or a stale draft is refused', async () => {
  f = setup();
  const { s, caseNumber } = f;
  const item = await s.custody.evidence.importBytes(caseNumber, 'a.txt', Buffer.from('x'), { description: 'A' });
  // Carol's key lives on another machine (another data folder); we only know her public key.
  const other = makeServices();
  const carol = other.custody.identity.create({ name: 'Carol' });
  const carolKey = path.join(other.core.paths.keysDir, `${carol.fingerprint}.pem`);
  s.custody.identity.addPublicKey({ name: 'Carol', publicKeyPem: carol.publicKeyPem });
  const input = { caseNumber, evidenceId: item.id, toFingerprint: carol.fingerprint, purpose: 'court', location: 'Lab 2' };
  expect(() => s.custody.actions.transfer(input)).toThrow(/not on this machine/);
  const draft = s.custody.actions.prepareTransfer(input);
  expect(draft.hash).toBe(crypto.createHash('sha256').update(draft.body).digest('hex'));
  // Carol signs with openssl exactly as the draft's command says.
  const cmd = draft.signCommand.replace('your-private-key.pem', `'${carolKey}'`);
  fs.writeFileSync(path.join(other.dataDir, 'entry.json'), draft.body);
  const signed = sh('sh', ['-c', `cd '${other.dataDir}' && ${cmd}`]);
  expect(signed.status).toBe(0);
  const signature = signed.out.trim();
  expect(() =>
    s.custody.actions.transfer({ ...input, draft: draft.body, counterSignature: Buffer.alloc(64, 1).toString('base64') }),
  ).toThrow(/does not verify/);
  expect(() => s.custody.actions.transfer({ ...input, purpose: 'other', draft: draft.body, counterSignature: signature })).toThrow(
    /does not match/,
  );
  const entry = s.custody.actions.transfer({ ...input, draft: draft.body, counterSignature: signature });
  expect(entry.hash).toBe(draft.hash);
  expect(s.custody.vault.get(caseNumber, item.id).custodian).toBe('Carol');
  // Replaying the same draft is stale now.
  expect(() => s.custody.actions.transfer({ ...input, draft: draft.body, counterSignature: signature })).toThrow(/changed since/);
  expect((await s.custody.verify.verify(caseNumber)).intact).toBe(true);
  other.cleanup();
});

test('release and disposal write entries; disposed items cannot be transferred; notes need no item', async () => {
  f = setup();
  const { s, caseNumber } = f;
  const item = await s.custody.evidence.importBytes(caseNumber, 'a.txt', Buffer.from('x'), { description: 'A' });
  expect(s.custody.actions.setStatus({ caseNumber, evidenceId: item.id, status: 'released', purpose: 'returned to owner' }).status).toBe(
    'released',
  );
  expect(s.custody.actions.setStatus({ caseNumber, evidenceId: item.id, status: 'disposed', purpose: 'retention ended' }).status).toBe(
    'disposed',
  );
  expect(() => s.custody.actions.setStatus({ caseNumber, evidenceId: item.id, status: 'released', purpose: 'x' })).toThrow(
    /already disposed/,
  );
  const note = s.custody.actions.note({ caseNumber, evidenceId: null, note: 'case-level note' });
  expect(note).toMatchObject({ seq: 4, action: 'note', evidence: null, purpose: 'case-level note' });
  expect(() => s.custody.evidence.recordCustody(caseNumber, { evidenceId: null, action: 'stolen' })).toThrow(/not a custody action/);
  expect(() => s.custody.evidence.recordCustody(caseNumber, { evidenceId: 99, action: 'note' })).toThrow(/not found/);
});

test('nothing can be recorded without an identity', async () => {
  const s = makeServices();
  const c = s.core.cases.create({ title: 't', severity: 'low' });
  expect(() => s.custody.evidence.recordCustody(c.number, { evidenceId: null, action: 'note' })).toThrow(/No investigator identity/);
  await expect(s.custody.evidence.importBytes(c.number, 'a', Buffer.from('a'), { description: 'a' })).rejects.toThrow(
    /No investigator identity/,
  );
  s.cleanup();
});
