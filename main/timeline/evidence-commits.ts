import type { StagedEvidence } from '../custody/api';
import type { Evidence } from './import-evidence';

/** Files recorded per transaction at most (the vault copies ~12 MiB ahead of the writer: about ten delivery files). */
const MAX_GROUP = 64;

/**
 * The import's evidence items, recorded in file order when the writer first needs one: that file and
 * every following file already copied into the vault, in one transaction (one fsync of the database,
 * one of the vault folder) instead of one each. Why: a commit per file held the main thread ~7 ms, most
 * of it waiting for those two fsyncs (a thousand delivery files: ~1,000 pairs; now ~100). A file is
 * recorded only once the writer reaches it, so a cancelled import leaves no item for a file it never read.
 */
export class EvidenceCommits {
  private readonly staged: Promise<StagedEvidence>[] = [];
  private readonly ready = new Map<number, StagedEvidence>();
  private readonly done: Evidence[] = [];

  constructor(private readonly commitMany: (copies: StagedEvidence[]) => Evidence[]) {}

  /** Files whose copy was started (they are added in order, from 0). */
  get started(): number {
    return this.staged.length;
  }

  /** File j's copy into the vault, as it was started. */
  add(j: number, copy: Promise<StagedEvidence>): void {
    this.staged[j] = copy;
    copy.then(
      (c) => this.ready.set(j, c),
      () => undefined,
    );
  }

  /**
   * File i's evidence item, recorded now (with the files after it already copied) unless it was with an
   * earlier file's. Files are taken in order: evidence ids follow the files. Rejects when its copy failed.
   */
  async take(i: number): Promise<Evidence> {
    const copy = await this.staged[i]!;
    const have = this.done[i];
    if (have) return have;
    if (i > 0 && this.done[i - 1] === undefined) throw new Error(`evidence of file ${i} taken before file ${i - 1}'s`);
    this.ready.set(i, copy);
    const copies: StagedEvidence[] = [];
    for (let k = i; copies.length < MAX_GROUP && this.ready.has(k); k++) copies.push(this.ready.get(k)!);
    const items = this.commitMany(copies);
    items.forEach((e, n) => {
      this.done[i + n] = e;
      this.ready.delete(i + n);
    });
    return items[0]!;
  }

  /** True once file j is recorded: its copy is then the vault's, no longer the import's to discard. */
  committed(j: number): boolean {
    return this.done[j] !== undefined;
  }
}
