import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld, bundleVerify, checkpointFile, copyWorld, custodyVerify, dropWorld, verifySh, type World } from './world';
import { newKey, openBundle, openDb, resignBundle, saveBundle, setFile } from './attacker';
import { parseCheckpoint } from '../../../../main/custody/checkpoint';
import { writeHeadFile } from '../../../../main/custody/head';
import { makeServices } from '../../../helpers/services';
import { cli } from '../../../helpers/cli';

/**
 * Truncation, rewritten heads, replayed copies and forks, against all three
 * verifiers; and a ledger whose head shows any of them is never extended.
 */
let world: World;
beforeAll(async () => {
  world = await buildWorld();
}, 120_000);
afterAll(() => dropWorld(world));

const short = (h: string) => `${h.slice(0, 12)}…`;
const cp = (text: string) => {
  const c = parseCheckpoint(text);
  if (typeof c === 'string') throw new Error(c);
  return c;
};
const describeCp = (text: string) => {
  const c = cp(text);
  return `checkpoint of ${c.case} at entry ${c.seq} (signed by ${c.signer.name}, key ${c.signer.fingerprint}, at ${c.at})`;
};

/** Drops the append-only triggers and deletes the newest entries; returns the deleted rows' hashes by seq. */
function deleteFrom(w: World, seq: number): Map<number, string> {
  const db = openDb(w);
  const gone = new Map(
    db
      .prepare<[number], { seq: number; hash: string }>('SELECT seq, hash FROM custody_entries WHERE seq >= ?')
      .all(seq)
      .map((r) => [r.seq, r.hash]),
  );
  db.prepare('DELETE FROM custody_entries WHERE seq >= ?').run(seq);
  db.close();
  return gone;
}

async function append(w: World): Promise<{ code: number; err: string }> {
  return cli(w.dataDir, 'custody', 'note', w.caseNumber, '--text', 'written after the loss');
}

const refusal = (w: World, what: string) =>
  `error: Nothing was appended to the custody ledger of ${w.caseNumber}: ${what}.\nhint: Check the ledger against a checkpoint kept outside this data folder (from a report, export or bundle): \`lariat custody verify ${w.caseNumber} --checkpoint FILE\`. If it holds every entry, record that with \`lariat custody reseal ${w.caseNumber} --reason "..." [--checkpoint FILE]\`; if not, restore the data folder from a backup.`;

