// EvidenceCommits: the import's evidence items recorded in file order, several files per transaction when
// their vault copies are ready. The faults first: a copy that failed, a file taken out of order.
import { describe, expect, it } from 'vitest';
import type { StagedEvidence } from '../../../main/custody/api';
import { EvidenceCommits } from '../../../main/timeline/evidence-commits';
import type { Evidence } from '../../../main/timeline/import-evidence';

const copy = (n: number): StagedEvidence => ({
  source: `/logs/file-${n}.json`,
  tempPath: `/vault/.part-${n}`,
  size: n,
  hashes: { md5: '', sha1: '', sha256: String(n).repeat(64).slice(0, 64) },
});

/** A recorder standing in for the vault: every call is one transaction; ids follow the order of recording. */
function recorder() {
  const calls: string[][] = [];
  let next = 1;
  const commitMany = (copies: StagedEvidence[]): Evidence[] => {
    calls.push(copies.map((c) => c.source));
    return copies.map((c) => ({ evidenceId: next++, sha256: c.hashes.sha256, vaultPath: c.tempPath }));
  };
  return { calls, commitMany };
}

function deferred() {
  let resolve!: (c: StagedEvidence) => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<StagedEvidence>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

describe('EvidenceCommits', () => {
  it('rejects a file whose copy failed, records nothing for it, and nothing after it is taken out of order', async () => {
    const r = recorder();
    const commits = new EvidenceCommits(r.commitMany);
    const failed = deferred();
    commits.add(0, failed.promise);
    commits.add(1, Promise.resolve(copy(1)));
    failed.reject(new Error('disk full while copying file-0'));
    await expect(commits.take(0)).rejects.toThrow('disk full');
    expect(commits.committed(0)).toBe(false);
    // File 1 cannot be recorded before file 0: its evidence id would come first.
    await expect(commits.take(1)).rejects.toThrow("taken before file 0's");
    expect(r.calls).toEqual([]);
  });

  it('records the file asked for with every following file already copied, in one transaction, in file order', async () => {
    const r = recorder();
    const commits = new EvidenceCommits(r.commitMany);
    const late = deferred();
    commits.add(0, Promise.resolve(copy(0)));
    commits.add(1, Promise.resolve(copy(1)));
    commits.add(2, late.promise);
    commits.add(3, Promise.resolve(copy(3)));
    await Promise.resolve();
    const first = await commits.take(0);
    // 2 is still being copied: 0 and 1 together, and 3 waits for 2 (ids follow the files).
    expect(r.calls).toEqual([['/logs/file-0.json', '/logs/file-1.json']]);
    expect(first.evidenceId).toBe(1);
    expect((await commits.take(1)).evidenceId).toBe(2);
    expect(r.calls).toHaveLength(1);
    expect(commits.committed(2)).toBe(false);
    late.resolve(copy(2));
    expect((await commits.take(2)).evidenceId).toBe(3);
    expect((await commits.take(3)).evidenceId).toBe(4);
    expect(r.calls).toEqual([
      ['/logs/file-0.json', '/logs/file-1.json'],
      ['/logs/file-2.json', '/logs/file-3.json'],
    ]);
    expect([0, 1, 2, 3].map((j) => commits.committed(j))).toEqual([true, true, true, true]);
  });

  it('records nothing when the transaction fails, so the copies stay the import to discard', async () => {
    const commits = new EvidenceCommits(() => {
      throw new Error('database is locked');
    });
    commits.add(0, Promise.resolve(copy(0)));
    commits.add(1, Promise.resolve(copy(1)));
    await expect(commits.take(0)).rejects.toThrow('database is locked');
    expect(commits.committed(0)).toBe(false);
    expect(commits.committed(1)).toBe(false);
  });
});
