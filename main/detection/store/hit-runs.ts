import type { Db } from '../../db/database';

/**
 * Hits are stored as runs (migration 16): one row per rule per transaction and block of event ids, the
 * rule's event ids as a JSON array. Writing a run costs one B-tree entry however many events it names;
 * reading goes through the `detection_hits` view, or the bounds and counts here.
 */

/** A run's ids lie in one block of this many ids (`id >> 12`; the schema checks it), so a lookup by event is a short range. */
export const RUN_BLOCK = 4096;

/** A hit to store: the rule's index in `refs` (the loaded rule set's order) and the event's id. */
export interface RunHit {
  rule: number;
  eventId: number;
}

/** A run whose first id a run of the same scan and rule already starts with is merged into it (ids once each). */
const INSERT_RUN = `INSERT INTO detection_hit_runs (scan_id, rule, first_event, last_event, n, events) VALUES (?, ?, ?, ?, ?, ?)
  ON CONFLICT (scan_id, rule, first_event) DO UPDATE SET
    events = (SELECT json_group_array(value) FROM (SELECT value FROM json_each(detection_hit_runs.events) UNION SELECT value FROM json_each(excluded.events) ORDER BY value)),
    n = (SELECT count(*) FROM (SELECT value FROM json_each(detection_hit_runs.events) UNION SELECT value FROM json_each(excluded.events))),
    last_event = max(detection_hit_runs.last_event, excluded.last_event)`;

/** The (rule, event) pairs a scan holds among events `lo`..`hi`: what a catch-up must not store twice. */
const PAIRS_IN_RANGE = `SELECT h.rule, j.value AS event_id FROM detection_hit_runs h, json_each(h.events) j
  WHERE h.scan_id = ? AND h.last_event >= ? AND h.first_event <= ? AND j.value BETWEEN ? AND ?`;

const ascending = (a: number, b: number) => a - b;

/** Stores ascending `ids` as one run per block they fall in (usually one: a file's events are consecutive). */
function writeBlocks(insert: { run(...p: (number | string)[]): unknown }, scanId: number, rule: number, ids: number[]): void {
  let from = 0;
  while (from < ids.length) {
    const block = Math.floor(ids[from]! / RUN_BLOCK);
    let to = from + 1;
    while (to < ids.length && Math.floor(ids[to]! / RUN_BLOCK) === block) to++;
    const part = from === 0 && to === ids.length ? ids : ids.slice(from, to);
    insert.run(scanId, rule, part[0]!, part[part.length - 1]!, part.length, JSON.stringify(part));
    from = to;
  }
}

/** Writes hits of one scan as runs, one per rule per call (call once per transaction). */
export class HitRunWriter {
  private readonly insert;
  private readonly pairs;
  /** Per rule index, the event ids of the hits being written (kept between calls: no allocation per call). */
  private readonly byRule: number[][] = [];

  constructor(
    db: Db,
    private readonly scanId: number,
    /** Stored rule ids (detection_rules.id) by the rule set's index. */
    private readonly refs: readonly number[],
  ) {
    this.insert = db.prepare(INSERT_RUN);
    this.pairs = db.prepare<[number, number, number, number, number], { rule: number; event_id: number }>(PAIRS_IN_RANGE);
  }

  /**
   * Stores `hits`. With `skipStored`, hits the scan already holds are left out (a catch-up over events an
   * import may have matched already); without it the caller guarantees every hit is new to the scan.
   */
  write(hits: readonly RunHit[], skipStored = false): void {
    if (hits.length === 0) return;
    const stored = skipStored ? this.storedPairs(hits) : null;
    const touched: number[] = [];
    for (const h of hits) {
      const ref = this.refs[h.rule];
      if (ref === undefined) throw new Error(`hit for rule index ${h.rule}, outside the loaded set of ${this.refs.length}`);
      if (stored?.has(`${ref}:${h.eventId}`)) continue;
      let ids = this.byRule[h.rule];
      if (!ids) ids = this.byRule[h.rule] = [];
      if (ids.length === 0) touched.push(h.rule);
      ids.push(h.eventId);
    }
    for (const rule of touched) {
      const ids = this.byRule[rule]!;
      let sorted = true;
      for (let i = 1; i < ids.length && sorted; i++) sorted = ids[i - 1]! < ids[i]!;
      if (!sorted) {
        ids.sort(ascending);
        let w = 1;
        for (let i = 1; i < ids.length; i++) if (ids[i] !== ids[w - 1]) ids[w++] = ids[i]!;
        ids.length = w;
      }
      writeBlocks(this.insert, this.scanId, this.refs[rule]!, ids);
      ids.length = 0;
    }
  }

  private storedPairs(hits: readonly RunHit[]): Set<string> {
    let lo = Infinity;
    let hi = -Infinity;
    for (const h of hits) {
      if (h.eventId < lo) lo = h.eventId;
      if (h.eventId > hi) hi = h.eventId;
    }
    return new Set(this.pairs.all(this.scanId, lo, hi, lo, hi).map((p) => `${p.rule}:${p.event_id}`));
  }
}

/**
 * Removes one import's events from every run that names them (the import is being rolled back; call
 * before its events are deleted, in the same transaction). Runs left empty are deleted.
 */
export function prepareHitPrune(db: Db): (importId: number) => void {
  const prune = db.prepare<{ imp: number }>(
    `UPDATE detection_hit_runs SET
       events = (SELECT json_group_array(j.value) FROM json_each(detection_hit_runs.events) j
                 WHERE j.value NOT IN (SELECT id FROM timeline_events WHERE import_id = @imp)),
       n = (SELECT count(*) FROM json_each(detection_hit_runs.events) j
            WHERE j.value NOT IN (SELECT id FROM timeline_events WHERE import_id = @imp))
     WHERE last_event >= (SELECT min(id) FROM timeline_events WHERE import_id = @imp)
       AND first_event <= (SELECT max(id) FROM timeline_events WHERE import_id = @imp)`,
  );
  const dropEmpty = db.prepare('DELETE FROM detection_hit_runs WHERE n = 0');
  return (importId) => {
    if (prune.run({ imp: importId }).changes > 0) dropEmpty.run();
  };
}

/**
 * Hands the hits of `fromScan` for events after `after` to `toScan` (a rescan swapped in: hits imports
 * wrote into the old scan while it ran). Runs wholly after move; a run that straddles `after` is split.
 */
export function moveHitsAfter(db: Db, fromScan: number, toScan: number, after: number): void {
  db.prepare('UPDATE detection_hit_runs SET scan_id = ? WHERE scan_id = ? AND first_event > ?').run(toScan, fromScan, after);
  const straddling = db
    .prepare<[number, number, number], { rule: number; events: string }>(
      'SELECT rule, events FROM detection_hit_runs WHERE scan_id = ? AND last_event > ? AND first_event <= ?',
    )
    .all(fromScan, after, after);
  const insert = db.prepare(INSERT_RUN);
  for (const r of straddling) {
    const ids = (JSON.parse(r.events) as number[]).filter((id) => id > after).sort(ascending);
    writeBlocks(insert, toScan, r.rule, ids);
  }
}
