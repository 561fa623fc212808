import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { setup, type Fixture } from './fixture';
import type { JobRecord } from '../../../common/contract/jobs';

let f: Fixture;
afterEach(() => f?.s.cleanup());

const digest = (algo: string, b: Buffer) => crypto.createHash(algo).update(b).digest('hex');
/** Pseudo-random content so every 1 MiB chunk differs (catches out-of-order hashing). */
const content = (mib: number) => {
  const b = Buffer.alloc(mib * 1024 * 1024 + 12345);
  for (let i = 0; i < b.length; i += 4096) crypto.randomFillSync(b, i, Math.min(64, b.length - i));
  return b;
};
const vaultFiles = (f: Fixture) => {
  const dir = path.join(f.s.core.paths.vaultDir, f.caseNumber);
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => !n.startsWith('.custody-head')) : [];
};
const count = (f: Fixture, table: string) => (f.s.core.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

test('import hashes MD5, SHA-1, SHA-256 in one pass, stores a read-only copy and records it with an entry', async () => {
  f = setup();
  const { s, caseNumber, me } = f;
  const bytes = content(9);
  const src = f.file('disk image.raw', bytes);
  const progress: JobRecord[] = [];
  const off = s.core.events.subscribe((name, p) => name === 'jobProgress' && progress.push(p as JobRecord));
  const item = await s.core.jobs.run({ kind: 'evidence-import', label: 'import', caseNumber }, (ctx) =>
    s.custody.evidence.importFile(caseNumber, src, { description: 'Disk image' }, ctx),
  );
  off();
  expect(item.hashes).toEqual({ md5: digest('md5', bytes), sha1: digest('sha1', bytes), sha256: digest('sha256', bytes) });
  expect(item).toMatchObject({ size: bytes.length, duplicate: false, description: 'Disk image', kind: 'file' });
  expect(item.vaultPath).toBe(`${caseNumber}/${item.hashes.sha256.slice(0, 16)}-disk_image.raw`);
  const stored = path.join(s.core.paths.vaultDir, item.vaultPath!);
  expect(fs.statSync(stored).mode & 0o777).toBe(0o444);
  expect(digest('sha256', fs.readFileSync(stored))).toBe(item.hashes.sha256);
  expect(vaultFiles(f)).toEqual([path.basename(stored)]);
  const full = s.custody.vault.get(caseNumber, item.id);
  expect(full).toMatchObject({
    status: 'held',
    custodian: me.name,
    source: { path: src },
    acquisition: { by: me.name, tool: `Lariat ${s.core.version}` },
  });
  expect(full.acquisition.host).not.toBe('');
  const [entry] = s.custody.ledger.list(caseNumber, item.id);
  expect(entry).toMatchObject({ action: 'imported', hashes: item.hashes, evidence: { id: item.id, sha256: item.hashes.sha256 } });
  expect(progress.at(-1)).toMatchObject({ state: 'done', done: bytes.length, total: bytes.length });
});

test('the same content twice is detected and returns the existing item', async () => {
  f = setup();
  const { s, caseNumber } = f;
  const a = await s.custody.evidence.importFile(caseNumber, f.file('a.log', 'same bytes'), {});
  const b = await s.custody.evidence.importFile(caseNumber, f.file('b.log', 'same bytes'), {});
  expect(b).toMatchObject({ id: a.id, duplicate: true, vaultPath: a.vaultPath });
  expect(count(f, 'custody_entries')).toBe(1);
  // The same bytes acquired again from another source: the item is shared, the acquisition gets its own entry naming that source.
  const c = await s.custody.evidence.importBytes(caseNumber, 'c.log', Buffer.from('same bytes'), {
    description: 'c',
    source: { resource: 'i-0other000000000000' },
  });
  expect(c).toMatchObject({ id: a.id, duplicate: true });
  expect(count(f, 'evidence')).toBe(1);
  expect(count(f, 'custody_entries')).toBe(2);
  const again = s.custody.ledger.list(caseNumber, a.id)[1]!;
  expect(again).toMatchObject({
    action: 'acquired',
    details: { sameContentAs: a.id, fileName: 'c.log', source: { resource: 'i-0other000000000000' } },
  });
  expect(vaultFiles(f)).toHaveLength(1);
  expect((await s.custody.verify.verify(caseNumber)).problems).toEqual([]);
});

test('cancelling an import leaves no file and records nothing', async () => {
  f = setup();
  const { s, caseNumber } = f;
  const src = f.file('big.bin', content(48));
  let jobId = '';
  const off = s.core.events.subscribe((name, p) => {
    const r = p as JobRecord;
    if (name === 'jobProgress' && r.id === jobId && r.done > 0 && r.state === 'running') s.core.jobs.cancel(jobId);
  });
  const started = s.core.jobs.start({ kind: 'evidence-import', label: 'import', caseNumber }, (ctx) =>
    s.custody.evidence.importFile(caseNumber, src, {}, ctx),
  );
  jobId = started.jobId;
  await expect(started.result).rejects.toMatchObject({ code: 'cancelled' });
  off();
  expect(s.core.jobs.list()[0]!.state).toBe('cancelled');
  expect(vaultFiles(f)).toEqual([]);
  expect(count(f, 'evidence')).toBe(0);
  expect(count(f, 'custody_entries')).toBe(0);
});

test('a file that changes while being imported is refused precisely and leaves nothing behind', async () => {
  f = setup();
  const { s, caseNumber } = f;
  const src = f.file('growing.log', content(24));
  let touched = false;
  const job = {
    signal: new AbortController().signal,
    throwIfCancelled() {},
    progress(done: number) {
      if (!touched && done > 0) {
        touched = true;
        fs.appendFileSync(src, 'one more line\n');
      }
    },
  };
  await expect(s.custody.evidence.importFile(caseNumber, src, {}, job)).rejects.toMatchObject({
    code: 'file-changed-during-import',
    message: expect.stringContaining('growing.log changed while it was being imported'),
  });
  expect(vaultFiles(f)).toEqual([]);
  expect(count(f, 'evidence')).toBe(0);
});

test('bad sources are refused with a clear error', async () => {
  f = setup();
  const { s, caseNumber } = f;
  await expect(s.custody.evidence.importFile(caseNumber, path.join(s.dataDir, 'nope.bin'), {})).rejects.toMatchObject({
    code: 'file-unreadable',
  });
  await expect(s.custody.evidence.importFile(caseNumber, s.dataDir, {})).rejects.toMatchObject({ code: 'not-a-file' });
  await expect(s.custody.evidence.importFile('IR-2026-9999', f.file('x', 'x'), {})).rejects.toMatchObject({ code: 'not-found' });
});

test('importBytes and registerRemote record evidence with acquisition details', async () => {
  f = setup();
  const { s, caseNumber } = f;
  const json = Buffer.from('{"Reservations":[]}');
  const a = await s.custody.evidence.importBytes(caseNumber, 'describe-instances.json', json, {
    kind: 'log-export',
    description: 'DescribeInstances i-0abc',
    source: { account: '123456789012', region: 'eu-west-1', resource: 'i-0abc' },
    acquisition: { tool: 'Lariat 0.1.0', method: 'ec2:DescribeInstances', host: 'i-0abc' },
  });
  expect(a.hashes.sha256).toBe(digest('sha256', json));
  expect(s.custody.vault.get(caseNumber, a.id)).toMatchObject({
    kind: 'log-export',
    source: { account: '123456789012', region: 'eu-west-1', resource: 'i-0abc' },
    acquisition: { method: 'ec2:DescribeInstances', host: 'i-0abc' },
  });
  const snap = s.custody.evidence.registerRemote(caseNumber, {
    kind: 'ebs-snapshot',
    description: 'Snapshot of vol-1',
    source: { account: '123456789012', region: 'eu-west-1', resource: 'arn:aws:ec2:eu-west-1::snapshot/snap-1' },
    acquisition: { tool: 'Lariat 0.1.0', method: 'ec2:CreateSnapshot', host: 'i-0abc' },
    size: 8 * 1024 ** 3,
    hashes: {},
  });
  expect(snap).toMatchObject({ kind: 'ebs-snapshot', vaultPath: null, hashes: { sha256: '' } });
  const s3 = s.custody.evidence.registerRemote(caseNumber, {
    kind: 's3-object',
    description: 'memory image in S3',
    source: { resource: 's3://bucket/mem.lime' },
    acquisition: { tool: 'AVML 0.14.0' },
    size: 10,
    hashes: { sha256: 'a'.repeat(64) },
  });
  expect(s.custody.ledger.list(caseNumber, s3.id)[0]).toMatchObject({ action: 'acquired', hashes: { sha256: 'a'.repeat(64) } });
  const v = await s.custody.verify.verify(caseNumber);
  expect(v.summary).toBe('intact: 3 entries, 1 files');
});

test('a received (read-only) case refuses imports', async () => {
  f = setup();
  const { s } = f;
  const rc = s.core.cases.create({ title: 'received', severity: 'low' }, { readOnly: true, number: 'IR-2025-0042' });
  await expect(s.custody.evidence.importFile(rc.number, f.file('x', 'x'), {})).rejects.toMatchObject({ code: 'case-read-only' });
});
