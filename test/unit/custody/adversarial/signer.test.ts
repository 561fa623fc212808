import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld, bundleVerify, copyWorld, custodyVerify, dropWorld, verifySh, type World } from './world';
import {
  insertKey,
  newKey,
  openBundle,
  openDb,
  resignBundle,
  resignBundleLedger,
  resignDb,
  resignExport,
  saveBundle,
  setFile,
} from './attacker';
import { makeServices } from '../../../helpers/services';
import { cli } from '../../../helpers/cli';

/**
 * Forged signers, played against all three verifiers: `lariat custody verify`
 * (the data folder), the exported verify.sh (system sh, openssl, sha256sum)
 * and `lariat verify` (bundles). Each forgery is first made as consistent as
 * the attacker can make it without an investigator's private key.
 */
let world: World;
beforeAll(async () => {
  world = await buildWorld();
}, 120_000);
afterAll(() => dropWorld(world));

const untrusted = (seq: number, name: string, fp: string): string =>
  `entry ${seq}: signed by ${name} (key ${fp}), which is not trusted: it is not a trust anchor and no accepted key introduced it before this entry`;

describe("a key inserted under a colleague's name re-signs entries 7-9 (note text changed)", () => {
  it('lariat custody verify names the untrusted key on every entry it signed, and flags the two keys named Bob Receiver', async () => {
    const w = copyWorld(world, 'signer-db');
    const mallory = newKey('Bob Receiver');
    const db = openDb(w);
    insertKey(db, mallory);
    resignDb(w, db, 7, mallory, (b) => {
      if (b.seq === 7) b.purpose = 'nothing to review';
    });
    db.close();
    const r = await custodyVerify(w);
    expect(r.code).toBe(1);
    expect(r.first).toBe(`broken: ${untrusted(7, 'Bob Receiver', mallory.fingerprint)}`);
    for (const seq of [8, 9, 10, 11, 12, 13]) expect(r.out).toContain(`also: ${untrusted(seq, 'Bob Receiver', mallory.fingerprint)}`);
    expect(r.out).toContain(`  ${world.ada.fingerprint} Ada Analyst: trusted (own key, trust list), `);
    expect(r.out).toContain(
      `  ${mallory.fingerprint} Bob Receiver: NOT trusted (not a trust anchor, and never introduced by an accepted key), 7 entries`,
    );
    expect(r.out).toContain(
      `warning: 2 keys carry the name Bob Receiver: ${world.bob.fingerprint} (trusted), ${mallory.fingerprint} (NOT trusted)`,
    );
    // The same with the fingerprints given independently instead of the data folder's trust list.
    const given = await custodyVerify(w, '--trust', world.ada.fingerprint);
    expect(given.first).toBe(`broken: ${untrusted(7, 'Bob Receiver', mallory.fingerprint)}`);
    expect(given.out).toContain(
      `  ${world.bob.fingerprint} Bob Receiver: introduced (introduced by Ada Analyst (key ${world.ada.fingerprint}) in entry 4), `,
    );

    // A fresh export and a fresh bundle of the forged data folder carry the forgery to the other verifiers.
    const s = makeServices({ dataDir: w.dataDir });
    const fresh = path.join(w.root, 'fresh-export');
    s.custody.exporter.exportTo(w.caseNumber, fresh);
    const freshBundle = path.join(w.root, 'fresh.lariat');
    await s.reports.bundles.export({ caseNumber: w.caseNumber, outPath: freshBundle, withEvidence: true });
    s.close();
    const v = verifySh(w, fresh);
    expect(v.code).toBe(1);
    expect(v.out).toContain(untrusted(7, 'Bob Receiver', mallory.fingerprint));
    expect(v.out).toContain(
      `warning: 2 keys carry the name Bob Receiver: ${world.bob.fingerprint} (introduced), ${mallory.fingerprint} (NOT trusted)`,
    );
    expect(v.last).toBe('NOT intact');
    const b = await bundleVerify(w, freshBundle);
    expect(b.code).toBe(1);
    expect(b.verdict).toBe(`REFUSED (untrusted-signer): ledger.jsonl: ${untrusted(7, 'Bob Receiver', mallory.fingerprint)}.`);
    dropWorld(w);
  });

  it('verify.sh on an export rewritten the same way', () => {
    const w = copyWorld(world, 'signer-export');
    const mallory = newKey('Bob Receiver');
    resignExport(w.exportDir, 7, mallory, (b) => {
      if (b.seq === 7) b.purpose = 'nothing to review';
    });
    const v = verifySh(w, w.exportDir);
    expect(v.code).toBe(1);
    expect(v.out).toContain(untrusted(7, 'Bob Receiver', mallory.fingerprint));
    expect(v.out).toContain(untrusted(9, 'Bob Receiver', mallory.fingerprint));
    expect(v.out).toContain(
      `signed head invalid: its checkpoint.txt is signed by Bob Receiver (key ${mallory.fingerprint}), which is not trusted`,
    );
    expect(v.out).toContain(
      `  ${mallory.fingerprint} Bob Receiver: NOT trusted (not a trust anchor, and never introduced by an accepted key), 3 entries`,
    );
    expect(v.last).toBe('NOT intact');
    dropWorld(w);
  });

  it('lariat verify on a bundle rewritten the same way and re-signed by the added key', async () => {
    const w = copyWorld(world, 'signer-bundle');
    const mallory = newKey('Bob Receiver');
    const b = await openBundle(w.bundle);
    resignBundleLedger(b, 7, mallory, (body) => {
      if (body.seq === 7) body.purpose = 'nothing to review';
    });
    await resignBundle(b, mallory, w.bundle);
    const r = await bundleVerify(w, w.bundle);
    expect(r.code).toBe(1);
    expect(r.verdict).toBe(`REFUSED (untrusted-signer): ledger.jsonl: ${untrusted(7, 'Bob Receiver', mallory.fingerprint)}.`);
    // Importing it is refused too, and nothing is written.
    const imp = await cli(w.receiverDir, 'import-bundle', w.bundle, '--trust', world.ada.fingerprint);
    expect(imp.code).toBe(1);
    expect(imp.err).toContain('error: The bundle was refused: ledger.jsonl: entry 7: signed by Bob Receiver');
    expect(fs.existsSync(path.join(w.receiverDir, 'received'))).toBe(false);
    dropWorld(w);
  });
});

