import { RAW_COLUMNS, RAW_JOIN, recordText, type RawLocation } from '../../timeline/raw-store';
import type { RawReader } from '../../timeline/raw-reader';
import type { Db } from '../../db/database';
import { correlate, type CorrelationEvent } from '../engine/correlate';
import type { RuleSet } from '../engine/rule-set';
import type { RuleMeta } from '../engine/types';
import type { RuleCatalog } from './rule-catalog';

/** Events fetched per statement while gathering a correlation's input. */
const CHUNK = 500;

/**
 * Runs a case's correlation rules over the hits of the rules they name
 * (every stored version of each) and replaces the scan's correlation
 * detections with the result, in one transaction.
 */
export function runCorrelations(db: Db, catalog: RuleCatalog, set: RuleSet, scanId: number, reader: RawReader): number {
  const metas = new Map<string, RuleMeta>(set.metas().map((m) => [m.id, m]));
  const hitIds = db.prepare<[number, string], { event_id: number }>(
    'SELECT h.event_id FROM detection_hits h JOIN detection_rules r ON r.id = h.rule WHERE h.scan_id = ? AND r.rule_id = ? ORDER BY h.event_id',
  );
  const cache = new Map<string, CorrelationEvent[]>();
  const eventsOf = (ruleId: string): CorrelationEvent[] => {
    let list = cache.get(ruleId);
    if (list) return list;
    const ids = [...new Set(hitIds.all(scanId, ruleId).map((r) => r.event_id))];
    list = [];
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
          list.push({ eventId: r.id, ts: r.ts, record: JSON.parse(raw) as unknown });
        } catch {
          // a raw record that is not JSON cannot be grouped; it matched nothing at import either
        }
      }
    }
    cache.set(ruleId, list);
    return list;
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
