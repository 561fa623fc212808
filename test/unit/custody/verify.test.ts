import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { setup, sqlite, type Fixture } from './fixture';
import { makeServices, type TestServices } from '../../helpers/services';
import { runCli } from '../../../main/cli/main';
import type { EvidenceSummary } from '../../../main/custody/api';

let f: Fixture;
let reopened: TestServices | undefined;
let items: EvidenceSummary[];

/** A case with two files, a note on one, and a case-level note: entries 1..4. */
beforeEach(async () => {
  f = setup();
  const { s, caseNumber } = f;
  items = [
    await s.custody.evidence.importFile(caseNumber, f.file('auth.log', 'Nov 27 10:00 sshd accepted\n'), {}),
    await s.custody.evidence.importFile(caseNumber, f.file('mem.lime', crypto.randomBytes(200_000)), { kind: 'memory-image' }),
  ];
  s.custody.evidence.recordCustody(caseNumber, { evidenceId: items[0]!.id, action: 'accessed', purpose: 'parse for timeline' });
  s.custody.actions.note({ caseNumber, evidenceId: null, note: 'handover at end of shift' });
  s.close();
});
afterEach(() => {
  reopened?.close();
  reopened = undefined;
  f.s.cleanup();
});

const verify = async () => {
  reopened = makeServices({ dataDir: f.s.dataDir });
  return reopened.custody.verify.verify(f.caseNumber);
};
const vaultFile = (i: number) => path.join(f.s.core.paths.vaultDir, items[i]!.vaultPath!);
const dbFile = () => f.s.core.paths.dbFile;

test('an untouched case is intact', async () => {
  const r = await verify();
  expect(r).toMatchObject({ intact: true, entries: 4, files: 2, summary: 'intact: 4 entries, 2 files', problems: [], strayFiles: [] });
});

test('a vault file edited afterwards is named', async () => {
  fs.chmodSync(vaultFile(1), 0o644);
  // Flip every bit of one byte: writing a fixed value would change nothing when the random content already holds it.
  const fd = fs.openSync(vaultFile(1), 'r+');
  const b = Buffer.alloc(1);
  fs.readSync(fd, b, 0, 1, 1000);
  fs.writeSync(fd, Buffer.from([b[0]! ^ 0xff]), 0, 1, 1000);
  fs.closeSync(fd);
  const r = await verify();
  expect(r.intact).toBe(false);
  expect(r.problems).toHaveLength(1);
  expect(r.problems[0]).toMatchObject({ kind: 'file-changed', evidenceId: items[1]!.id, file: items[1]!.vaultPath });
  expect(r.summary).toBe(`broken: ${r.problems[0]!.message}`);
  expect(r.summary).toContain(`file changed: ${items[1]!.vaultPath} (evidence item ${items[1]!.id})`);
});

test('a deleted vault file is named', async () => {
  fs.rmSync(vaultFile(0));
  const r = await verify();
  expect(r.problems).toEqual([expect.objectContaining({ kind: 'file-missing', evidenceId: items[0]!.id, file: items[0]!.vaultPath })]);
  expect(r.summary).toBe(`broken: file missing: ${items[0]!.vaultPath} (evidence item ${items[0]!.id})`);
});

test('a ledger row altered with the sqlite3 tool (trigger dropped) is named by its sequence number', async () => {
  sqlite(
    dbFile(),
    "DROP TRIGGER custody_no_update; UPDATE custody_entries SET body = replace(body, 'parse for timeline', 'nothing to see') WHERE seq = 3;",
  );
  const r = await verify();
  expect(r.problems[0]).toMatchObject({ kind: 'hash-mismatch', seq: 3 });
  expect(r.summary).toMatch(/^broken: entry 3: hash mismatch/);
});

test('an altered row whose hash was recomputed fails its signature and breaks the chain', async () => {
  const body = sqlite(dbFile(), 'SELECT body FROM custody_entries WHERE seq = 2').trimEnd();
  const forged = body.replace('"action":"imported"', '"action":"acquired"');
  const hash = crypto.createHash('sha256').update(forged).digest('hex');
  sqlite(
    dbFile(),
    `DROP TRIGGER custody_no_update; UPDATE custody_entries SET body = '${forged.replace(/'/g, "''")}', action = 'acquired', hash = '${hash}' WHERE seq = 2;`,
  );
  const r = await verify();
  expect(r.problems.map((p) => [p.kind, p.seq])).toEqual([
    ['signature-invalid', 2],
    ['chain-broken', 3],
  ]);
  expect(r.summary).toMatch(/^broken: entry 2: signature invalid/);
});

