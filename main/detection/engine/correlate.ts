import { meets, type CorrelationDef } from './correlation-def';
import { fieldValues, valueText } from './fields';
import type { ParsedCorrelationRule } from './rule-parse';
import type { RuleLoadError, RuleMeta } from './types';

/** A correlation rule whose references are resolved, ready to run in order (referenced correlations first). */
export interface ResolvedCorrelation {
  meta: RuleMeta;
  def: CorrelationDef;
  /** For each entry of `def.rules`: the id of the rule it names. */
  refs: string[];
}

/**
 * One event of a referenced detection rule: its record, or the values of the fields correlations read
 * (`values[i]` is field `fields[i]`; kept at import where the record was parsed anyway, see
 * `correlationFields`). A field listed in `fields` is taken from `values`; any other is read from `record`.
 */
export interface CorrelationEvent {
  eventId: number;
  ts: number;
  record?: unknown;
  fields?: readonly string[];
  values?: readonly (string | null)[];
}

/** A correlation that fired: the group it fired for, its time span and the events it links. */
export interface CorrelationHit {
  ruleId: string;
  group: Record<string, string | null>;
  firstTs: number;
  lastTs: number;
  eventIds: number[];
}

interface Item {
  ts: number;
  firstTs: number;
  eventIds: number[];
  /** Which referenced rule (index into def.rules) it came from. */
  ref: number;
  /** value_count: the value counted (null when absent, and for other types). */
  count: string | null;
}

/** A field of a detection rule's event: from the values kept at import when it is among them, else from the record. */
function eventValue(e: CorrelationEvent, f: string): string | null {
  const i = e.fields && e.values ? e.fields.indexOf(f) : -1;
  return i >= 0 ? (e.values![i] ?? null) : firstValue(e.record, f);
}

/**
 * Resolves each correlation's `rules` (by Sigma `name` or `id`) against the
 * loaded rules and orders them so a correlation runs after those it refers
 * to. A dangling reference or a cycle makes that correlation a load error.
 */
export function resolveCorrelations(
  correlations: ParsedCorrelationRule[],
  detections: RuleMeta[],
): { ordered: ResolvedCorrelation[]; errors: RuleLoadError[] } {
  const key = new Map<string, RuleMeta>();
  for (const m of [...detections, ...correlations.map((c) => c.meta)]) {
    key.set(m.id, m);
    if (m.name) key.set(m.name, m);
  }
  const errors: RuleLoadError[] = [];
  const byId = new Map(correlations.map((c) => [c.meta.id, c]));
  const state = new Map<string, 'visiting' | 'done' | 'bad'>();
  const ordered: ResolvedCorrelation[] = [];
  const visit = (c: ParsedCorrelationRule): boolean => {
    const s = state.get(c.meta.id);
    if (s === 'done') return true;
    if (s === 'bad') return false;
    const fail = (error: string) => {
      state.set(c.meta.id, 'bad');
      errors.push({ path: c.meta.path, origin: c.meta.origin, id: c.meta.id, title: c.meta.title, error });
      return false;
    };
    if (s === 'visiting') return fail('correlation rules refer to each other in a cycle');
    state.set(c.meta.id, 'visiting');
    const refs: string[] = [];
    for (const r of c.correlation.rules) {
      const target = key.get(r);
      if (!target) return fail(`correlation.rules names "${r}", which is not a loaded rule (missing, disabled or not loaded)`);
      if (target.kind === 'correlation' && !visit(byId.get(target.id)!))
        return state.get(c.meta.id) === 'bad' ? false : fail(`correlation.rules names "${r}", which is not loaded`);
      refs.push(target.id);
    }
    state.set(c.meta.id, 'done');
    ordered.push({ meta: c.meta, def: c.correlation, refs });
    return true;
  };
  for (const c of correlations) visit(c);
  return { ordered, errors };
}

