import { parseCondition, type Cond } from './condition';
import { compileFieldCondition, type FieldCondition } from './field-condition';
import { type EventView, isObj } from './fields';
import { compileText } from './patterns';
import { RuleError } from './types';

export type Test = (view: EventView) => boolean;

/** Marks an eventName pin that is a prefix (`eventName|startswith`), not an exact name. */
export const PREFIX = '\0';

/**
 * A field other than eventName whose (lower-cased, exact) values a rule needs one of: how a rule that pins no
 * eventName (`userIdentity.type: Root`, `errorCode: AccessDenied`) is still looked up instead of run on every event.
 */
export interface FieldPin {
  field: string;
  values: Set<string>;
}

/** A search identifier compiled: its test, the eventNames it can only match (null: any), and another field's pin. */
interface Search {
  test: Test;
  eventNames: Set<string> | null;
  pin: FieldPin | null;
}

/** A rule's `detection` block compiled to one test plus the eventName pre-filter. */
export interface CompiledDetection {
  test: Test;
  /**
   * Lower-cased eventNames the rule can match (entries starting with PREFIX are prefixes); null when it can
   * match any event (then it runs on every event).
   */
  eventNames: Set<string> | null;
  /** With no eventName pin: another field the rule can only match some values of (null: it runs on every event). */
  pin: FieldPin | null;
}

const all = (tests: Test[]): Test => (tests.length === 1 ? tests[0]! : (v) => tests.every((t) => t(v)));
const any = (tests: Test[]): Test => (tests.length === 1 ? tests[0]! : (v) => tests.some((t) => t(v)));

function union(sets: (Set<string> | null)[]): Set<string> | null {
  if (sets.some((s) => s === null)) return null;
  return new Set(sets.flatMap((s) => [...s!]));
}

/**
 * For AND: every branch's pin is a necessary condition, so any one will do.
 * The smallest exact one is kept (a set holding prefixes is not intersected
 * element by element: `\0update` and `updatefunctionconfiguration` overlap).
 */
function intersect(sets: (Set<string> | null)[]): Set<string> | null {
  const known = sets.filter((s): s is Set<string> => s !== null);
  if (known.length === 0) return null;
  const exact = known.filter((s) => ![...s].some((n) => n.startsWith(PREFIX)));
  if (exact.length === 0) return known[0]!;
  return new Set([...exact[0]!].filter((n) => exact.every((s) => s.has(n))));
}

/** For AND: any branch's pin is necessary, so the first will do. */
const anyPin = (pins: (FieldPin | null)[]): FieldPin | null => pins.find((p) => p !== null) ?? null;

/** For OR: a pin holds only when every branch pins the same field (then any of their values). */
function unionPin(pins: (FieldPin | null)[]): FieldPin | null {
  const first = pins[0];
  if (!first || pins.some((p) => p === null || p.field !== first.field)) return null;
  return { field: first.field, values: new Set(pins.flatMap((p) => [...p!.values])) };
}

/** A map selection: every field condition holds. */
function compileMap(map: Record<string, unknown>): Search {
  const keys = Object.keys(map);
  if (keys.length === 0) throw new RuleError('a selection is an empty map');
  const conds: FieldCondition[] = keys.map((k) => compileFieldCondition(k, map[k]));
  // Cheap equality tests first: most events fail on eventName.
  conds.sort((a, b) => Number(b.pinned !== null) - Number(a.pinned !== null));
  const pin = conds.find((c) => c.field === 'eventName' && c.pinned);
  // Any other field's exact values (prefixes are an eventName-only index).
  const other = conds.find((c) => c.field !== 'eventName' && c.pinned && !c.pinned.some((v) => v.startsWith(PREFIX)));
  return {
    test: all(conds.map((c) => c.test)),
    eventNames: pin ? new Set(pin.pinned) : null,
    pin: other ? { field: other.field, values: new Set(other.pinned) } : null,
  };
}

