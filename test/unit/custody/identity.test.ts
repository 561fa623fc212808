import fs from 'node:fs';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { makeServices, type TestServices } from '../../helpers/services';
import { sh } from './fixture';
import type { SafeStorageLike } from '../../../main/core/core';

let s: TestServices;
afterEach(() => s?.cleanup());

/** A stand-in for Electron's safeStorage: reversible, and visibly not plain text. */
const fakeSafe = (available = true): SafeStorageLike => ({
  isEncryptionAvailable: () => available,
  encryptString: (plain) => Buffer.from(`ENC:${Buffer.from(plain).toString('base64').split('').reverse().join('')}`),
  decryptString: (enc) => Buffer.from(enc.toString().slice(4).split('').reverse().join(''), 'base64').toString(),
});

test('an identity outside Electron gets a 0600 key file and a fingerprint openssl agrees with', () => {
  s = makeServices();
  expect(s.custody.identity.current()).toBeNull();
  const me = s.custody.identity.create({ name: 'Ada Analyst', role: 'Responder', organisation: 'ACME CSIRT', contact: 'ada@acme.example' });
  expect(me).toMatchObject({
    name: 'Ada Analyst',
    role: 'Responder',
    organisation: 'ACME CSIRT',
    contact: 'ada@acme.example',
    keyStorage: 'key-file',
    current: true,
  });
  const keyFile = path.join(s.core.paths.keysDir, `${me.fingerprint}.pem`);
  expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
  expect(fs.readFileSync(keyFile, 'utf8')).toMatch(/BEGIN PRIVATE KEY/);
  const pub = path.join(s.dataDir, 'pub.pem');
  fs.writeFileSync(pub, s.custody.identity.exportPublicKey().pem);
  const viaShell = sh('sh', ['-c', `set -e; openssl pkey -pubin -in '${pub}' -outform DER | sha256sum | cut -c1-64`]);
  expect(viaShell.status).toBe(0);
  expect(viaShell.out.trim()).toBe(me.fingerprint);
  expect(sh('openssl', ['pkey', '-pubin', '-in', pub, '-text', '-noout']).out).toMatch(/ED25519/);
});

test('the activity log names the investigator once an identity exists', () => {
  s = makeServices();
  s.core.cases.create({ title: 'before', severity: 'low' });
  const me = s.custody.identity.create({ name: 'Ada Analyst' });
  s.core.cases.create({ title: 'after', severity: 'low' });
  const created = s.core.activity.list(undefined).filter((a) => a.action === 'case.created');
  expect(created[0]!.actor).toBe(`Ada Analyst (${me.fingerprint.slice(0, 12)})`);
  expect(created[1]!.actor).not.toContain('Ada');
});

test('inside Electron the private key is encrypted with safeStorage, and refused when encryption is unavailable', () => {
  s = makeServices({ safeStorage: fakeSafe() });
  const me = s.custody.identity.create({ name: 'Ada' });
  expect(me.keyStorage).toBe('safe-storage');
  const enc = fs.readFileSync(path.join(s.core.paths.keysDir, `${me.fingerprint}.key.enc`));
  expect(enc.toString()).not.toMatch(/PRIVATE KEY/);
  expect(fs.existsSync(path.join(s.core.paths.keysDir, `${me.fingerprint}.pem`))).toBe(false);
  // It can sign through the keychain.
  const signed = s.custody.identity.signer().sign(Buffer.from('x'));
  expect(signed.length).toBe(64);
  s.cleanup();

  s = makeServices({ safeStorage: fakeSafe(false) });
  expect(() => s.custody.identity.create({ name: 'Ada' })).toThrow(/keychain.*unavailable/);
  expect(s.custody.identity.list()).toEqual([]);
  expect(fs.existsSync(s.core.paths.keysDir) ? fs.readdirSync(s.core.paths.keysDir) : []).toEqual([]);
});

test('a keychain-protected key cannot be used from the command line', () => {
  s = makeServices({ safeStorage: fakeSafe() });
  const me = s.custody.identity.create({ name: 'Ada' });
  s.close();
  const cli = makeServices({ dataDir: s.dataDir });
  expect(cli.custody.identity.current()!.fingerprint).toBe(me.fingerprint);
  expect(() => cli.custody.identity.signer()).toThrow(/command line/);
  cli.close();
});

test('several identities live in one data folder; counter-parties are known by public key', () => {
  s = makeServices();
  const a = s.custody.identity.create({ name: 'Ada' });
  const b = s.custody.identity.create({ name: 'Bob' });
  expect(s.custody.identity.current()!.fingerprint).toBe(b.fingerprint);
  s.custody.identity.use(a.fingerprint);
  expect(s.custody.identity.current()!.name).toBe('Ada');
  const other = makeServices();
  const carol = other.custody.identity.create({ name: 'Carol' });
  other.cleanup();
  const known = s.custody.identity.addPublicKey({ name: 'Carol', publicKeyPem: carol.publicKeyPem });
  expect(known).toMatchObject({ fingerprint: carol.fingerprint, keyStorage: 'public-only', current: false });
  expect(() => s.custody.identity.use(carol.fingerprint)).toThrow(/not on this machine/);
  expect(() => s.custody.identity.addPublicKey({ name: 'X', publicKeyPem: 'nonsense' })).toThrow(/PEM/);
  expect(s.custody.identity.list().map((i) => i.name)).toEqual(['Ada', 'Bob', 'Carol']);
});

test('a replaced key file is refused instead of signing with the wrong key', () => {
  s = makeServices();
  const me = s.custody.identity.create({ name: 'Ada' });
  const other = makeServices();
  other.custody.identity.create({ name: 'Mallory' });
  const foreign = fs.readdirSync(other.core.paths.keysDir)[0]!;
  const file = path.join(s.core.paths.keysDir, `${me.fingerprint}.pem`);
  fs.writeFileSync(file, fs.readFileSync(path.join(other.core.paths.keysDir, foreign)));
  other.cleanup();
  expect(() => s.custody.identity.signer()).toThrow(/does not match/);
});
