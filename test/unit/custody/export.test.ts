import fs from 'node:fs';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { setup, sh, type Fixture } from './fixture';

let f: Fixture;
afterEach(() => f?.s.cleanup());

/** A case with imports, an access, a transfer between two local identities, and a note. */
async function populated() {
  f = setup();
  const { s, caseNumber, me } = f;
  const a = await s.custody.evidence.importFile(caseNumber, f.file('cloudtrail.json', '{"Records":[]}'), { kind: 'log-export' });
  await s.custody.evidence.importFile(caseNumber, f.file('notes.txt', 'it\'s "quoted" and ünïcode\n'), {
    description: 'Notes with "quotes" and ünïcode',
  });
  s.custody.evidence.recordCustody(caseNumber, {
    evidenceId: a.id,
    action: 'accessed',
    purpose: 'parse',
    details: { nested: { prev: 'x', actor: { fingerprint: 'y' } } },
  });
  const bob = s.custody.identity.create({ name: 'Bob' });
  s.custody.identity.use(me.fingerprint);
  s.custody.actions.transfer({ caseNumber, evidenceId: a.id, toFingerprint: bob.fingerprint, purpose: 'lab', location: 'HQ' });
  const out = path.join(s.dataDir, 'export');
  const r = s.custody.exporter.exportTo(caseNumber, out);
  expect(r).toEqual({
    dir: out,
    vaultDir: expect.stringContaining('vault'),
    entries: 4,
    files: 2,
    keys: 2,
    checkpoint: expect.objectContaining({ case: caseNumber, seq: 4, signer: { name: me.name, fingerprint: me.fingerprint } }),
    signers: [
      { name: me.name, fingerprint: me.fingerprint },
      { name: 'Bob', fingerprint: bob.fingerprint },
    ],
  });
  // The export itself is recorded only once it is complete on disk, so it is not part of what it holds.
  expect(s.custody.ledger.list(caseNumber).at(-1)).toMatchObject({ seq: 5, action: 'exported', details: { checkpoint: { seq: 4 } } });
  return { out, vault: s.custody.vault.caseDir(caseNumber), me, bob };
}

test('an export is checked by the system openssl and sha256sum exactly as VERIFY.md says', async () => {
  const { out, vault, me } = await populated();
  expect(fs.readdirSync(out).sort()).toEqual(['SHA256SUMS', 'VERIFY.md', 'checkpoint.txt', 'entries', 'keys', 'ledger.jsonl', 'verify.sh']);
  const lines = fs
    .readFileSync(path.join(out, 'ledger.jsonl'), 'utf8')
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as { seq: number; action: string; hash: string; actor: { fingerprint: string } });
  expect(lines.map((l) => l.action)).toEqual(['imported', 'imported', 'accessed', 'transferred']);
  // Step 1 of VERIFY.md for every entry, with the real binaries.
  for (const l of lines) {
    const n = String(l.seq).padStart(6, '0');
    expect(sh('openssl', ['dgst', '-sha256', '-binary', '-out', `${n}.hash`, `entries/${n}.json`], { cwd: out }).status).toBe(0);
    expect(sh('sha256sum', [`entries/${n}.json`], { cwd: out }).out.slice(0, 64)).toBe(l.hash);
    const v = sh(
      'openssl',
      [
        'pkeyutl',
        '-verify',
        '-pubin',
        '-inkey',
        `keys/${l.actor.fingerprint}.pem`,
        '-rawin',
        '-in',
        `${n}.hash`,
        '-sigfile',
        `entries/${n}.sig`,
      ],
      { cwd: out },
    );
    expect(v.out).toContain('Signature Verified Successfully');
    fs.rmSync(path.join(out, `${n}.hash`));
  }
  // Key file names are the fingerprints.
  for (const k of fs.readdirSync(path.join(out, 'keys'))) {
    expect(sh('sh', ['-c', `openssl pkey -pubin -in 'keys/${k}' -outform DER | sha256sum | cut -c1-64`], { cwd: out }).out.trim()).toBe(
      k.replace('.pem', ''),
    );
  }
  // Step 3: the evidence files.
  const sums = sh('sha256sum', ['-c', path.join(out, 'SHA256SUMS')], { cwd: vault });
  expect(sums.status).toBe(0);
  expect(sums.out.match(/: OK/g)).toHaveLength(2);
  // And the bundled script does all of it.
  // Step 3 of VERIFY.md: the checkpoint.
  const cp = sh(
    'sh',
    [
      '-c',
      `head -n 1 checkpoint.txt | tr -d '\\n' > cp.json && sed -n 2p checkpoint.txt | openssl base64 -d -A > cp.sig && openssl dgst -sha256 -binary -out cp.hash cp.json && openssl pkeyutl -verify -pubin -inkey keys/${me.fingerprint}.pem -rawin -in cp.hash -sigfile cp.sig`,
    ],
    { cwd: out },
  );
  expect(cp.out).toContain('Signature Verified Successfully');
  for (const t of ['cp.json', 'cp.sig', 'cp.hash']) fs.rmSync(path.join(out, t));
  const script = sh('sh', [path.join(out, 'verify.sh'), '--trust', me.fingerprint, vault]);
  expect(script.out.trim().split('\n').at(-1)).toMatch(/^intact: 4 entries, 2 files \(last hash [0-9a-f]{64}\)$/);
  expect(script.out).toContain(`  ${me.fingerprint} ${me.name}: trusted (given with --trust), 4 entries`);
  expect(script.out).toMatch(/ Bob: introduced \(introduced by Test Investigator \(key [0-9a-f]{64}\) in entry 4\), 1 entries/);
  expect(script.status).toBe(0);
  // Without a trust anchor it is only consistent with itself, and says so.
  const loose = sh('sh', [path.join(out, 'verify.sh'), vault]);
  expect(loose.status).toBe(1);
  expect(loose.out).toContain(
    'not anchored: none of the 2 key(s) of this ledger is a trust anchor (anchors: none given (pass --trust FP)); it is consistent only with itself',
  );
});