/** A keyword list: any value appears (case-insensitively, as a substring) in any string of the event. */
function compileKeywords(list: unknown[]): Search {
  const tests = list.map((k) => {
    if (typeof k !== 'string' && typeof k !== 'number') throw new RuleError('a keyword list holds strings');
    return compileText(String(k), 'contains', false).test;
  });
  return {
    eventNames: null,
    pin: null,
    test: (v) => {
      const strings: string[] = [];
      const walk = (x: unknown): void => {
        if (typeof x === 'string') strings.push(x.toLowerCase());
        else if (typeof x === 'number' || typeof x === 'boolean') strings.push(String(x));
        else if (Array.isArray(x)) x.forEach(walk);
        else if (isObj(x)) Object.values(x).forEach(walk);
      };
      walk(v.record);
      return strings.some((s) => tests.some((t) => t(s)));
    },
  };
}

function compileSearch(name: string, body: unknown): Search {
  try {
    if (isObj(body)) return compileMap(body);
    if (Array.isArray(body)) {
      if (body.length === 0) throw new RuleError('is an empty list');
      if (body.every(isObj)) {
        const parts = body.map((m) => compileMap(m as Record<string, unknown>));
        return {
          test: any(parts.map((p) => p.test)),
          eventNames: union(parts.map((p) => p.eventNames)),
          pin: unionPin(parts.map((p) => p.pin)),
        };
      }
      if (body.some(isObj)) throw new RuleError('mixes maps and keywords in one list');
      return compileKeywords(body);
    }
    throw new RuleError(`is a ${body === null ? 'null' : typeof body}; a search identifier is a map, a list of maps or a list of keywords`);
  } catch (err) {
    if (err instanceof RuleError) throw new RuleError(`detection.${name}: ${err.message}`);
    throw err;
  }
}

const conjunction = (parts: Search[]): Search => ({
  test: all(parts.map((p) => p.test)),
  eventNames: intersect(parts.map((p) => p.eventNames)),
  pin: anyPin(parts.map((p) => p.pin)),
});

const disjunction = (parts: Search[]): Search => ({
  test: any(parts.map((p) => p.test)),
  eventNames: union(parts.map((p) => p.eventNames)),
  pin: unionPin(parts.map((p) => p.pin)),
});

function compileCond(c: Cond, searches: Map<string, Search>): Search {
  switch (c.op) {
    case 'id':
      return searches.get(c.name)!;
    case 'not': {
      const inner = compileCond(c.arg, searches);
      return { test: (v) => !inner.test(v), eventNames: null, pin: null };
    }
    case 'and':
    case 'or': {
      const parts = c.args.map((a) => compileCond(a, searches));
      return c.op === 'and' ? conjunction(parts) : disjunction(parts);
    }
    case 'of': {
      const parts = c.names.map((n) => searches.get(n)!);
      return c.quantifier === 'all' ? conjunction(parts) : disjunction(parts);
    }
  }
}

/** Compiles a Sigma `detection` map (search identifiers plus `condition`). */
export function compileDetection(detection: unknown): CompiledDetection {
  if (!isObj(detection)) throw new RuleError('detection is not a map');
  if ('timeframe' in detection)
    throw new RuleError('detection.timeframe (Sigma v1 aggregation) is not supported; write a correlation rule');
  const condition = detection.condition;
  const texts = typeof condition === 'string' ? [condition] : Array.isArray(condition) ? condition : null;
  if (!texts || texts.length === 0 || !texts.every((t) => typeof t === 'string' && t.trim() !== ''))
    throw new RuleError('detection.condition is missing or not a string');
  const searches = new Map<string, Search>();
  for (const [name, body] of Object.entries(detection)) {
    if (name !== 'condition') searches.set(name, compileSearch(name, body));
  }
  const ids = [...searches.keys()];
  // A list of conditions is the old way of writing "any of these".
  const parts = (texts as string[]).map((t) => compileCond(parseCondition(t, ids), searches));
  const { test, eventNames, pin } = disjunction(parts);
  return { test, eventNames, pin: eventNames === null ? pin : null };
}