/** The first non-null value of `field` in a record, as text (null when none): what correlations group and count by. */
export function firstValue(record: unknown, field: string): string | null {
  const v = fieldValues(record, field).find((x) => x !== null && x !== undefined);
  return v === undefined ? null : valueText(v);
}

/** The field a group-by (or value_count) name means for events of one referenced rule, through aliases. */
function fieldFor(def: CorrelationDef, field: string, refName: string, refId: string, refMeta: RuleMeta | undefined): string {
  const alias = def.aliases[field];
  if (!alias) return field;
  return alias[refName] ?? alias[refId] ?? (refMeta?.name ? alias[refMeta.name] : undefined) ?? field;
}

function emit(ruleId: string, group: Record<string, string | null>, items: Item[]): CorrelationHit {
  const ids = new Set<number>();
  for (const it of items) for (const id of it.eventIds) ids.add(id);
  return {
    ruleId,
    group,
    firstTs: Math.min(...items.map((i) => i.firstTs)),
    lastTs: Math.max(...items.map((i) => i.ts)),
    eventIds: [...ids].sort((a, b) => a - b),
  };
}

function windows(def: CorrelationDef, items: Item[], valueOf: (it: Item) => string | null): Item[][] {
  const span = def.timespanMs;
  const out: Item[][] = [];
  const n = items.length;
  if (def.type === 'event_count' || def.type === 'value_count') {
    for (let i = 0; i < n;) {
      let j = i;
      while (j + 1 < n && items[j + 1]!.ts - items[i]!.firstTs <= span) j++;
      const win = items.slice(i, j + 1);
      const count =
        def.type === 'event_count'
          ? win.reduce((k, it) => k + it.eventIds.length, 0)
          : new Set(win.map(valueOf).filter((v) => v !== null)).size;
      if (meets(def.condition!, count)) {
        out.push(win);
        i = j + 1;
      } else i++;
    }
    return out;
  }
  const need = def.rules.length;
  if (def.type === 'temporal') {
    let l = 0;
    const counts = new Array<number>(need).fill(0);
    let covered = 0;
    for (let r = 0; r < n; r++) {
      if (counts[items[r]!.ref]!++ === 0) covered++;
      while (l <= r && items[r]!.ts - items[l]!.firstTs > span) if (--counts[items[l++]!.ref]! === 0) covered--;
      if (covered === need) {
        out.push(items.slice(l, r + 1));
        counts.fill(0);
        covered = 0;
        l = r + 1;
      }
    }
    return out;
  }
  // temporal_ordered: rule 1's item, then rule 2's at or after it, ... all within the span of the first.
  let from = 0;
  for (let s = 0; s < n; s++) {
    if (s < from || items[s]!.ref !== 0) continue;
    const chain = [items[s]!];
    let at = s;
    for (let k = 1; k < need; k++) {
      let found = -1;
      for (let t = at + 1; t < n && items[t]!.ts - items[s]!.firstTs <= span; t++) {
        if (items[t]!.ref === k && items[t]!.ts >= chain[chain.length - 1]!.ts) {
          found = t;
          break;
        }
      }
      if (found === -1) break;
      chain.push(items[found]!);
      at = found;
    }
    if (chain.length === need) {
      out.push(chain);
      from = at + 1;
    }
  }
  return out;
}

/** The record fields one correlation reads from the events of the detection rule at `ref`: group-by fields, then the counted one. */
function fieldsRead(c: ResolvedCorrelation, ref: number, metas: Map<string, RuleMeta>): string[] {
  const def = c.def;
  const refId = c.refs[ref]!;
  const refMeta = metas.get(refId);
  const fields = def.groupBy.map((g) => fieldFor(def, g, def.rules[ref]!, refId, refMeta));
  if (def.field) fields.push(fieldFor(def, def.field, def.rules[ref]!, refId, refMeta));
  return fields;
}

