import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld, bundleVerify, copyWorld, dropWorld, type World } from './world';
import { flipByte, newKey } from './attacker';
import { cli } from '../../../helpers/cli';
import { makeServices } from '../../../helpers/services';
import { writeZip } from '../../reports/zip-tools';

/**
 * A received case keeps its bundle (manifest and signature included) and is
 * re-verified with the case, evidence files re-hashed; its number may collide.
 */
let world: World;
beforeAll(async () => {
  world = await buildWorld();
}, 120_000);
afterAll(() => dropWorld(world));

/** Imports the world's bundle into the receiver, confirming Ada's fingerprint; returns the local case number. */
async function receive(w: World): Promise<{ caseNumber: string; folder: string; out: string }> {
  const r = await cli(w.receiverDir, 'import-bundle', w.bundle, '--trust', w.ada.fingerprint, '--json');
  expect(r.code, r.err).toBe(0);
  const json = JSON.parse(r.out) as { caseNumber: string; folder: string };
  return { ...json, out: r.out };
}

function filesIn(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const f of fs.readdirSync(dir, { recursive: true }) as string[]) {
    const p = path.join(dir, f);
    if (fs.statSync(p).isFile()) out.set(f.split(path.sep).join('/'), fs.readFileSync(p));
  }
  return out;
}

describe('a received case', () => {
  it('is refused until the sender fingerprint is confirmed, then lists its evidence and re-verifies intact', async () => {
    const w = copyWorld(world, 'received-ok');
    const refused = await cli(w.receiverDir, 'import-bundle', w.bundle);
    expect(refused.code).toBe(1);
    expect(refused.err).toBe(
      `error: The bundle is intact, but none of its keys is trusted here: Ada Analyst's key fingerprint is ${w.ada.fingerprint}.\nhint: Confirm that fingerprint with Ada Analyst by another channel (phone, in person), then import again trusting it (\`lariat import-bundle FILE --trust ${w.ada.fingerprint}\`). Nothing was written.`,
    );
    const { caseNumber, folder } = await receive(w);
    expect(caseNumber).toBe(w.caseNumber);
    expect(fs.readdirSync(folder).sort()).toEqual(
      expect.arrayContaining(['manifest.json', 'manifest.sig', 'case.json', 'ledger.jsonl', 'checkpoint.txt', 'evidence']),
    );
    const list = await cli(w.receiverDir, 'evidence', 'list', caseNumber);
    expect(list.out).toMatch(/^1 +file +\d+ +[0-9a-f]{64} .*auth\.log/m);
    expect(list.out).toMatch(/^2 +memory-image /m);
    const v = await cli(w.receiverDir, 'custody', 'verify', caseNumber);
    expect(v.code, v.out).toBe(0);
    expect(v.out.split('\n')[0]).toBe('intact: 1 entries, 2 files');
    expect(v.out).toContain(
      `received: the sender's record of case ${w.caseNumber} re-verified: 10 entries, 2 evidence files (exported by Ada Analyst, key ${w.ada.fingerprint})`,
    );
    expect(v.out).toContain(`  ${w.ada.fingerprint} Ada Analyst: introduced (introduced by Carol Counsel (key `);
    dropWorld(w);
  });

  it('a file changed in received/<case>/evidence/ after import is named, by lariat custody verify and lariat verify of the folder re-packed', async () => {
    const w = copyWorld(world, 'received-changed');
    const { caseNumber, folder } = await receive(w);
    const name = fs.readdirSync(path.join(folder, 'evidence')).find((n) => n.startsWith('1-'))!;
    const file = path.join(folder, 'evidence', name);
    const before = crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
    flipByte(file);
    const after = crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
    const v = await cli(w.receiverDir, 'custody', 'verify', caseNumber);
    expect(v.code).toBe(1);
    expect(v.out.split('\n')[0]).toBe(
      `broken: received bundle: evidence/${name}: SHA-256 ${after} differs from the manifest's ${before} (the file was changed).`,
    );
    // The received folder handed on as a bundle again.
    const repacked = path.join(w.root, 'repacked.lariat');
    await writeZip(repacked, filesIn(folder));
    expect((await bundleVerify(w, repacked)).verdict).toBe(
      `REFUSED (hash-mismatch): evidence/${name}: SHA-256 ${after} differs from the manifest's ${before} (the file was changed).`,
    );
    dropWorld(w);
  });

  it('a manifest replaced (and re-signed) after import is not the one received', async () => {
    const w = copyWorld(world, 'received-manifest');
    const { caseNumber, folder } = await receive(w);
    const mallory = newKey('Ada Analyst');
    const m = path.join(folder, 'manifest.json');
    fs.chmodSync(m, 0o644);
    fs.chmodSync(path.join(folder, 'manifest.sig'), 0o644);
    const text = fs.readFileSync(m, 'utf8').replace('"title": "', '"title": "Nothing to see: ');
    fs.writeFileSync(m, text);
    fs.writeFileSync(path.join(folder, 'manifest.sig'), mallory.sign(Buffer.from(text)));
    const v = await cli(w.receiverDir, 'custody', 'verify', caseNumber);
    expect(v.out.split('\n')[0]).toBe(
      `broken: received bundle: manifest.json in ${folder} is not the one received (its SHA-256 differs from the signed "received" entry 1)`,
    );
    dropWorld(w);
  });

  it('a case number already used here is received under a local alias, the original kept visible', async () => {
    const w = copyWorld(world, 'received-alias');
    const s = makeServices({ dataDir: w.receiverDir });
    const mine = s.core.cases.create({ title: 'My own first case', severity: 'low' }).number;
    s.close();
    expect(mine).toBe(w.caseNumber);
    const r = await cli(w.receiverDir, 'import-bundle', w.bundle, '--trust', w.ada.fingerprint);
    expect(r.code, r.err).toBe(0);
    const alias = /imported as read-only case (IR-\d{4}-\d+)/.exec(r.out)![1]!;
    expect(alias).not.toBe(w.caseNumber);
    expect(r.out).toContain(`imported as read-only case ${alias} (the sender's case ${w.caseNumber}; that number is taken here)`);
    const show = await cli(w.receiverDir, 'case', 'show', alias, '--json');
    expect((JSON.parse(show.out) as { tags: string[] }).tags).toContain(`sender-case:${w.caseNumber}`);
    const v = await cli(w.receiverDir, 'custody', 'verify', alias);
    expect(v.code, v.out).toBe(0);
    expect(v.out).toContain(`received: the sender's record of case ${w.caseNumber} re-verified`);
    const log = await cli(w.receiverDir, 'custody', 'log', alias, '--json');
    expect(JSON.parse(log.out)[0]).toMatchObject({ action: 'received', details: { originalCaseNumber: w.caseNumber } });
    dropWorld(w);
  });
});