test('verify.sh and sha256sum catch tampering with an export or the vault', async () => {
  const { out, vault, me } = await populated();
  const trust = ['--trust', me.fingerprint];
  const entry = path.join(out, 'entries', '000003.json');
  const original = fs.readFileSync(entry, 'utf8');
  fs.writeFileSync(entry, original.replace('"parse"', '"PARSE"'));
  let r = sh('sh', [path.join(out, 'verify.sh'), ...trust]);
  expect(r.status).toBe(1);
  expect(r.out).toContain('entry 3: signature invalid');
  expect(r.out).toContain('entry 4: chain broken');
  fs.writeFileSync(entry, original);
  // The receiver's counter-signature is checked too.
  const counter = path.join(out, 'entries', '000004.counter.sig');
  const sig = fs.readFileSync(counter);
  sig[5] ^= 0xff;
  fs.writeFileSync(counter, sig);
  r = sh('sh', [path.join(out, 'verify.sh'), ...trust]);
  expect(r.out).toContain('entry 4: signature invalid (receiver Bob)');
  fs.writeFileSync(counter, ((sig[5] ^= 0xff), sig));
  fs.rmSync(path.join(out, 'entries', '000002.json'));
  r = sh('sh', [path.join(out, 'verify.sh'), ...trust]);
  expect(r.out).toContain('gap in sequence: entry 2 is missing (entry 1 is followed by 3)');
  // An evidence file edited in the vault.
  const file = path.join(
    vault,
    fs.readdirSync(vault).find((n) => n.endsWith('notes.txt'))!,
  );
  fs.chmodSync(file, 0o644);
  fs.appendFileSync(file, 'x');
  const sums = sh('sha256sum', ['-c', path.join(out, 'SHA256SUMS')], { cwd: vault });
  expect(sums.status).not.toBe(0);
  expect(sums.out).toMatch(/notes\.txt: FAILED/);
});

test('export refuses a non-empty folder', async () => {
  f = setup();
  const out = path.join(f.s.dataDir, 'busy');
  fs.mkdirSync(out);
  fs.writeFileSync(path.join(out, 'x'), 'x');
  expect(() => f.s.custody.exporter.exportTo(f.caseNumber, out)).toThrow(/not empty/);
});