describe('truncation in the data folder, then a later append', () => {
  it('the last rows deleted, heads left: verify names the signed heads; the next append is refused; a reseal is recorded but a later checkpoint still shows the loss', async () => {
    const w = copyWorld(world, 'trunc-keep');
    const gone = deleteFrom(w, 12);
    const r = await custodyVerify(w);
    expect(r.code).toBe(1);
    const truncated = `ledger truncated: it ends at entry 11, but its signed head names entry 13 (${short(gone.get(13)!)}, signed by Ada Analyst at `;
    expect(r.first.startsWith(`broken: ${truncated}`)).toBe(true);
    expect(r.out).toContain(
      `also: ledger truncated: it ends at entry 11, but the signed head kept in the vault's .custody-head.json names entry 13 (`,
    );
    const a = await append(w);
    expect(a.code).toBe(1);
    expect(a.err.startsWith(refusal(w, truncated).split(' at ')[0]!)).toBe(true);
    expect(a.err).toContain('hint: Check the ledger against a checkpoint kept outside this data folder');
    // Export and bundle refuse too: a truncated ledger is never handed on as if whole.
    const e = await cli(w.dataDir, 'custody', 'export', w.caseNumber, '--out', path.join(w.root, 'x'));
    expect(e.err).toContain(`error: The custody record of ${w.caseNumber} was not exported: ${truncated}`);
    const bx = await cli(w.dataDir, 'export', w.caseNumber, '--out', path.join(w.root, 'x.lariat'));
    expect(bx.err).toContain(`error: Case ${w.caseNumber} was not exported: ${truncated}`);
    expect(fs.existsSync(path.join(w.root, 'x'))).toBe(false);
    expect(fs.existsSync(path.join(w.root, 'x.lariat'))).toBe(false);
    // The investigator investigates, then reseals against the checkpoint they hold (entry 9): signed, with what was found.
    const kept9 = checkpointFile(w, world.checkpoint9, 'cp9.txt');
    const rs = await cli(
      w.dataDir,
      'custody',
      'reseal',
      w.caseNumber,
      '--reason',
      'entries 12-13 lost in a disk failure',
      '--checkpoint',
      kept9,
    );
    expect(rs.code, rs.err).toBe(0);
    expect(rs.out).toMatch(/^entry 12 [0-9a-f]{64}: resealed \(ledger truncated: it ends at entry 11, but its signed head names entry 13/);
    expect((await custodyVerify(w)).first).toBe('intact: 12 entries, 2 files');
    // (that verification was recorded as entry 13) ...and a third party holding the checkpoint of entry 13 still sees what happened.
    const later = await custodyVerify(w, '--checkpoint', checkpointFile(w, world.checkpoint13, 'cp13.txt'));
    const now13 = /^head: entry 13 \(([0-9a-f]{64})\)/m.exec(later.out)![1]!;
    expect(later.first).toBe(
      `broken: ledger forked: entry 13 is ${short(now13)}, but the ${describeCp(world.checkpoint13)} names ${short(cp(world.checkpoint13).hash)}`,
    );
    dropWorld(w);
  });

  it('the last rows deleted and both heads deleted: verify says the signed head is missing; appending is refused', async () => {
    const w = copyWorld(world, 'trunc-nohead');
    deleteFrom(w, 12);
    const db = openDb(w);
    db.prepare('DELETE FROM custody_heads').run();
    db.close();
    fs.rmSync(path.join(w.vaultDir, '.custody-head.json'));
    const missing = 'signed head missing: entry 11 was written with a signed head, but the database holds none (it was deleted)';
    const r = await custodyVerify(w);
    expect(r.first).toBe(`broken: ${missing}`);
    expect(r.out).toContain("also: signed head missing: the vault's .custody-head.json is missing");
    const a = await append(w);
    expect(a.code).toBe(1);
    expect(a.err).toBe(refusal(w, missing));
    // A third party's checkpoint shows what was lost.
    const later = await custodyVerify(w, '--checkpoint', checkpointFile(w, world.checkpoint13));
    expect(later.out).toContain(
      `also: ledger truncated: it ends at entry 11, but the ${describeCp(world.checkpoint13)} names entry 13 (${short(cp(world.checkpoint13).hash)})`,
    );
    dropWorld(w);
  });

  it('the heads rewritten unsigned (the format of earlier Lariat) over a truncated ledger', async () => {
    const w = copyWorld(world, 'trunc-unsigned');
    deleteFrom(w, 12);
    const db = openDb(w);
    const last = db.prepare<[], { hash: string }>('SELECT hash FROM custody_entries ORDER BY seq DESC LIMIT 1').get()!;
    db.prepare('UPDATE custody_heads SET seq = 11, hash = ?, checkpoint = ?').run(last.hash, JSON.stringify({ seq: 11, hash: last.hash }));
    db.close();
    fs.writeFileSync(path.join(w.vaultDir, '.custody-head.json'), JSON.stringify({ seq: 11, hash: last.hash }).padEnd(160, ' '));
    const r = await custodyVerify(w);
    expect(r.first).toBe(
      'broken: signed head invalid: the signed head in the database is not a checkpoint (it is not a Lariat custody checkpoint)',
    );
    expect(r.out).toContain("also: signed head invalid: the vault's .custody-head.json is not signed");
    const a = await append(w);
    expect(a.err).toBe(
      refusal(w, 'signed head invalid: the signed head in the database is not a checkpoint (it is not a Lariat custody checkpoint)'),
    );
    dropWorld(w);
  });

  it('rolled back to entry 9 with a signed checkpoint of entry 9 replayed as both heads: only a later checkpoint kept outside shows it (the limit)', async () => {
    const w = copyWorld(world, 'trunc-replay');
    deleteFrom(w, 10);
    const c9 = cp(world.checkpoint9);
    const db = openDb(w);
    db.prepare('UPDATE custody_heads SET seq = ?, hash = ?, checkpoint = ?').run(c9.seq, c9.hash, world.checkpoint9);
    db.close();
    writeHeadFile(w.vaultDir, 9, world.checkpoint9, true);
    // Everything in the data folder agrees: this is what an attacker who can replay a signed checkpoint achieves.
    expect((await custodyVerify(w)).first).toBe('intact: 9 entries, 2 files');
    const later = await custodyVerify(w, '--checkpoint', checkpointFile(w, world.checkpoint13));
    expect(later.code).toBe(1);
    expect(later.first).toBe(
      `broken: ledger truncated: it ends at entry 10, but the ${describeCp(world.checkpoint13)} names entry 13 (${short(cp(world.checkpoint13).hash)})`,
    );
    dropWorld(w);
  });
});

describe('a forked ledger: rolled back to entry 9, then the investigator goes on working', () => {
  it('is shown by a checkpoint of the original line, to all three verifiers', async () => {
    const w = copyWorld(world, 'fork');
    deleteFrom(w, 10);
    const c9 = cp(world.checkpoint9);
    const db = openDb(w);
    db.prepare('UPDATE custody_heads SET seq = ?, hash = ?, checkpoint = ?').run(c9.seq, c9.hash, world.checkpoint9);
    db.close();
    writeHeadFile(w.vaultDir, 9, world.checkpoint9, true);
    for (const n of [1, 2, 3, 4]) expect((await cli(w.dataDir, 'custody', 'note', w.caseNumber, '--text', `fork ${n}`)).code).toBe(0);
    const kept = checkpointFile(w, world.checkpoint13);
    const c13 = cp(world.checkpoint13);
    const s = makeServices({ dataDir: w.dataDir });
    const forked13 = s.custody.ledger.list(w.caseNumber).find((e) => e.seq === 13)!.hash;
    const fresh = path.join(w.root, 'fork-export');
    s.custody.exporter.exportTo(w.caseNumber, fresh);
    const bundle = path.join(w.root, 'fork.lariat');
    await s.reports.bundles.export({ caseNumber: w.caseNumber, outPath: bundle });
    s.close();
    const forked = `ledger forked: entry 13 is ${short(forked13)}, but the ${describeCp(world.checkpoint13)} names ${short(c13.hash)}`;
    const r = await custodyVerify(w, '--checkpoint', kept);
    expect(r.first).toBe(`broken: ${forked}`);
    const v = verifySh(w, fresh, '--checkpoint', kept);
    expect(v.out).toContain(forked);
    expect(v.last).toBe('NOT intact');
    const b = await bundleVerify(w, bundle, '--checkpoint', kept);
    expect(b.verdict).toBe(`REFUSED (ledger-forked): ${forked}`);
    dropWorld(w);
  });
});

describe('truncated or replayed copies handed to a third party', () => {
  it('verify.sh: entries deleted from an export, with its checkpoint kept, deleted, or rewritten', () => {
    const w = copyWorld(world, 'trunc-export');
    const dir = w.exportDir;
    for (const n of ['000008', '000009'])
      for (const ext of ['.json', '.sig', '.counter.sig']) fs.rmSync(path.join(dir, 'entries', n + ext), { force: true });
    const lines = fs.readFileSync(path.join(dir, 'ledger.jsonl'), 'utf8').trimEnd().split('\n');
    fs.writeFileSync(path.join(dir, 'ledger.jsonl'), `${lines.slice(0, 7).join('\n')}\n`);
    const c9 = cp(world.checkpoint9);
    let v = verifySh(w, dir);
    expect(v.out).toContain(
      `ledger truncated: it ends at entry 7, but its checkpoint.txt names entry 9 (${short(c9.hash)}, signed by Ada Analyst at `,
    );
    expect(v.last).toBe('NOT intact');
    const text = fs.readFileSync(path.join(dir, 'checkpoint.txt'), 'utf8');
    fs.writeFileSync(path.join(dir, 'checkpoint.txt'), `${text.split('\n')[0]!.replace('"seq":9', '"seq":7')}\n${text.split('\n')[1]}\n`);
    v = verifySh(w, dir);
    expect(v.out).toContain(
      `signed head invalid: its checkpoint.txt is not validly signed by the key it names (${short(world.ada.fingerprint)})`,
    );
    fs.rmSync(path.join(dir, 'checkpoint.txt'));
    v = verifySh(w, dir);
    expect(v.out).toContain('checkpoint.txt missing: this export does not say where its ledger ends');
    expect(v.code).toBe(1);
    dropWorld(w);
  });

  it('a replayed old export (entries 1-5) is consistent with itself; the checkpoint of entry 9 shows it is not the whole record', () => {
    const w = copyWorld(world, 'replay-export');
    expect(verifySh(w, w.oldExport).last).toMatch(/^intact: 5 entries, 2 files/);
    const v = verifySh(w, w.oldExport, '--checkpoint', checkpointFile(w, world.checkpoint9));
    expect(v.out).toContain(
      `ledger truncated: it ends at entry 5, but the ${describeCp(world.checkpoint9)} names entry 9 (${short(cp(world.checkpoint9).hash)})`,
    );
    expect(v.last).toBe('NOT intact');
    dropWorld(w);
  });

  it('lariat verify: a replayed (older) bundle, and a bundle whose ledger lost its last entries', async () => {
    const w = copyWorld(world, 'replay-bundle');
    const kept = checkpointFile(w, world.checkpoint13);
    const r = await bundleVerify(w, w.bundle, '--checkpoint', kept);
    expect(r.verdict).toBe(
      `REFUSED (ledger-truncated): ledger truncated: it ends at entry 10, but the ${describeCp(world.checkpoint13)} names entry 13 (${short(cp(world.checkpoint13).hash)})`,
    );
    // Cutting its ledger means changing the manifest: its signature no longer verifies, and a re-signature is by a stranger.
    const b = await openBundle(w.bundle);
    const lines = b.files.get('ledger.jsonl')!.toString().trimEnd().split('\n');
    setFile(b, 'ledger.jsonl', Buffer.from(`${lines.slice(0, 8).join('\n')}\n`), 'ledger');
    b.manifest.ledger = { entries: 8, head: (JSON.parse(lines[7]!) as { hash: string }).hash };
    await saveBundle(b, w.bundle);
    expect((await bundleVerify(w, w.bundle)).verdict).toBe(
      `REFUSED (signature-invalid): The signature of manifest.json does not verify with the exporter's key ${world.ada.fingerprint}: the manifest was changed or signed by another key.`,
    );
    const mallory = newKey('Ada Analyst');
    await resignBundle(b, mallory, w.bundle);
    expect((await bundleVerify(w, w.bundle)).verdict).toBe(
      `REFUSED (unknown-signer): The manifest is signed by Ada Analyst (key ${mallory.fingerprint}), which is not trusted: it is not a trust anchor and no accepted key of the ledger introduced it (the bundle was re-signed by someone else).`,
    );
    dropWorld(w);
  });
});
