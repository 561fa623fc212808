import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { makeServices } from '../../helpers/services';
import { perTest } from '../../helpers/temp-dirs';
import { createPreloadHandlers } from '../../../main/ipc/handlers';
import { ScriptedDialogs } from '../../../main/core/dialogs';
import { contract } from '../../../common/contract';
import { runCli } from '../../../main/cli/main';
import { ensureTestIdentity } from '../../helpers/identity';
import { sh } from './fixture';

const each = perTest();

test('handlers: picker and dropped paths start one import job each; ledger, verify and export work through the contract', async () => {
  const dialogs = new ScriptedDialogs();
  const s = each.services({ dialogs });
  const h = s.handlers;
  expect(await h.getIdentity({})).toBeNull();
  const me = await h.createIdentity(
    contract.createIdentity.input.parse({ name: 'Ada', role: 'IR', organisation: 'ACME', contact: 'a@b.c' }),
  );
  expect(await h.getIdentity({})).toMatchObject({ fingerprint: me.fingerprint, current: true });
  const c = s.core.cases.create({ title: 't', severity: 'low' });
  const a = path.join(s.dataDir, 'a.txt');
  const b = path.join(s.dataDir, 'b.txt');
  fs.writeFileSync(a, 'alpha');
  fs.writeFileSync(b, 'beta');
  dialogs.openQueue.push([a]);
  const chosen = await h.chooseFiles({ purpose: 'evidence', caseNumber: c.number });
  expect(chosen.files.map((f) => f.name)).toEqual(['a.txt']);
  expect(JSON.stringify(chosen)).not.toContain(s.dataDir); // the renderer learns a name, never the path
  const picked = await h.importEvidence({ caseNumber: c.number, files: chosen.files.map((f) => f.token) });
  expect(picked.jobIds).toHaveLength(1);
  expect(await h.chooseFiles({ purpose: 'evidence', caseNumber: c.number })).toEqual({ files: [] });
  // A token is single-use: replaying it is refused and starts nothing.
  expect(() => h.importEvidence({ caseNumber: c.number, files: chosen.files.map((f) => f.token) })).toThrow(/no longer valid/);
  const { files: droppedFiles } = await createPreloadHandlers(s).grantDroppedFiles({ paths: [b, 'relative.txt'] });
  expect(droppedFiles.map((f) => f.name)).toEqual(['b.txt']); // a real drop never yields a relative path
  const dropped = await h.importEvidence({ caseNumber: c.number, files: droppedFiles.map((f) => f.token) });
  await new Promise<void>((resolve) => {
    const check = () => (s.core.jobs.list().every((j) => j.state !== 'running') ? resolve() : setTimeout(check, 20));
    check();
  });
  expect(s.core.jobs.list().map((j) => j.state)).toEqual(['done', 'done']);
  const items = await h.listEvidence({ caseNumber: c.number });
  expect(items.map((i) => i.description).sort()).toEqual(['a.txt', 'b.txt']);
  expect(dropped.jobIds[0]).toMatch(/^[0-9a-f-]{36}$/);
  const detail = await h.getEvidence({ caseNumber: c.number, evidenceId: items[0]!.id });
  expect(detail.entries.map((e) => e.action)).toEqual(['imported']);
  await h.addCustodyNote(contract.addCustodyNote.input.parse({ caseNumber: c.number, note: 'shift handover' }));
  const v = await h.verifyCustody({ caseNumber: c.number });
  expect(v.summary).toBe('intact: 3 entries, 2 files');
  expect((await h.listCustody({ caseNumber: c.number })).at(-1)!.action).toBe('hash-verified');
  const out = path.join(s.dataDir, 'out');
  dialogs.saveQueue.push(out);
  const where = await h.chooseSaveLocation({ purpose: 'custody-export', caseNumber: c.number });
  expect(where?.name).toBe('out');
  expect(await h.exportCustody({ caseNumber: c.number, out: where!.token })).toMatchObject({ dir: out, entries: 4, files: 2 });
  expect(await h.chooseSaveLocation({ purpose: 'custody-export', caseNumber: c.number })).toBeNull();
  // A read token cannot be used as a place to write.
  dialogs.openQueue.push([a]);
  const readToken = (await h.chooseFiles({ purpose: 'evidence' })).files[0]!.token;
  expect(() => h.exportCustody({ caseNumber: c.number, out: readToken })).toThrow(/no longer valid/);
});

