// Group commits of staged vault copies (EvidenceService.commitStagedBatch), which bucket acquisition uses to
// record many objects in one transaction: the fault first (a failure inside the group's transaction), then
// the ledger's first entry (the head file must exist before later appends are checked against it).
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeServices, type TestServices } from '../../helpers/services';
import { ensureTestIdentity } from '../../helpers/identity';

let s: TestServices;
let caseNumber: string;
beforeEach(() => {
  s = makeServices();
  ensureTestIdentity(s);
  caseNumber = s.core.cases.create({ title: 'Batch', severity: 'high' }).number;
});
afterEach(() => s.cleanup());

async function stage(n: number) {
  const src = path.join(s.dataDir, `object-${n}.log`);
  fs.writeFileSync(src, `object ${n}\n`);
  return s.custody.vault.stageFile(caseNumber, src);
}

const vaultFiles = () => fs.readdirSync(path.join(s.core.paths.vaultDir, caseNumber)).filter((n) => n.includes('object-'));

describe('commitStagedBatch', () => {
  it('records a group in an empty ledger (its first entry alone, then the rest), every item with its custody entry, and verifies intact', async () => {
    const staged = await Promise.all([1, 2, 3, 4].map(stage));
    const seen: number[] = [];
    const out = s.custody.vault.commitStagedBatch(
      caseNumber,
      staged.map((st) => ({ staged: st, meta: { kind: 'log-export', description: st.source, action: 'acquired' } })),
      (summaries, offset) => seen.push(offset, summaries.length),
    );
    expect(out.map((e) => e.duplicate)).toEqual([false, false, false, false]);
    expect(seen).toEqual([0, 1, 1, 3]);
    expect(s.custody.vault.list(caseNumber)).toHaveLength(4);
    expect(s.custody.ledger.list(caseNumber).filter((e) => e.action === 'acquired')).toHaveLength(4);
    expect(vaultFiles()).toHaveLength(4);
    expect((await s.custody.verify.verify(caseNumber)).intact).toBe(true);
  });

  it('records the same bytes twice in one group as one item: the second copy is a duplicate and leaves no file in the vault', async () => {
    const first = await stage(0);
    s.custody.vault.commitStagedBatch(caseNumber, [{ staged: first, meta: { description: 'first', action: 'imported' } }]);
    // The same content under two names and under one name in two folders, all in one group.
    const twin = async (name: string) => {
      const dir = fs.mkdtempSync(path.join(s.dataDir, 'src-'));
      const src = path.join(dir, name);
      fs.writeFileSync(src, 'the same object\n');
      return s.custody.vault.stageFile(caseNumber, src);
    };
    const staged = [await twin('object-a.log'), await twin('object-b.log'), await twin('object-a.log')];
    const out = s.custody.vault.commitStagedBatch(
      caseNumber,
      staged.map((st) => ({ staged: st, meta: { description: st.source, action: 'imported' as const } })),
    );
    expect(out.map((e) => e.duplicate)).toEqual([false, true, true]);
    expect(new Set(out.map((e) => e.id)).size).toBe(1);
    expect(s.custody.vault.list(caseNumber)).toHaveLength(2);
    expect(
      vaultFiles()
        .map((n) => n.replace(/^[0-9a-f]{16}-/, ''))
        .sort(),
    ).toEqual(['object-0.log', 'object-a.log']);
    for (const st of staged) expect(fs.existsSync(st.tempPath)).toBe(false);
    expect((await s.custody.verify.verify(caseNumber)).intact).toBe(true);
  });

  it('records nothing of a group whose transaction fails: no item, no custody entry, no vault file; the ledger stays intact', async () => {
    const first = await stage(0);
    s.custody.vault.commitStagedBatch(caseNumber, [{ staged: first, meta: { description: 'first', action: 'acquired' } }]);
    const entries = s.custody.ledger.list(caseNumber).length;
    const staged = await Promise.all([1, 2, 3].map(stage));
    expect(() =>
      s.custody.vault.commitStagedBatch(
        caseNumber,
        staged.map((st) => ({ staged: st, meta: { description: st.source, action: 'acquired' as const } })),
        () => {
          throw new Error('disk full while marking the objects done');
        },
      ),
    ).toThrow('disk full');
    expect(s.custody.vault.list(caseNumber)).toHaveLength(1);
    expect(s.custody.ledger.list(caseNumber)).toHaveLength(entries);
    expect(vaultFiles()).toHaveLength(1);
    expect((await s.custody.verify.verify(caseNumber)).intact).toBe(true);
  });
});