describe('a substituted key file: the attacker swaps in their key under the investigator fingerprint and re-signs', () => {
  it('lariat custody verify: the recorded key no longer hashes to its fingerprint', async () => {
    const w = copyWorld(world, 'key-db');
    const mallory = newKey('Ada Analyst');
    const db = openDb(w);
    db.prepare('UPDATE investigators SET public_key_pem = ? WHERE fingerprint = ?').run(mallory.pem, world.ada.fingerprint);
    db.close();
    const r = await custodyVerify(w);
    expect(r.code).toBe(1);
    expect(r.first).toBe(
      `broken: entry 1: signature cannot be checked (no valid public key recorded for actor ${world.ada.fingerprint.slice(0, 12)}…)`,
    );
    dropWorld(w);
  });

  it("verify.sh: keys/<Ada's fingerprint>.pem holds another key", () => {
    const w = copyWorld(world, 'key-export');
    const mallory = newKey('Ada Analyst');
    fs.writeFileSync(path.join(w.exportDir, 'keys', `${world.ada.fingerprint}.pem`), mallory.pem);
    const v = verifySh(w, w.exportDir);
    expect(v.code).toBe(1);
    expect(v.out).toContain(
      `key file keys/${world.ada.fingerprint}.pem does not hold the key with that fingerprint (it holds ${mallory.fingerprint})`,
    );
    expect(v.out).toContain(
      `entry 1: signature cannot be checked (no valid public key recorded for actor ${world.ada.fingerprint.slice(0, 12)}…)`,
    );
    expect(v.last).toBe('NOT intact');
    dropWorld(w);
  });

  it('lariat verify: the bundled key file of the exporter swapped (manifest re-listed, signature kept)', async () => {
    const w = copyWorld(world, 'key-bundle');
    const mallory = newKey('Ada Analyst');
    const b = await openBundle(w.bundle);
    setFile(b, `keys/${world.ada.fingerprint}.pem`, Buffer.from(mallory.pem));
    await saveBundle(b, w.bundle);
    const r = await bundleVerify(w, w.bundle);
    expect(r.code).toBe(1);
    // The manifest changed, so the exporter's signature over it no longer verifies (checked before any file is read).
    expect(r.verdict).toBe(
      `REFUSED (unknown-key): keys/${world.ada.fingerprint}.pem is not the key with the exporter's fingerprint ${world.ada.fingerprint}.`,
    );
    dropWorld(w);
  });
});

describe('colliding names', () => {
  it('an appended entry signed by a stranger under the investigator name is named by fingerprint and flagged, in all three verifiers', async () => {
    const w = copyWorld(world, 'names');
    const mallory = newKey('Ada Analyst');
    const db = openDb(w);
    insertKey(db, mallory);
    resignDb(w, db, 13, mallory);
    db.close();
    const r = await custodyVerify(w);
    expect(r.first).toBe(`broken: ${untrusted(13, 'Ada Analyst', mallory.fingerprint)}`);
    expect(r.out).toContain(
      `warning: 2 keys carry the name Ada Analyst: ${world.ada.fingerprint} (trusted), ${mallory.fingerprint} (NOT trusted)`,
    );

    const e = copyWorld(world, 'names-export');
    resignExport(e.exportDir, 9, mallory);
    const v = verifySh(e, e.exportDir);
    expect(v.out).toContain(untrusted(9, 'Ada Analyst', mallory.fingerprint));
    expect(v.out).toContain(
      `warning: 2 keys carry the name Ada Analyst: ${world.ada.fingerprint} (trusted), ${mallory.fingerprint} (NOT trusted)`,
    );

    const b = await openBundle(e.bundle);
    resignBundleLedger(b, 10, mallory);
    await resignBundle(b, mallory, e.bundle);
    const bv = await bundleVerify(e, e.bundle);
    expect(bv.verdict).toBe(`REFUSED (untrusted-signer): ledger.jsonl: ${untrusted(10, 'Ada Analyst', mallory.fingerprint)}.`);
    dropWorld(w);
    dropWorld(e);
  });
});
