import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld, copyWorld, dropWorld, verifySh, type World } from './world';
import { sh } from '../fixture';

/**
 * The readable copies in an export, `ledger.jsonl` and `SHA256SUMS`, are not
 * signed, yet they are what a person opens first (and `sha256sum -c` is what
 * they run). Found by hand: `verify.sh` never read them, so a note rewritten
 * in `ledger.jsonl` still verified "intact". It now requires both to say
 * exactly what the signed entries say.
 */
let world: World;
beforeAll(async () => {
  world = await buildWorld();
}, 120_000);
afterAll(() => dropWorld(world));

const ledgerFile = (w: World) => path.join(w.exportDir, 'ledger.jsonl');
const editLines = (file: string, edit: (lines: string[]) => string[]) =>
  fs.writeFileSync(
    file,
    edit(fs.readFileSync(file, 'utf8').split('\n').filter(Boolean))
      .map((l) => `${l}\n`)
      .join(''),
  );

describe('the readable ledger.jsonl of an export', () => {
  it('untouched (with a counter-signed transfer in it) verifies intact: the check reads it as exported', () => {
    const v = verifySh(world, world.exportDir);
    expect(v.last).toMatch(/^intact: 9 entries, 2 files/);
    expect(v.code).toBe(0);
  });

  it("a note's text rewritten in ledger.jsonl only is named by its line", () => {
    const w = copyWorld(world, 'jsonl-note');
    const text = fs.readFileSync(ledgerFile(w), 'utf8');
    const line5 = text.split('\n')[4]!;
    expect(line5).toContain('"action":"note"');
    const forged = line5.replace(/"purpose":"[^"]*"/, '"purpose":"seal intact, nothing to report"');
    expect(forged).not.toBe(line5);
    fs.writeFileSync(ledgerFile(w), text.replace(line5, forged));
    const v = verifySh(w, w.exportDir);
    expect(v.out).toContain(
      'ledger.jsonl line 5 altered: it does not say what signed entry 5 says (the readable ledger was edited; entries/ holds what was signed)',
    );
    expect(v.last).toBe('NOT intact');
    expect(v.code).toBe(1);
    dropWorld(w);
  });

  it("a transfer's counter-signature dropped from its line, a line deleted, or a line added are named", () => {
    const w = copyWorld(world, 'jsonl-lines');
    const original = fs.readFileSync(ledgerFile(w), 'utf8');
    editLines(ledgerFile(w), (ls) =>
      ls.map((l) => (l.includes('"action":"transferred"') ? l.replace(/"counterSignature":"[^"]*"/, '"counterSignature":null') : l)),
    );
    expect(fs.readFileSync(ledgerFile(w), 'utf8')).not.toBe(original);
    expect(verifySh(w, w.exportDir).out).toContain('ledger.jsonl line 8 altered');

    fs.writeFileSync(ledgerFile(w), original);
    editLines(ledgerFile(w), (ls) => ls.filter((_, i) => i !== 6));
    expect(verifySh(w, w.exportDir).out).toContain('ledger.jsonl line 7 altered');

    fs.writeFileSync(ledgerFile(w), `${original}${original.split('\n')[0]}\n`);
    const v = verifySh(w, w.exportDir);
    expect(v.out).toContain('ledger.jsonl altered: it has 10 lines for 9 signed entries');
    expect(v.code).toBe(1);

    fs.rmSync(ledgerFile(w));
    expect(verifySh(w, w.exportDir).out).toContain('ledger.jsonl missing');
    dropWorld(w);
    // Four runs of verify.sh (bash and openssl per entry): ~9 s each on a loaded 2-core machine, past the tier's 30 s.
  }, 120_000);
});

describe('SHA256SUMS of an export', () => {
  it('a line deleted (the file untouched) fails verify.sh, though sha256sum -c still passes on the rest', () => {
    const w = copyWorld(world, 'sums-line');
    const sums = path.join(w.exportDir, 'SHA256SUMS');
    editLines(sums, (ls) => ls.slice(1));
    expect(sh('sha256sum', ['-c', sums], { cwd: w.vaultDir }).status).toBe(0);
    const v = verifySh(w, w.exportDir);
    expect(v.out).toContain(
      'SHA256SUMS altered: it does not list exactly the SHA-256 of the signed acquisition entries (do not rely on sha256sum -c with it)',
    );
    expect(v.code).toBe(1);
    dropWorld(w);
  });
});
