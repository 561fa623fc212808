import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { importServiceOf } from '../../helpers/services';
import { perTest } from '../../helpers/temp-dirs';
import { ensureTestIdentity } from '../../helpers/identity';
import { VaultStager } from '../../../main/custody/vault-stager';
import { copyIntoVault } from '../../../main/custody/vault-copy';

const each = perTest();

/** Files in CloudTrail's delivery format, `records` each, every record distinct. */
function trailFiles(count: number, records: number): string {
  const dir = each.dir('lariat-trail-');
  for (let f = 0; f < count; f++) {
    const Records = Array.from({ length: records }, (_, i) => ({
      eventVersion: '1.08',
      eventTime: new Date(Date.UTC(2024, 0, 1) + (f * records + i) * 1000).toISOString(),
      eventSource: 'ec2.amazonaws.com',
      eventName: i % 2 ? 'RunInstances' : 'DescribeInstances',
      awsRegion: 'us-east-1',
      sourceIPAddress: `10.0.${f}.${i % 250}`,
      eventID: `f${f}-r${i}`,
      userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::111122223333:user/u${i % 7}`, accessKeyId: `AKIATEST${f}` },
    }));
    fs.writeFileSync(path.join(dir, `trail-${f}.json`), JSON.stringify({ Records }));
  }
  return dir;
}

const stray = (root: string): string[] =>
  fs
    .readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.part'))
    .map((e) => e.name);

test('a threaded import (parse, search and vault threads) writes what an in-thread import writes, with verified custody', async () => {
  const s = each.services();
  ensureTestIdentity(s);
  const { cases } = s.core;
  const service = (workerBytes: number) => importServiceOf(s, workerBytes);
  const dir = trailFiles(5, 3000);
  const a = cases.create({ title: 'threads', severity: 'low' }).number;
  const b = cases.create({ title: 'one thread', severity: 'low' }).number;
  const ra = await service(0).importPaths(a, [dir]);
  const rb = await service(Infinity).importPaths(b, [dir]);
  expect(ra.imported).toBe(15000);
  expect(ra.files.map(({ evidenceId: _, ...f }) => f)).toEqual(rb.files.map(({ evidenceId: _, ...f }) => f));
  const count = (caseNumber: string, q: string) => s.timeline.events.count({ caseNumber, search: q }).count;
  for (const q of ['RunInstances', 'AKIATEST3', 'u5', '10.0.4.17']) expect(count(a, q)).toBe(count(b, q));
  expect(count(a, 'AKIATEST3')).toBe(3000);
  // Evidence numbered in file order, each copy verified.
  expect(s.custody.vault.list(a).map((e) => path.basename(e.source.path ?? ''))).toEqual([0, 1, 2, 3, 4].map((f) => `trail-${f}.json`));
  expect((await s.custody.verify.verify(a)).intact).toBe(true);
  expect(stray(s.dataDir)).toEqual([]);
});

test('cancelling a threaded import keeps whole files only, and leaves no half-copied file in the vault', async () => {
  const s = each.services();
  ensureTestIdentity(s);
  const { db, cases, jobs } = s.core;
  const imports = importServiceOf(s, 0);
  const caseNumber = cases.create({ title: 'cancel', severity: 'low' }).number;
  const dir = trailFiles(6, 8000);
  let checks = 0;
  const { jobId, result } = jobs.start({ kind: 't', label: 't' }, (ctx) =>
    imports.importPaths(caseNumber, [dir], {
      ...ctx,
      throwIfCancelled: () => {
        if (++checks === 5) jobs.cancel(jobId); // the first three files are written as one group by then
        ctx.throwIfCancelled();
      },
    }),
  );
  await expect(result).rejects.toMatchObject({ code: 'cancelled' });
  const done = imports.list(caseNumber).filter((r) => r.imported > 0);
  expect(done.map((r) => path.basename(r.file)).sort()).toEqual(['trail-0.json', 'trail-1.json', 'trail-2.json']);
  expect(s.timeline.events.count({ caseNumber }).count).toBe(24000);
  expect(db.prepare('SELECT count(*) AS n FROM search.timeline_fts').get()).toEqual({ n: 24000 });
  expect(db.prepare("SELECT value FROM search.meta WHERE key = 'dirty'").pluck().get()).toBe(0);
  expect(stray(s.dataDir)).toEqual([]);
  expect((await s.custody.verify.verify(caseNumber)).intact).toBe(true);
});

test('the vault thread copies exactly as copyIntoVault does, and reports its errors and cancellations the same way', async () => {
  const dir = trailFiles(1, 100);
  const vault = each.dir('lariat-vault-');
  const file = path.join(dir, 'trail-0.json');
  const stager = new VaultStager();
  try {
    const there = await stager.copy(file, vault);
    const here = await copyIntoVault(file, vault);
    expect(there.hashes).toEqual(here.hashes);
    expect(fs.readFileSync(there.tempPath)).toEqual(fs.readFileSync(file));
    await expect(stager.copy(path.join(dir, 'missing.json'), vault)).rejects.toMatchObject({ code: 'file-unreadable' });
    const abort = new AbortController();
    abort.abort();
    await expect(stager.copy(file, vault, { signal: abort.signal })).rejects.toMatchObject({ code: 'cancelled' });
  } finally {
    stager.close();
  }
});
