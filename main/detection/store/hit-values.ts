import type { HitValues, RuleSet } from '../engine/rule-set';
import type { KnownValues } from './correlation-store';

/**
 * The field values an import's hits brought for the correlation rules (taken on the parse thread from the
 * record it had just parsed; see `RuleSet.correlationValues`), kept until the import's correlations run so
 * they need not read and parse those records again from the vault. Values repeat a lot (principals, event
 * names): each distinct string is kept once.
 */
export class HitValueStore implements KnownValues {
  /** Per rule index: event ids (negated: a hit that came without values), and their values flattened (stride = that rule's field count). */
  private readonly byRule = new Map<number, { ids: number[]; values: (string | null)[] }>();
  private readonly strings = new Map<string, string>();

  constructor(private readonly set: RuleSet) {}

  /**
   * Keeps a hit's values. A hit without values (matched on the main thread), or with values that do not fit
   * the rule's fields, is noted as such: its record is read back from the vault.
   */
  add(rule: number, eventId: number, values: HitValues | undefined): void {
    const fields = this.set.correlationFields[rule];
    if (!fields) return;
    let entry = this.byRule.get(rule);
    if (!entry) this.byRule.set(rule, (entry = { ids: [], values: [] }));
    if (!values || values.length !== fields.length) {
      entry.ids.push(-eventId);
      return;
    }
    entry.ids.push(eventId);
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
    const byEvent = new Map<number, readonly (string | null)[]>();
    // A later hit for the same id wins: an id reused after a rolled-back batch carries its new record's values.
    let at = 0;
    for (const id of entry.ids) {
      if (id < 0) byEvent.delete(-id);
      else {
        byEvent.set(id, entry.values.slice(at, at + n));
        at += n;
      }
    }
    return { fields, byEvent };
  }
}
