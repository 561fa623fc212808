import type { Db } from '../../db/database';
import type { RuleMeta } from '../engine/types';

/**
 * The rule versions hits point to. A rule is recorded (once per id and file
 * hash) the first time it is used to match, so a hit shows the title, level,
 * author and tags of the rule that produced it even after the rule changes.
 */
export class RuleCatalog {
  private readonly insert;
  private readonly find;
  private readonly refs = new Map<string, number>();

  constructor(
    private readonly db: Db,
    private readonly now: () => string,
  ) {
    this.insert = db.prepare(
      `INSERT OR IGNORE INTO detection_rules (rule_id, sha256, name, kind, title, level, author, tags, techniques, description, falsepositives, refs, origin, path, first_used)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.find = db.prepare<[string, string], { id: number }>('SELECT id FROM detection_rules WHERE rule_id = ? AND sha256 = ?');
  }

  /** The row id of a rule version, recording it if new. */
  ref(m: RuleMeta): number {
    const key = `${m.id}\n${m.sha256}`;
    let id = this.refs.get(key);
    if (id === undefined) {
      this.insert.run(
        m.id,
        m.sha256,
        m.name,
        m.kind,
        m.title,
        m.level,
        m.author,
        JSON.stringify(m.tags),
        JSON.stringify(m.techniques),
        m.description,
        JSON.stringify(m.falsepositives),
        JSON.stringify(m.references),
        m.origin,
        m.path,
        this.now(),
      );
      id = this.find.get(m.id, m.sha256)!.id;
      this.refs.set(key, id);
    }
    return id;
  }

  /** Row ids for a list of rules, in the same order (one transaction). */
  refsFor(metas: readonly RuleMeta[]): number[] {
    return this.db.transaction(() => metas.map((m) => this.ref(m)))();
  }
}
