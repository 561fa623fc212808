import { RAW_COLUMNS, RAW_JOIN, recordText, type RawLocation } from '../../timeline/raw-store';
import type { RawReader } from '../../timeline/raw-reader';
import type { Db } from '../../db/database';
import { correlate, type CompactEvents, type CorrelationEvent } from '../engine/correlate';

export type { CompactEvents };
import type { RuleSet } from '../engine/rule-set';
import type { RuleMeta } from '../engine/types';
import type { RuleCatalog } from './rule-catalog';

/** Events fetched per statement while gathering a correlation's input. */
const CHUNK = 500;

/**
 * Field values of hits kept by the import that produced them (rule id -> event id -> the event's stored time
 * and its values, in the order of `fields`): the correlations take them instead of reading those records, and
 * the event rows, back.
 */
export interface KnownValues {
  get(
    ruleId: string,
  ): { fields: readonly string[]; byEvent: ReadonlyMap<number, { ts: number; values: readonly (string | null)[] }> } | undefined;
  /** The same, without an object per event (what the import's store gives; preferred when present). */
  compact?(ruleId: string): CompactEvents | undefined;
}

/**
 * Runs a case's correlation rules over the hits of the rules they name
 * (every stored version of each) and replaces the scan's correlation
 * detections with the result, in one transaction. Hits whose values and
 * time `known` holds are taken from there; the records of the others are
 * read from the vault and parsed, as a rescan reads them all.
 */
export function runCorrelations(
  db: Db,
  catalog: RuleCatalog,
  set: RuleSet,
  scanId: number,
  reader: RawReader,
  known?: KnownValues,
): number {
  const metas = new Map<string, RuleMeta>(set.metas().map((m) => [m.id, m]));
  // The rule's stored versions first (IN), so the scan's primary key (scan_id, rule, event_id) is searched, not walked.
  const hitIds = db.prepare<[number, string], number>(
    `SELECT h.event_id FROM detection_hits h WHERE h.scan_id = ? AND h.rule IN (SELECT id FROM detection_rules WHERE rule_id = ?)
     ORDER BY h.event_id`,
  );
  const need = new Map(set.rules.map((r, i) => [r.meta.id, set.correlationFields[i] ?? []]));
  const cache = new Map<string, CorrelationEvent[] | CompactEvents>();
  const eventsOf = (ruleId: string): CorrelationEvent[] | CompactEvents => {
    let list = cache.get(ruleId);
    if (list) return list;
    list = compactEvents(ruleId) ?? objectEvents(ruleId);
    cache.set(ruleId, list);
    return list;
  };
  const covers = (fields: readonly string[], ruleId: string) => (need.get(ruleId) ?? []).every((f) => fields.includes(f));
  /**
   * When the import kept values for every hit of the rule (the usual case right after an import): the kept
   * arrays, narrowed to the scan's hits, with no object per event. Otherwise undefined (read as objects).
   */
  const compactEvents = (ruleId: string): CompactEvents | undefined => {
    const kept = known?.compact?.(ruleId);
    if (!kept || !covers(kept.fields, ruleId)) return undefined;
    const at: number[] = [];
    let j = 0;
    let last = -1;
    for (const id of hitIds.pluck().iterate(scanId, ruleId) as IterableIterator<number>) {
      if (id === last) continue; // the same event hit by two stored versions of the rule
      last = id;
      while (j < kept.at.length && kept.ids[kept.at[j]!]! < id) j++;
      if (j === kept.at.length || kept.ids[kept.at[j]!]! !== id) return undefined;
      at.push(kept.at[j]!);
    }
    return { ...kept, at: Uint32Array.from(at) };
  };
  const objectEvents = (ruleId: string): CorrelationEvent[] => {
    // Kept values serve only when they cover every field these correlations read; otherwise every record is read.
    const offered = known?.get(ruleId);
    const kept = offered && covers(offered.fields, ruleId) ? offered : undefined;
    const ids: number[] = [];
    const fast: CorrelationEvent[] = [];
    let last = -1;
    for (const id of hitIds.pluck().all(scanId, ruleId) as number[]) {
      if (id === last) continue; // the same event hit by two stored versions of the rule
      last = id;
      const k = kept?.byEvent.get(id);
      if (k) fast.push({ eventId: id, ts: k.ts, fields: kept!.fields, values: k.values });
      else ids.push(id);
    }
    const slow: CorrelationEvent[] = [];
    for (let i = 0; i < ids.length; i += CHUNK) {
      const part = ids.slice(i, i + CHUNK);
      const rows = db
        .prepare<number[], { id: number; ts: number } & RawLocation>(
          // eslint-disable-next-line no-restricted-syntax -- one ? per id: only placeholders and fixed fragments are interpolated
          `SELECT e.id, e.ts, ${RAW_COLUMNS} FROM timeline_events e ${RAW_JOIN} WHERE e.id IN (${part.map(() => '?').join(',')})`,
        )
        .all(...part);
      for (const r of rows) {
        const raw = recordText(r, reader);
        if (raw === null) continue;
        try {
          slow.push({ eventId: r.id, ts: r.ts, record: JSON.parse(raw) as unknown });
        } catch {
          // a raw record that is not JSON cannot be grouped; it matched nothing at import either
        }
      }
    }
    // In event id order whichever way each event was read, as the records alone would give them.
    return slow.length === 0 ? fast : [...fast, ...slow].sort((a, b) => a.eventId - b.eventId);
  };
  const hits = set.correlations.length ? correlate(set.correlations, metas, eventsOf) : [];
  const insert = db.prepare(
    'INSERT INTO detection_correlations (scan_id, rule, group_key, first_ts, last_ts, events) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const link = db.prepare('INSERT OR IGNORE INTO detection_correlation_events (correlation_id, event_id) VALUES (?, ?)');
  db.transaction(() => {
    db.prepare('DELETE FROM detection_correlations WHERE scan_id = ?').run(scanId);
    for (const h of hits) {
      const ref = catalog.ref(metas.get(h.ruleId)!);
      const id = Number(insert.run(scanId, ref, JSON.stringify(h.group), h.firstTs, h.lastTs, h.eventIds.length).lastInsertRowid);
      for (const e of h.eventIds) link.run(id, e);
    }
  })();
  return hits.length;
}
