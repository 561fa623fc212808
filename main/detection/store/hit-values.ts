import type { HitValues, RuleSet } from '../engine/rule-set';
import type { KnownValues } from './correlation-store';

/**
 * The field values an import's hits brought for the correlation rules (taken on the parse thread from the
 * record it had just parsed; see `RuleSet.correlationValues`) with their events' stored times, kept until
 * the import's correlations run so they need not read and parse those records, nor the event rows, again.
 * Values repeat a lot (principals, event names): each distinct string is kept once.
 */
export class HitValueStore implements KnownValues {
  /**
   * Per rule index: event ids (negated: a hit that came without values), their times, and their values
   * flattened (stride = that rule's field count).
   */
  private readonly byRule = new Map<number, { ids: number[]; ts: number[]; values: (string | null)[] }>();
  private readonly strings = new Map<string, string>();

  constructor(private readonly set: RuleSet) {}

  /**
   * Keeps a hit's values and time. A hit without them (matched on the main thread), or with values that do
   * not fit the rule's fields, is noted as such: its record is read back from the vault.
   */
  add(rule: number, eventId: number, values: HitValues | undefined, ts: number | undefined): void {
    const fields = this.set.correlationFields[rule];
    if (!fields) return;
    let entry = this.byRule.get(rule);
    if (!entry) this.byRule.set(rule, (entry = { ids: [], ts: [], values: [] }));
    if (!values || values.length !== fields.length || ts === undefined) {
      entry.ids.push(-eventId);
      return;
    }
    entry.ids.push(eventId);
    entry.ts.push(ts);
    for (const v of values) {
      if (v === null) entry.values.push(null);
      else {
        let s = this.strings.get(v);
        if (s === undefined) this.strings.set(v, (s = v));
        entry.values.push(s);
      }
    }
  }

  get(ruleId: string): ReturnType<KnownValues['get']> {
    const rule = this.set.rules.findIndex((r) => r.meta.id === ruleId);
    const entry = this.byRule.get(rule);
    const fields = this.set.correlationFields[rule];
    if (!entry || !fields) return undefined;
    const n = fields.length;
    const byEvent = new Map<number, { ts: number; values: readonly (string | null)[] }>();
    // A later hit for the same id wins: an id reused after a rolled-back batch carries its new record's values.
    let k = 0;
    for (const id of entry.ids) {
      if (id < 0) byEvent.delete(-id);
      else {
        byEvent.set(id, { ts: entry.ts[k]!, values: entry.values.slice(k * n, k * n + n) });
        k++;
      }
    }
    return { fields, byEvent };
  }
}
