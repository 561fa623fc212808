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
  return firstText(fieldValues(record, field));
}

/** The text of the first value that is not null (a field's values as `fieldValues` reads them). */
export function firstText(values: readonly unknown[]): string | null {
  const v = values.find((x) => x !== null && x !== undefined);
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
 * A detection rule's events as the import kept them (see HitValueStore): no object per event. Slot `at[i]`
 * is the i-th event by id: its id `ids[slot]`, time `ts[slot]`, and field `fields[f]` as
 * `values[slot * fields.length + f]` (0 = null, else a number + 1 into `strings`).
 */
export interface CompactEvents {
  fields: readonly string[];
  strings: readonly string[];
  ids: Float64Array;
  ts: Float64Array;
  values: Uint32Array;
  at: Uint32Array;
}

/** One referenced rule's input to a correlation: its items one at a time, made only when asked for. */
interface Source {
  length: number;
  values(i: number): (string | null)[];
  item(i: number): Item;
}

/**
 * Runs the correlations of a case in order. `eventsOf(ruleId)` gives the
 * events a detection rule matched in the case (as objects, or compact); a correlation's own hits feed
 * the correlations that name it (their time is their last event's).
 */
export function correlate(
  ordered: ResolvedCorrelation[],
  metas: Map<string, RuleMeta>,
  eventsOf: (ruleId: string) => CorrelationEvent[] | CompactEvents,
): CorrelationHit[] {
  const hitsOf = new Map<string, CorrelationHit[]>();
  const all: CorrelationHit[] = [];
  for (const c of ordered) {
    const hits = correlateOne(c, metas, eventsOf, hitsOf);
    hitsOf.set(c.meta.id, hits);
    all.push(...hits);
  }
  return all;
}

/** The input of one referenced rule (at index `ref` of the correlation's `rules`). */
function sourceOf(
  c: ResolvedCorrelation,
  ref: number,
  metas: Map<string, RuleMeta>,
  eventsOf: (ruleId: string) => CorrelationEvent[] | CompactEvents,
  hitsOf: Map<string, CorrelationHit[]>,
): Source {
  const def = c.def;
  const counting = def.type === 'value_count';
  const refId = c.refs[ref]!;
  const refName = def.rules[ref]!;
  const refMeta = metas.get(refId);
  const fields = def.groupBy.map((g) => fieldFor(def, g, refName, refId, refMeta));
  const countField = def.field ? fieldFor(def, def.field, refName, refId, refMeta) : null;
  if (refMeta?.kind === 'correlation') {
    const list = hitsOf.get(refId) ?? [];
    return {
      length: list.length,
      values: (i) => fields.map((f) => list[i]!.group[f] ?? null),
      item: (i) => {
        const h = list[i]!;
        return { ts: h.lastTs, firstTs: h.firstTs, eventIds: h.eventIds, ref, count: counting ? (h.group.__count__ ?? null) : null };
      },
    };
  }
  // A group-by field spelt `__count__` has always meant the counted field.
  const read = fields.map((f) => (f === '__count__' && countField ? countField : f));
  const events = eventsOf(refId);
  if (Array.isArray(events))
    return {
      length: events.length,
      values: (i) => read.map((f) => eventValue(events[i]!, f)),
      item: (i) => {
        const e = events[i]!;
        return { ts: e.ts, firstTs: e.ts, eventIds: [e.eventId], ref, count: counting ? eventValue(e, countField!) : null };
      },
    };
  const k = events as CompactEvents;
  const n = k.fields.length;
  // A field the kept values lack reads as null, as it did for an event that carried only those values.
  const value = (slot: number, col: number) => {
    const v = col < 0 ? 0 : k.values[slot * n + col]!;
    return v === 0 ? null : k.strings[v - 1]!;
  };
  const cols = read.map((f) => k.fields.indexOf(f));
  const countCol = countField ? k.fields.indexOf(countField) : -1;
  return {
    length: k.at.length,
    values: (i) => cols.map((col) => value(k.at[i]!, col)),
    item: (i) => {
      const slot = k.at[i]!;
      return { ts: k.ts[slot]!, firstTs: k.ts[slot]!, eventIds: [k.ids[slot]!], ref, count: counting ? value(slot, countCol) : null };
    },
  };
}

/**
 * One correlation. Every event is first only given its group's number (a typed array, nothing kept per
 * event); then each group's items are made, windowed and dropped in turn, so at most one group's items
 * exist at a time. Groups and their items come in the order the events were given, as they always did.
 */
function correlateOne(
  c: ResolvedCorrelation,
  metas: Map<string, RuleMeta>,
  eventsOf: (ruleId: string) => CorrelationEvent[] | CompactEvents,
  hitsOf: Map<string, CorrelationHit[]>,
): CorrelationHit[] {
  const def = c.def;
  // With a name repeated in group-by (or `__proto__`) the key is built through an object, as it always was.
  const plain = new Set(def.groupBy).size === def.groupBy.length && !def.groupBy.includes('__proto__');
  const sources = c.refs.map((_, ref) => sourceOf(c, ref, metas, eventsOf, hitsOf));
  const total = sources.reduce((n, s) => n + s.length, 0);
  const groupOf = new Uint32Array(total);
  const keyIndex = new Map<string, number>();
  const keys: Record<string, string | null>[] = [];
  let at = 0;
  for (const s of sources)
    for (let i = 0; i < s.length; i++) {
      const values = s.values(i);
      let k: string;
      let key: Record<string, string | null> | null = null;
      if (plain) k = JSON.stringify(values);
      else {
        key = {};
        for (let j = 0; j < values.length; j++) key[def.groupBy[j]!] = values[j]!;
        k = JSON.stringify(def.groupBy.map((g) => key![g]));
      }
      let g = keyIndex.get(k);
      if (g === undefined) {
        if (!key) {
          key = {};
          for (let j = 0; j < values.length; j++) key[def.groupBy[j]!] = values[j]!;
        }
        keyIndex.set(k, (g = keys.length));
        keys.push(key);
      }
      groupOf[at++] = g;
    }
  keyIndex.clear();
  // Each group's members, in the order they were given (counting sort by group).
  const start = new Uint32Array(keys.length + 1);
  for (const g of groupOf) start[g + 1]!++;
  for (let g = 0; g < keys.length; g++) start[g + 1]! += start[g]!;
  const fill = start.slice(0, keys.length);
  const members = new Uint32Array(total);
  for (let i = 0; i < total; i++) members[fill[groupOf[i]!]!++] = i;
  const bases = sources.map((_, r) => sources.slice(0, r).reduce((n, s) => n + s.length, 0));
  const itemAt = (i: number): Item => {
    let r = sources.length - 1;
    while (bases[r]! > i) r--;
    return sources[r]!.item(i - bases[r]!);
  };
  const hits: CorrelationHit[] = [];
  for (let g = 0; g < keys.length; g++) {
    const items: Item[] = [];
    for (let m = start[g]!; m < start[g + 1]!; m++) items.push(itemAt(members[m]!));
    items.sort((a, b) => a.ts - b.ts || a.eventIds[0]! - b.eventIds[0]!);
    for (const win of windows(def, items, (it) => it.count)) hits.push(emit(c.meta.id, keys[g]!, win));
  }
  hits.sort((a, b) => a.firstTs - b.firstTs);
  return hits;
}
