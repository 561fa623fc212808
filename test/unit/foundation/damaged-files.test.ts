import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../../helpers/cli';
import { perTest } from '../../helpers/temp-dirs';
import { cloudTrailRecord } from '../../helpers/cloudtrail-record';

const { dir: tempDir } = perTest();

const record = (id: string) => cloudTrailRecord(id, 'mallory');

/** A data folder with an identity and a case holding two imported events. */
async function caseWithEvents(): Promise<{ dir: string; c: string }> {
  const dir = tempDir();
  expect((await cli(dir, 'identity', 'init', '--name', 'Ada Analyst', '--role', 'Responder')).code).toBe(0);
  const c = (await cli(dir, 'case', 'new', '--title', 'Damage')).out;
  const file = path.join(dir, 'ct.json');
  fs.writeFileSync(file, JSON.stringify({ Records: [record('e-1'), record('e-2')] }));
  expect((await cli(dir, 'import', c, file)).code).toBe(0);
  return { dir, c };
}

/**
 * The fault: files of the data folder damaged or replaced (a sync tool's conflict copy, a disk error, an attacker with
 * write access but no key). What Lariat can rebuild is rebuilt and said; what it cannot (a private key) is refused by
 * name and nothing is signed. Before, both ended as "unexpected error" (`file is not a database`, `DECODER routines`).
 */
describe('damaged files in the data folder', () => {
  it('a search index that is not a database is moved aside, said, and rebuilt: searches count as before', async () => {
    const { dir, c } = await caseWithEvents();
    expect((await cli(dir, 'timeline', c, '--search', 'mallory', '--count')).out).toBe('2');
    const index = path.join(dir, 'lariat-search.db');
    for (const suffix of ['-wal', '-shm']) fs.rmSync(index + suffix, { force: true });
    fs.writeFileSync(index, 'overwritten by something else');
    const r = await cli(dir, 'timeline', c, '--search', 'mallory', '--count');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toBe('2');
    const aside = fs.readdirSync(dir).filter((n) => n.startsWith('lariat-search.db.damaged-'));
    expect(aside).toHaveLength(1);
    expect(r.err).toContain(
      `warning: the search index ${index} could not be read (not a database); it was moved to ${path.join(dir, aside[0]!)}`,
    );
    // The damaged file is kept as it was, for whoever wants to look at it.
    expect(fs.readFileSync(path.join(dir, aside[0]!), 'utf8')).toBe('overwritten by something else');
    // Once rebuilt, the quick query path answers without a warning.
    const again = await cli(dir, 'timeline', c, '--search', 'mallory', '--count');
    expect(again).toEqual({ code: 0, out: '2', err: '' });
  });

  it('a private key file that is no key is refused by name, and nothing is signed', async () => {
    const { dir, c } = await caseWithEvents();
    const before = (await cli(dir, 'custody', 'log', c, '--json')).out;
    const keys = path.join(dir, 'keys');
    const pem = fs.readdirSync(keys).find((n) => n.endsWith('.pem'))!;
    fs.chmodSync(path.join(keys, pem), 0o600);
    fs.writeFileSync(path.join(keys, pem), 'garbage\n');
    const r = await cli(dir, 'custody', 'note', c, '--text', 'reviewed');
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      `error: The private key of Ada Analyst (${path.join(keys, pem)}) cannot be used: it is not a private key Lariat can read (damaged or replaced).`,
    );
    expect(r.err).toContain(`hint: Restore the key file from a backup (its public key has fingerprint ${pem.replace('.pem', '')})`);
    expect(r.err).not.toContain('unexpected');
    expect((await cli(dir, 'custody', 'log', c, '--json')).out).toBe(before);
  });
  /**
   * The attack: the case database deleted or truncated to nothing, beside a vault of evidence. Opened as before, a new
   * empty database was made: the next case took the old case's number and its evidence went into the old case's vault
   * folder. Refused by every command (also the quick query path), and nothing is created.
   */
  it.each(['empty', 'missing'] as const)('a case database %s beside a vault of cases is refused, and nothing is created', async (how) => {
    const { dir, c } = await caseWithEvents();
    const db = path.join(dir, 'lariat.db');
    for (const suffix of ['-wal', '-shm']) fs.rmSync(db + suffix, { force: true });
    if (how === 'empty') fs.writeFileSync(db, '');
    else fs.rmSync(db);
    const vault = fs.readdirSync(path.join(dir, 'vault', c));
    for (const argv of [
      ['case', 'list'],
      ['timeline', c],
      ['case', 'new', '--title', 'Next'],
    ]) {
      const r = await cli(dir, ...argv);
      expect(r.code, argv.join(' ')).toBe(1);
      expect(r.err).toContain(
        `error: The data folder ${dir} cannot be used: its case database ${db} is ${how}, but its vault holds the evidence of 1 case (${c}). The database was deleted, truncated or replaced; Lariat has not changed anything.`,
      );
      expect(r.err).toContain('hint: Restore lariat.db from a backup.');
    }
    expect(how === 'empty' ? fs.statSync(db).size : fs.existsSync(db)).toBe(how === 'empty' ? 0 : false);
    expect(fs.readdirSync(path.join(dir, 'vault', c))).toEqual(vault);
  });
  it("a case's vault folder replaced by a file: evidence add and import are refused by name, nothing is added", async () => {
    const { dir, c } = await caseWithEvents();
    const before = (await cli(dir, 'custody', 'log', c, '--json')).out;
    const folder = path.join(dir, 'vault', c);
    fs.rmSync(folder, { recursive: true, force: true });
    fs.writeFileSync(folder, 'x');
    const file = path.join(dir, 'more.json');
    fs.writeFileSync(file, JSON.stringify({ Records: [record('e-3')] }));
    for (const argv of [
      ['evidence', 'add', c, file],
      ['import', c, file],
    ]) {
      const r = await cli(dir, ...argv);
      expect(r.code, argv.join(' ')).toBe(1);
      expect(r.err).toContain(
        `error: The vault folder ${folder} is a file, not a folder (damaged or replaced); nothing was added to the case.`,
      );
      expect(r.err).toContain(`hint: Run \`lariat custody verify ${c}\``);
    }
    expect((await cli(dir, 'custody', 'log', c, '--json')).out).toBe(before);
    expect((await cli(dir, 'timeline', c, '--count')).out).toBe('2');
  });
});