test('a row whose signed content was replaced by JSON nested past the stack is named as altered', async () => {
  // The attacker has the data folder, so the table's CHECK is theirs to lift. Verifying overflowed the
  // canonicalizer's stack: the check meant to name the forgery failed as an unexpected error.
  const deep = `{"seq":3,"details":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
  const sqlFile = path.join(path.dirname(dbFile()), 'forge.sql');
  fs.writeFileSync(
    sqlFile,
    `PRAGMA ignore_check_constraints = ON; DROP TRIGGER custody_no_update; UPDATE custody_entries SET body = '${deep}' WHERE seq = 3;`,
  );
  sqlite(dbFile(), `.read ${sqlFile}`);
  const r = await verify();
  expect(r.intact).toBe(false);
  expect(r.problems[0]).toMatchObject({ kind: 'row-altered', seq: 3 });
  expect(r.summary).toBe('broken: entry 3: row altered (its signed content is not in canonical form)');
});

test('a column changed without touching the signed content is named', async () => {
  sqlite(dbFile(), "DROP TRIGGER custody_no_update; UPDATE custody_entries SET action = 'disposed' WHERE seq = 4;");
  const r = await verify();
  expect(r.problems).toEqual([expect.objectContaining({ kind: 'row-altered', seq: 4 })]);
  expect(r.summary).toBe('broken: entry 4: row altered (column action differs from the signed entry)');
});

test('a deleted entry leaves a gap in the sequence', async () => {
  sqlite(dbFile(), 'DROP TRIGGER custody_no_delete; DELETE FROM custody_entries WHERE seq = 2;');
  const r = await verify();
  expect(r.problems[0]).toMatchObject({ kind: 'sequence-gap', seq: 3 });
  expect(r.summary).toBe('broken: gap in sequence: entry 2 is missing (entry 1 is followed by 3)');
});

test('losing the newest entries (truncated ledger) is detected from both signed heads', async () => {
  sqlite(dbFile(), 'DROP TRIGGER custody_no_delete; DELETE FROM custody_entries WHERE seq = 4;');
  const r = await verify();
  expect(r.problems).toEqual([
    expect.objectContaining({ kind: 'ledger-truncated', seq: 4 }),
    expect.objectContaining({ kind: 'ledger-truncated', seq: 4 }),
  ]);
  expect(r.summary).toMatch(
    /^broken: ledger truncated: it ends at entry 3, but its signed head names entry 4 \([0-9a-f]{12}…, signed by Test Investigator at /,
  );
  expect(r.problems[1]!.message).toMatch(
    /^ledger truncated: it ends at entry 3, but the signed head kept in the vault's \.custody-head\.json names entry 4 /,
  );
});

test('an evidence hash changed in the register (trigger dropped) is named', async () => {
  sqlite(dbFile(), `DROP TRIGGER evidence_facts_frozen; UPDATE evidence SET sha256 = '${'0'.repeat(64)}' WHERE id = ${items[1]!.id};`);
  const r = await verify();
  expect(r.problems[0]).toMatchObject({ kind: 'row-altered', evidenceId: items[1]!.id });
  expect(r.summary).toContain(`evidence item ${items[1]!.id}: register row altered`);
  // The file itself still matches the signed hash.
  expect(r.problems.some((p) => p.kind === 'file-changed')).toBe(false);
});

test('a swapped public key makes every signature by that investigator unverifiable', async () => {
  const other = makeServices();
  const mallory = other.custody.identity.create({ name: 'Mallory' });
  other.cleanup();
  sqlite(
    dbFile(),
    `DROP TRIGGER investigators_key_frozen; UPDATE investigators SET public_key_pem = '${mallory.publicKeyPem}' WHERE is_current = 1;`,
  );
  const r = await verify();
  expect(r.problems[0]).toMatchObject({ kind: 'unknown-key', seq: 1 });
});

test('a truncated database file is refused by `lariat custody verify` with a message naming it', async () => {
  const io = {
    lines: [] as string[],
    out(t: string) {
      this.lines.push(t);
    },
    err(t: string) {
      this.lines.push(t);
    },
  };
  const env = { LARIAT_DATA_DIR: f.s.dataDir };
  expect(await runCli(['custody', 'verify', f.caseNumber], { io, env })).toBe(0);
  expect(io.lines.join('\n')).toContain('intact: 4 entries, 2 files');
  const size = fs.statSync(dbFile()).size;
  fs.truncateSync(dbFile(), Math.floor(size / 2));
  io.lines = [];
  expect(await runCli(['custody', 'verify', f.caseNumber], { io, env })).toBe(1);
  expect(io.lines.join('\n')).toMatch(
    new RegExp(
      `error: The case database at ${dbFile().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} (cannot be read|failed SQLite's integrity check)`,
    ),
  );
});

test('verification by the CLI records a hash-verified entry and exits 1 when broken', async () => {
  const io = {
    lines: [] as string[],
    out(t: string) {
      this.lines.push(t);
    },
    err(t: string) {
      this.lines.push(t);
    },
  };
  const env = { LARIAT_DATA_DIR: f.s.dataDir };
  expect(await runCli(['custody', 'verify', f.caseNumber], { io, env })).toBe(0);
  reopened = makeServices({ dataDir: f.s.dataDir });
  expect(reopened.custody.ledger.list(f.caseNumber).at(-1)).toMatchObject({
    seq: 5,
    action: 'hash-verified',
    details: { result: 'intact: 4 entries, 2 files' },
  });
  reopened.close();
  reopened = undefined;
  fs.rmSync(vaultFile(1));
  io.lines = [];
  expect(await runCli(['custody', 'verify', f.caseNumber], { io, env })).toBe(1);
  expect(io.lines[0]).toBe(`broken: file missing: ${items[1]!.vaultPath} (evidence item ${items[1]!.id})`);
});
