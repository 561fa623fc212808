import fs from 'node:fs';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { setup, sh, type Fixture } from './fixture';

let f: Fixture;
afterEach(() => f?.s.cleanup());

/** A case with imports, an access, a transfer between two local identities, and a note. */
async function populated(): Promise<{ out: string; vault: string }> {
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
  expect(r).toEqual({ dir: out, vaultDir: expect.stringContaining('vault'), entries: 5, files: 2, keys: 2 });
  return { out, vault: s.custody.vault.caseDir(caseNumber) };
}

test('an export is checked by the system openssl and sha256sum exactly as VERIFY.md says', async () => {
  const { out, vault } = await populated();
  expect(fs.readdirSync(out).sort()).toEqual(['SHA256SUMS', 'VERIFY.md', 'entries', 'keys', 'ledger.jsonl', 'verify.sh']);
  const lines = fs
    .readFileSync(path.join(out, 'ledger.jsonl'), 'utf8')
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as { seq: number; action: string; hash: string; actor: { fingerprint: string } });
  expect(lines.map((l) => l.action)).toEqual(['imported', 'imported', 'accessed', 'transferred', 'exported']);
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
  const script = sh('sh', [path.join(out, 'verify.sh'), vault]);
  expect(script.out.trim()).toMatch(/^intact: 5 entries, 2 files \(last hash [0-9a-f]{64}\)$/);
  expect(script.status).toBe(0);
});

test('verify.sh and sha256sum catch tampering with an export or the vault', async () => {
  const { out, vault } = await populated();
  const entry = path.join(out, 'entries', '000003.json');
  const original = fs.readFileSync(entry, 'utf8');
  fs.writeFileSync(entry, original.replace('"parse"', '"PARSE"'));
  let r = sh('sh', [path.join(out, 'verify.sh')]);
  expect(r.status).toBe(1);
  expect(r.out).toContain('entry 3: signature invalid');
  expect(r.out).toContain('entry 4: chain broken');
  fs.writeFileSync(entry, original);
  // The receiver's counter-signature is checked too.
  const counter = path.join(out, 'entries', '000004.counter.sig');
  const sig = fs.readFileSync(counter);
  sig[5] ^= 0xff;
  fs.writeFileSync(counter, sig);
  r = sh('sh', [path.join(out, 'verify.sh')]);
  expect(r.out).toContain('entry 4: receiver signature invalid');
  fs.writeFileSync(counter, ((sig[5] ^= 0xff), sig));
  fs.rmSync(path.join(out, 'entries', '000002.json'));
  r = sh('sh', [path.join(out, 'verify.sh')]);
  expect(r.out).toContain('entry 3: gap in sequence (expected 2)');
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