/**
 * For each detection rule a correlation names (by rule id): every record field the correlations read from
 * its events, in a fixed order. The import keeps these values for its hits, so the correlations after it
 * need not read and parse those records again; `correlate` reads exactly these fields and no others.
 */
export function correlationFields(ordered: readonly ResolvedCorrelation[], metas: Map<string, RuleMeta>): Map<string, string[]> {
  const out = new Map<string, Set<string>>();
  for (const c of ordered)
    c.refs.forEach((refId, ref) => {
      if (metas.get(refId)?.kind === 'correlation') return;
      const set = out.get(refId) ?? new Set<string>();
      for (const f of fieldsRead(c, ref, metas)) set.add(f);
      out.set(refId, set);
    });
  return new Map([...out].map(([id, set]) => [id, [...set]]));
}

/**
 * Runs the correlations of a case in order. `eventsOf(ruleId)` gives the
 * events a detection rule matched in the case; a correlation's own hits feed
 * the correlations that name it (their time is their last event's).
 */
export function correlate(
  ordered: ResolvedCorrelation[],
  metas: Map<string, RuleMeta>,
  eventsOf: (ruleId: string) => CorrelationEvent[],
): CorrelationHit[] {
  const hitsOf = new Map<string, CorrelationHit[]>();
  const all: CorrelationHit[] = [];
  for (const c of ordered) {
    const def = c.def;
    const groups = new Map<string, { key: Record<string, string | null>; items: Item[] }>();
    const counting = def.type === 'value_count';
    // With a name repeated in group-by (or `__proto__`) the key is built through an object, as it always was.
    const plain = new Set(def.groupBy).size === def.groupBy.length && !def.groupBy.includes('__proto__');
    c.refs.forEach((refId, ref) => {
      const refName = def.rules[ref]!;
      const refMeta = metas.get(refId);
      const fields = def.groupBy.map((g) => fieldFor(def, g, refName, refId, refMeta));
      const countField = def.field ? fieldFor(def, def.field, refName, refId, refMeta) : null;
      // One pass per item, no closure per item: this runs for every hit of the named rules over the whole case.
      const add = (item: Item, values: (string | null)[]) => {
        let k: string;
        let key: Record<string, string | null> | null = null;
        if (plain) k = JSON.stringify(values);
        else {
          key = {};
          for (let i = 0; i < values.length; i++) key[def.groupBy[i]!] = values[i]!;
          k = JSON.stringify(def.groupBy.map((g) => key![g]));
        }
        let g = groups.get(k);
        if (!g) {
          if (!key) {
            key = {};
            for (let i = 0; i < values.length; i++) key[def.groupBy[i]!] = values[i]!;
          }
          groups.set(k, (g = { key, items: [] }));
        }
        g.items.push(item);
      };
      if (refMeta?.kind === 'correlation') {
        for (const h of hitsOf.get(refId) ?? [])
          add(
            { ts: h.lastTs, firstTs: h.firstTs, eventIds: h.eventIds, ref, count: counting ? (h.group.__count__ ?? null) : null },
            fields.map((f) => h.group[f] ?? null),
          );
      } else {
        // A group-by field spelt `__count__` has always meant the counted field.
        const read = fields.map((f) => (f === '__count__' && countField ? countField : f));
        for (const e of eventsOf(refId))
          add(
            { ts: e.ts, firstTs: e.ts, eventIds: [e.eventId], ref, count: counting ? eventValue(e, countField!) : null },
            read.map((f) => eventValue(e, f)),
          );
      }
    });
    const hits: CorrelationHit[] = [];
    for (const g of groups.values()) {
      g.items.sort((a, b) => a.ts - b.ts || a.eventIds[0]! - b.eventIds[0]!);
      for (const win of windows(def, g.items, (it) => it.count)) hits.push(emit(c.meta.id, g.key, win));
    }
    hits.sort((a, b) => a.firstTs - b.firstTs);
    hitsOf.set(c.meta.id, hits);
    all.push(...hits);
  }
  return all;
}
