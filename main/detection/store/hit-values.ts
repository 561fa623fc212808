import type { HitValues, RuleSet } from '../engine/rule-set';
import type { CompactEvents, KnownValues } from './correlation-store';

/** A growable column of numbers in a typed array (no pointer, no boxed double per entry). */
class Column<T extends Float64Array | Uint32Array> {
  length = 0;
  constructor(
    public data: T,
    private readonly make: (n: number) => T,
  ) {}
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = this.make(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  view(): T {
    return this.data.subarray(0, this.length) as T;
  }
}

const f64 = (n: number) => new Float64Array(n);
const u32 = (n: number) => new Uint32Array(n);

interface RuleHits {
  /** Event ids in arrival order, negated for a hit that came without values. */
  ids: Column<Float64Array>;
  /** Per hit with values: its time, and its values as string numbers + 1 (0 = null), stride = the rule's field count. */
  ts: Column<Float64Array>;
  values: Column<Uint32Array>;
}

/**
 * The field values an import's hits brought for the correlation rules (taken on the parse thread from the
 * record it had just parsed; see `RuleSet.correlationValues`) with their events' stored times, kept until
 * the import's correlations run so they need not read and parse those records, nor the event rows, again.
 * Kept compactly for the whole import (about one hit per event at a million events): each distinct string
 * once in a dictionary, each hit as typed-array entries (id, time, one dictionary number per field).
 */
export class HitValueStore implements KnownValues {
  private readonly byRule = new Map<number, RuleHits>();
  private readonly strings: string[] = [];
  private readonly index = new Map<string, number>();

  constructor(private readonly set: RuleSet) {}

  /**
   * Keeps a hit's values and time. A hit without them (matched on the main thread), or with values that do
   * not fit the rule's fields, is noted as such: its record is read back from the vault.
   */
  add(rule: number, eventId: number, values: HitValues | undefined, ts: number | undefined): void {
    const fields = this.set.correlationFields[rule];
    if (!fields) return;
    let entry = this.byRule.get(rule);
    if (!entry)
      this.byRule.set(
        rule,
        (entry = { ids: new Column(f64(1024), f64), ts: new Column(f64(1024), f64), values: new Column(u32(1024), u32) }),
      );
    if (!values || values.length !== fields.length || ts === undefined) {
      entry.ids.push(-eventId);
      return;
    }
    entry.ids.push(eventId);
    entry.ts.push(ts);
    for (const v of values) {
      if (v === null) entry.values.push(0);
      else {
        let s = this.index.get(v);
        if (s === undefined) {
          this.index.set(v, (s = this.strings.length));
          this.strings.push(v);
        }
        entry.values.push(s + 1);
      }
    }
  }

  /**
   * A rule's kept hits, by event id ascending, one per event: a later hit for the same id wins (an id reused
   * after a rolled-back batch carries its new record's values), and one without values leaves the id out.
   */
  compact(ruleId: string): CompactEvents | undefined {
    const rule = this.set.rules.findIndex((r) => r.meta.id === ruleId);
    const entry = this.byRule.get(rule);
    const fields = this.set.correlationFields[rule];
    if (!entry || !fields) return undefined;
    const ids = entry.ids.view();
    let k = 0;
    let ordered = true;
    for (let i = 0; i < ids.length && ordered; i++) ordered = ids[i]! > 0 && (i === 0 || ids[i]! > ids[i - 1]!);
    // The usual case: every hit with values, ids rising (one import's inserts). Otherwise, resolve per id.
    let at: Uint32Array;
    if (ordered) at = Uint32Array.from({ length: ids.length }, (_, i) => i);
    else {
      const byEvent = new Map<number, number>();
      for (const id of ids) {
        if (id < 0) byEvent.delete(-id);
        else byEvent.set(id, k++);
      }
      const slots = [...byEvent.values()];
      const hitIds = new Float64Array(entry.ts.length);
      for (let i = 0, j = 0; i < ids.length; i++) if (ids[i]! > 0) hitIds[j++] = ids[i]!;
      at = Uint32Array.from(slots.sort((a, b) => hitIds[a]! - hitIds[b]!));
    }
    const positive = ordered ? ids : new Float64Array(entry.ts.length);
    if (!ordered) for (let i = 0, j = 0; i < ids.length; i++) if (ids[i]! > 0) positive[j++] = ids[i]!;
    return { fields, strings: this.strings, ids: positive, ts: entry.ts.view(), values: entry.values.view(), at };
  }

  get(ruleId: string): ReturnType<KnownValues['get']> {
    const c = this.compact(ruleId);
    if (!c) return undefined;
    const n = c.fields.length;
    const byEvent = new Map<number, { ts: number; values: readonly (string | null)[] }>();
    for (const k of c.at) {
      const values: (string | null)[] = [];
      for (let f = 0; f < n; f++) values.push(valueAt(c, k, f));
      byEvent.set(c.ids[k]!, { ts: c.ts[k]!, values });
    }
    return { fields: c.fields, byEvent };
  }
}

/** Field `f` of kept hit `k` (a slot of `CompactEvents.at`). */
export function valueAt(c: CompactEvents, k: number, f: number): string | null {
  const v = c.values[k * c.fields.length + f]!;
  return v === 0 ? null : c.strings[v - 1]!;
}
