import fs from 'node:fs';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { setup, type Fixture } from './fixture';
import { parseCheckpoint } from '../../../main/custody/checkpoint';
import { readHeadFile } from '../../../main/custody/head';
import { writeTransaction } from '../../../main/db/database';

// LedgerService.batch: many appends in one transaction, the heads checked before the first and one signed head
// at the end. What commits must be what appends one after another leave, and a batch must never sign a head
// for an entry that is not stored, nor extend a ledger whose heads show tampering.

let f: Fixture;
afterEach(() => f?.s.cleanup());

const note = (f: Fixture, purpose: string) =>
  f.s.custody.evidence.recordCustody(f.caseNumber, { evidenceId: null, action: 'note', purpose });
const headRow = (f: Fixture) =>
  f.s.core.db.prepare('SELECT seq, hash, checkpoint FROM custody_heads').get() as { seq: number; hash: string; checkpoint: string };
const headFile = (f: Fixture) => path.join(f.s.core.paths.vaultDir, f.caseNumber);

test('a batch leaves a chained, signed ledger whose heads (database and file) name its newest entry; verify says intact', async () => {
  f = setup();
  note(f, 'before the batch');
  f.s.custody.ledger.batch(f.caseNumber, () => {
    for (let i = 0; i < 5; i++) note(f, `in the batch ${i}`);
  });
  const entries = f.s.custody.ledger.list(f.caseNumber);
  expect(entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
  for (let i = 1; i < entries.length; i++) expect(entries[i]!.prev).toBe(entries[i - 1]!.hash);
  const head = headRow(f);
  const cp = parseCheckpoint(head.checkpoint);
  if (typeof cp === 'string') throw new Error(cp);
  expect([head.seq, head.hash, cp.seq, cp.hash, cp.at]).toEqual([6, entries[5]!.hash, 6, entries[5]!.hash, entries[5]!.at]);
  expect(cp.signer.fingerprint).toBe(f.me.fingerprint);
  const file = readHeadFile(headFile(f));
  expect(file.kind === 'signed' && file.checkpoints[0]!.seq).toBe(6);
  const v = await f.s.custody.verify.verify(f.caseNumber);
  expect(v.summary).toBe('intact: 6 entries, 0 files');
  // The ledger goes on as before after a batch.
  note(f, 'after the batch');
  expect(headRow(f).seq).toBe(7);
});

test('a batch checks the heads before its first append: over a deleted head file it records nothing', () => {
  f = setup();
  note(f, 'first');
  fs.rmSync(path.join(headFile(f), '.custody-head.json'));
  expect(() =>
    f.s.custody.ledger.batch(f.caseNumber, () => {
      note(f, 'a');
      note(f, 'b');
    }),
  ).toThrow(/Nothing was appended to the custody ledger/);
  expect(f.s.custody.ledger.list(f.caseNumber)).toHaveLength(1);
  expect(headRow(f).seq).toBe(1);
});

test('a batch that appends nothing checks nothing and writes nothing (a broken head does not fail it)', () => {
  f = setup();
  note(f, 'first');
  fs.rmSync(path.join(headFile(f), '.custody-head.json'));
  expect(f.s.custody.ledger.batch(f.caseNumber, () => 42)).toBe(42);
  expect(fs.existsSync(path.join(headFile(f), '.custody-head.json'))).toBe(false);
  expect(headRow(f).seq).toBe(1);
});

test('a batch that throws records nothing: entries and heads are as before', () => {
  f = setup();
  note(f, 'first');
  const before = headRow(f);
  expect(() =>
    f.s.custody.ledger.batch(f.caseNumber, () => {
      note(f, 'a');
      throw new Error('stop');
    }),
  ).toThrow('stop');
  expect(f.s.custody.ledger.list(f.caseNumber)).toHaveLength(1);
  expect(headRow(f)).toEqual(before);
});

test('an append rolled back inside the batch (a savepoint) is not the head: the head names the newest stored entry', async () => {
  f = setup();
  note(f, 'first');
  f.s.custody.ledger.batch(f.caseNumber, () => {
    note(f, 'kept');
    try {
      writeTransaction(f.s.core.db, () => {
        note(f, 'rolled back');
        throw new Error('undo');
      });
    } catch {
      // the savepoint rolled back: 'rolled back' is not in the ledger
    }
  });
  const entries = f.s.custody.ledger.list(f.caseNumber);
  expect(entries.map((e) => e.purpose)).toEqual(['first', 'kept']);
  expect(headRow(f)).toMatchObject({ seq: 2, hash: entries[1]!.hash });
  expect((await f.s.custody.verify.verify(f.caseNumber)).summary).toBe('intact: 2 entries, 0 files');
});

test('when every append of a batch rolled back, the head stays the one before it', async () => {
  f = setup();
  note(f, 'first');
  const before = headRow(f);
  f.s.custody.ledger.batch(f.caseNumber, () => {
    try {
      writeTransaction(f.s.core.db, () => {
        note(f, 'rolled back');
        throw new Error('undo');
      });
    } catch {
      // nothing of it is stored
    }
  });
  expect(headRow(f)).toEqual(before);
  expect((await f.s.custody.verify.verify(f.caseNumber)).summary).toBe('intact: 1 entries, 0 files');
});

test('the next transaction after a batch checks the heads again: a head file deleted after it is refused', () => {
  f = setup();
  f.s.custody.ledger.batch(f.caseNumber, () => {
    note(f, 'a');
    note(f, 'b');
  });
  fs.rmSync(path.join(headFile(f), '.custody-head.json'));
  expect(() => note(f, 'c')).toThrow(/Nothing was appended to the custody ledger/);
  expect(() => f.s.custody.ledger.batch(f.caseNumber, () => note(f, 'd'))).toThrow(/Nothing was appended/);
  expect(f.s.custody.ledger.list(f.caseNumber)).toHaveLength(2);
});
