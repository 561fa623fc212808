// A process killed (SIGKILL: power loss, kill -9) while it records a group of evidence files: after the copies
// were renamed into the vault, inside the transaction that records them, before it commits. The fault: the
// vault then holds named files no item or custody entry names. What must hold: nothing is recorded for work
// that did not complete (no item, no entry, the ledger intact), the files are reported as not evidence (never
// counted or verified as evidence), and importing the same files again records them normally.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, test } from 'vitest';
import { setup, type Fixture } from './fixture';
import { makeServices } from '../../helpers/services';

let f: Fixture;
afterEach(() => f?.s.cleanup());

const child = path.join(path.dirname(fileURLToPath(import.meta.url)), 'group-kill-child.ts');

test('a kill between a group’s renames into the vault and its commit records nothing, and the files are reported, not counted', async () => {
  f = setup();
  const { s, caseNumber } = f;
  // The ledger has its head already, so the group below is committed as one transaction.
  const first = await s.custody.evidence.importFile(caseNumber, f.file('first.log', 'first\n'), {});
  const files = [1, 2, 3].map((n) => f.file(`delivery-${n}.json`, `{"Records":[${n}]}\n`));
  const entriesBefore = s.custody.ledger.list(caseNumber).length;
  s.close();

  const r = spawnSync(process.execPath, ['--import', 'tsx', child, s.dataDir, caseNumber, ...files], { encoding: 'utf8' });
  expect(r.signal, r.stderr).toBe('SIGKILL');
  expect(r.stdout).toBe('inside\n');
  const vaultCaseDir = path.join(s.core.paths.vaultDir, caseNumber);
  const placed = fs.readdirSync(vaultCaseDir).filter((n) => /^[0-9a-f]{16}-delivery-\d\.json$/.test(n));
  expect(placed).toHaveLength(3);

  const again = makeServices({ dataDir: s.dataDir });
  try {
    // Nothing recorded: the register and the ledger are as before the group, and they verify intact.
    expect(again.custody.vault.list(caseNumber).map((i) => i.id)).toEqual([first.id]);
    expect(again.custody.ledger.list(caseNumber)).toHaveLength(entriesBefore);
    const v = await again.custody.verify.verify(caseNumber);
    expect(v.problems).toEqual([]);
    expect(v.intact).toBe(true);
    expect(v.files).toBe(1);
    // The placed copies are named as what they are: files in the vault folder that are not evidence.
    expect(v.strayFiles).toEqual(placed.map((n) => `${caseNumber}/${n}`).sort());

    // The same files imported again are recorded, each with its entry, and nothing is left over.
    for (const file of files) expect((await again.custody.evidence.importFile(caseNumber, file, {})).duplicate).toBe(false);
    const after = await again.custody.verify.verify(caseNumber);
    expect(after.intact).toBe(true);
    expect(after.files).toBe(4);
    expect(after.strayFiles).toEqual([]);
    expect(again.custody.ledger.list(caseNumber).filter((e) => e.action === 'imported')).toHaveLength(4);
  } finally {
    again.close();
  }
}, 60_000);