test('contract inputs are strict', () => {
  const token = `ft_${'0'.repeat(32)}`;
  expect(contract.importEvidence.input.safeParse({ caseNumber: 'IR-2026-0001', files: [token], extra: 1 }).success).toBe(false);
  expect(contract.importEvidence.input.safeParse({ caseNumber: 'IR-2026-0001', files: [] }).success).toBe(false);
  // No channel takes a path: a path where a token belongs is refused by the schema.
  expect(contract.importEvidence.input.safeParse({ caseNumber: 'IR-2026-0001', files: ['/etc/passwd'] }).success).toBe(false);
  expect(contract.exportCustody.input.safeParse({ caseNumber: 'IR-2026-0001', out: '/tmp/x' }).success).toBe(false);
  expect(
    contract.transferEvidence.input.safeParse({ caseNumber: 'IR-2026-0001', evidenceId: 1, toFingerprint: 'ABC', purpose: 'x' }).success,
  ).toBe(false);
  expect(
    contract.setEvidenceStatus.input.safeParse({ caseNumber: 'IR-2026-0001', evidenceId: 1, status: 'held', purpose: 'x' }).success,
  ).toBe(false);
  expect(contract.createIdentity.input.safeParse({ name: '' }).success).toBe(false);
});

test('CLI: identity init/show, evidence add/list, custody log/verify/export', async () => {
  const dataDir = each.dir();
  const env = { LARIAT_DATA_DIR: dataDir };
  const io = {
    out: [] as string[],
    err: [] as string[],
    reset() {
      this.out = [];
      this.err = [];
    },
  };
  const cli = (...argv: string[]) => {
    io.reset();
    return runCli(argv, { env, io: { out: (t) => io.out.push(t), err: (t) => io.err.push(t) } });
  };
  expect(await cli('identity', 'show')).toBe(1);
  expect(io.err.join()).toContain('lariat identity init');
  expect(
    await cli('identity', 'init', '--name', 'Ada Analyst', '--role', 'Responder', '--org', 'ACME', '--contact', 'ada@acme.example'),
  ).toBe(0);
  expect(io.out.join('\n')).toMatch(/fingerprint [0-9a-f]{64}/);
  expect(await cli('identity', 'show', '--json')).toBe(0);
  const shown = JSON.parse(io.out.join('\n')) as { current: { name: string; organisation: string } };
  expect(shown.current).toMatchObject({ name: 'Ada Analyst', organisation: 'ACME' });
  expect(await cli('case', 'new', '--title', 'cli')).toBe(0);
  const caseNumber = io.out[0]!;
  const file = path.join(dataDir, 'big.bin');
  fs.writeFileSync(file, Buffer.alloc(3_000_000, 1));
  expect(await cli('evidence', 'add', caseNumber, file, '--description', 'big file')).toBe(0);
  expect(io.out[0]).toMatch(/^added #1 {2}[0-9a-f]{64} {2}3000000 bytes {2}big file$/);
  expect(await cli('evidence', 'add', caseNumber, file)).toBe(0);
  expect(io.out[0]).toMatch(/^already held #1/);
  expect(await cli('evidence', 'add', caseNumber, path.join(dataDir, 'missing.bin'))).toBe(1);
  expect(io.err.join()).toMatch(/error: .*missing\.bin cannot be read/);
  expect(await cli('evidence', 'list', caseNumber, '--json')).toBe(0);
  expect(JSON.parse(io.out.join('\n'))).toEqual([expect.objectContaining({ id: 1, description: 'big file', size: 3_000_000 })]);
  expect(await cli('custody', 'log', caseNumber)).toBe(0);
  expect(io.out.join('\n')).toMatch(/\n1\t.*\timported\t#1\tAda Analyst/);
  expect(await cli('custody', 'verify', caseNumber)).toBe(0);
  expect(io.out[0]).toBe('intact: 1 entries, 1 files');
  const out = path.join(dataDir, 'export');
  expect(await cli('custody', 'export', caseNumber, '--out', out)).toBe(0);
  // The export holds what was recorded before it; its own `exported` entry follows once it is complete on disk.
  expect(fs.readFileSync(path.join(out, 'ledger.jsonl'), 'utf8').trimEnd().split('\n')).toHaveLength(2);
  expect(await cli('custody', 'log', caseNumber, '--json')).toBe(0);
  expect((JSON.parse(io.out.join('\n')) as { action: string }[]).map((e) => e.action)).toEqual(['imported', 'hash-verified', 'exported']);
  expect(await cli('custody', 'verify', 'nonsense')).toBe(1);
});

test('CLI: custody note, and a transfer signed by a receiver elsewhere with openssl', async () => {
  const dataDir = each.dir();
  const otherDir = each.dir();
  const lines: string[] = [];
  const cli = (dir: string, ...argv: string[]) => {
    lines.length = 0;
    return runCli(argv, { env: { LARIAT_DATA_DIR: dir }, io: { out: (t) => lines.push(t), err: (t) => lines.push(t) } });
  };
  await cli(otherDir, 'identity', 'init', '--name', 'Carol');
  await cli(otherDir, 'identity', 'show', '--json');
  const { current: carol } = JSON.parse(lines.join('\n')) as { current: { fingerprint: string; publicKeyPem: string } };
  await cli(dataDir, 'identity', 'init', '--name', 'Ada');
  await cli(dataDir, 'case', 'new', '--title', 'transfer');
  const caseNumber = lines[0]!;
  const file = path.join(dataDir, 'e.txt');
  fs.writeFileSync(file, 'evidence');
  await cli(dataDir, 'evidence', 'add', caseNumber, file);
  expect(await cli(dataDir, 'custody', 'note', caseNumber, '--item', '1', '--text', 'sealed in bag 7')).toBe(0);
  expect(lines[0]).toMatch(/^entry 2 [0-9a-f]{64}$/);
  // Ada knows Carol's public key only.
  const s2 = makeServices({ dataDir });
  s2.custody.identity.addPublicKey({ name: 'Carol', publicKeyPem: carol.publicKeyPem });
  s2.close();
  const args = ['custody', 'transfer', caseNumber, '1', '--to', carol.fingerprint, '--purpose', 'court'];
  expect(await cli(dataDir, ...args)).toBe(1);
  expect(lines.join('\n')).toContain('not on this machine');
  expect(await cli(dataDir, ...args, '--prepare')).toBe(0);
  const draft = path.join(otherDir, 'entry.json');
  fs.writeFileSync(draft, lines[0]!);
  const cmd = lines[1]!
    .split('receiver runs: ')[1]!
    .replace('your-private-key.pem', path.join(otherDir, 'keys', `${carol.fingerprint}.pem`));
  const signed = sh('sh', ['-c', `cd '${otherDir}' && ${cmd}`]);
  expect(signed.status).toBe(0);
  expect(await cli(dataDir, ...args, '--draft', draft, '--signature', signed.out.trim())).toBe(0);
  expect(lines[0]).toMatch(/^entry 3 [0-9a-f]{64}: Ada → Carol$/);
  expect(await cli(dataDir, 'custody', 'verify', caseNumber)).toBe(0);
  expect(await cli(dataDir, 'evidence', 'list', caseNumber)).toBe(0);
  expect(lines.join('\n')).toMatch(/Carol\s+transferred/);
});

test('ensureTestIdentity is idempotent', () => {
  const s = each.services();
  const a = ensureTestIdentity(s);
  expect(ensureTestIdentity(s).fingerprint).toBe(a.fingerprint);
});
