import net from 'node:net';
import type { EventView } from './fields';
import {
  base64Of,
  base64OffsetsOf,
  compileText,
  hasWildcard,
  parseCidr,
  unescape,
  windashVariants,
  type Encoding,
  type MatchMode,
} from './patterns';
import { RuleError } from './types';

/** One `field|modifiers: values` line of a selection, compiled. */
export interface FieldCondition {
  field: string;
  test: (view: EventView) => boolean;
  /**
   * Lower-cased values when this is a plain equality (no modifiers, no wildcards), or prefixes (marked with a
   * leading NUL) for a plain `|startswith`: what the eventName index uses.
   */
  pinned: string[] | null;
}

const MATCH_MODES = new Set(['contains', 'startswith', 'endswith']);
const ENCODINGS: Record<string, Encoding> = { utf16le: 'utf16le', wide: 'utf16le', utf16be: 'utf16be', utf16: 'utf16le' };
const RE_FLAGS = new Set(['i', 'm', 's']);
const NUMERIC = new Set(['lt', 'lte', 'gt', 'gte']);
const KNOWN = new Set([
  ...MATCH_MODES,
  ...Object.keys(ENCODINGS),
  ...RE_FLAGS,
  ...NUMERIC,
  'all',
  're',
  'cidr',
  'base64',
  'base64offset',
  'windash',
  'exists',
  'fieldref',
  'cased',
]);
const NOT_SUPPORTED: Record<string, string> = {
  expand: 'placeholders (|expand) need a placeholder file, which Lariat does not have',
  minute: 'time-part modifiers are not supported',
  hour: 'time-part modifiers are not supported',
  day: 'time-part modifiers are not supported',
  week: 'time-part modifiers are not supported',
  month: 'time-part modifiers are not supported',
  year: 'time-part modifiers are not supported',
};

type Scalar = string | number | boolean | null;

function scalars(field: string, value: unknown): Scalar[] {
  const list = Array.isArray(value) ? value : [value];
  if (Array.isArray(value) && value.length === 0) throw new RuleError(`field "${field}" has an empty list of values`);
  for (const v of list) {
    if (v !== null && typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
      throw new RuleError(
        `field "${field}" has a value that is ${Array.isArray(v) ? 'a nested list' : 'a map'}; Sigma values are strings, numbers, booleans or null`,
      );
    }
  }
  return list as Scalar[];
}

/** Combines per-value tests: any value (OR), or every value with `|all`. */
const combine = (tests: ((view: EventView) => boolean)[], all: boolean) =>
  tests.length === 1 ? tests[0]! : all ? (v: EventView) => tests.every((t) => t(v)) : (v: EventView) => tests.some((t) => t(v));

/** Compiles `key: value` of a selection (`key` = `field|mod|mod`). */
export function compileFieldCondition(key: string, value: unknown): FieldCondition {
  const [field = '', ...mods] = key.split('|');
  if (field === '') throw new RuleError(`"${key}": a field name is required before the modifiers (keyword lists go in a list, not a map)`);
  for (const m of mods) {
    if (NOT_SUPPORTED[m]) throw new RuleError(`modifier |${m} on "${field}" is not supported: ${NOT_SUPPORTED[m]}`);
    if (!KNOWN.has(m)) throw new RuleError(`modifier |${m} on "${field}" is not a Sigma modifier Lariat knows`);
  }
  const has = (m: string) => mods.includes(m);
  const all = has('all');
  const values = scalars(field, value);

  if (has('exists')) {
    if (mods.length !== 1 || values.length !== 1 || typeof values[0] !== 'boolean')
      throw new RuleError(`"${key}": |exists takes true or false and no other modifier`);
    const want = values[0];
    return { field, pinned: null, test: (v) => v.values(field).length > 0 === want };
  }
  if (has('fieldref')) return { field, pinned: null, test: fieldref(field, key, mods, values, all) };
  if (has('cidr')) return { field, pinned: null, test: cidr(field, key, mods, values) };
  if (has('re')) return { field, pinned: null, test: regex(field, key, mods, values, all) };
  const numeric = mods.filter((m) => NUMERIC.has(m));
  if (numeric.length) return { field, pinned: null, test: compare(field, key, mods, numeric, values, all) };
  return strings(field, key, mods, values, all);
}

function matchMode(key: string, mods: string[]): MatchMode {
  const modes = mods.filter((m) => MATCH_MODES.has(m));
  if (modes.length > 1) throw new RuleError(`"${key}": only one of |contains, |startswith, |endswith may be used`);
  return (modes[0] as MatchMode | undefined) ?? 'eq';
}

function strings(field: string, key: string, mods: string[], values: Scalar[], all: boolean): FieldCondition {
  const mode = matchMode(key, mods);
  const b64 = mods.includes('base64') ? 'base64' : mods.includes('base64offset') ? 'base64offset' : null;
  if (mods.includes('base64') && mods.includes('base64offset'))
    throw new RuleError(`"${key}": |base64 and |base64offset exclude each other`);
  const encs = mods.filter((m) => ENCODINGS[m]);
  if (encs.length && !b64) throw new RuleError(`"${key}": |${encs[0]} only makes sense before |base64 or |base64offset`);
  if (RE_FLAGS.has(mods.find((m) => RE_FLAGS.has(m)) ?? '')) throw new RuleError(`"${key}": |i, |m and |s are flags of |re`);
  const enc: Encoding = encs.length ? ENCODINGS[encs[0]!]! : 'utf8';
  // Encoded values are bytes: matched as literals and case-sensitively.
  const cased = mods.includes('cased') || b64 !== null;
  const tests: ((v: EventView) => boolean)[] = [];
  const plain = mods.length === 0;
  const exact = new Set<string>();
  let exactOnly = true;
  for (const raw of values) {
    if (raw === null) {
      tests.push((v) => v.text(field).every((t) => t === null));
      exactOnly = false;
      continue;
    }
    let variants = mods.includes('windash') ? windashVariants(String(raw)) : [String(raw)];
    let literal = false;
    if (b64 === 'base64') variants = variants.map((s) => base64Of(unescape(s), enc));
    if (b64 === 'base64offset') variants = variants.flatMap((s) => base64OffsetsOf(unescape(s), enc));
    if (b64) literal = true;
    const compiled = variants.map((s) => compileText(s, mode, cased, literal));
    for (const c of compiled) if (c.exact === null) exactOnly = false;
    if (exactOnly && !cased) for (const c of compiled) exact.add(c.exact!);
    const textTests = compiled.map((c) => c.test);
    const one = (t: string) => textTests.some((f) => f(t));
    tests.push(
      cased ? (v) => v.text(field).some((t) => t !== null && one(t)) : (v) => v.lowerText(field).some((t) => t !== null && one(t)),
    );
  }
  if (exactOnly && !cased && !all && exact.size > 1) {
    // Many plain values (eventName lists): one set lookup instead of one test per value.
    return { field, pinned: plain ? [...exact] : null, test: (v) => v.lowerText(field).some((t) => t !== null && exact.has(t)) };
  }
  // `eventName|startswith: Update...`: the rule can only match names with these prefixes.
  const prefixes =
    mods.length === 1 && mode === 'startswith' && values.every((v) => typeof v === 'string' && !hasWildcard(v))
      ? values.map((v) => `\0${unescape(String(v)).toLowerCase()}`)
      : null;
  return { field, pinned: plain && exactOnly ? [...exact] : prefixes, test: combine(tests, all) };
}

function fieldref(field: string, key: string, mods: string[], values: Scalar[], all: boolean): (v: EventView) => boolean {
  const extra = mods.filter((m) => !['fieldref', 'all', 'cased', ...MATCH_MODES].includes(m));
  if (extra.length) throw new RuleError(`"${key}": |fieldref cannot be combined with |${extra[0]}`);
  const mode = matchMode(key, mods);
  const cased = mods.includes('cased');
  const tests = values.map((ref) => {
    if (typeof ref !== 'string' || ref === '') throw new RuleError(`"${key}": |fieldref takes field names`);
    const other = unescape(ref);
    return (v: EventView) => {
      const mine = cased ? v.text(field) : v.lowerText(field);
      const theirs = cased ? v.text(other) : v.lowerText(other);
      return theirs.some(
        (b) =>
          b !== null &&
          mine.some(
            (a) =>
              a !== null &&
              (mode === 'eq' ? a === b : mode === 'contains' ? a.includes(b) : mode === 'startswith' ? a.startsWith(b) : a.endsWith(b)),
          ),
      );
    };
  });
  return combine(tests, all);
}

function cidr(field: string, key: string, mods: string[], values: Scalar[]): (v: EventView) => boolean {
  if (mods.length !== 1) throw new RuleError(`"${key}": |cidr cannot be combined with other modifiers`);
  const list = new net.BlockList();
  for (const raw of values) {
    if (typeof raw !== 'string') throw new RuleError(`"${key}": |cidr takes CIDR blocks as strings`);
    const c = parseCidr(raw);
    try {
      list.addSubnet(c.address, c.prefix, c.family);
    } catch {
      throw new RuleError(`"${key}": "${raw}" is not a CIDR block`);
    }
  }
  return (v) =>
    v.text(field).some((t) => {
      if (t === null) return false;
      const fam = net.isIP(t);
      return fam !== 0 && list.check(t, fam === 4 ? 'ipv4' : 'ipv6');
    });
}

function regex(field: string, key: string, mods: string[], values: Scalar[], all: boolean): (v: EventView) => boolean {
  const extra = mods.filter((m) => m !== 're' && m !== 'all' && !RE_FLAGS.has(m));
  if (extra.length) throw new RuleError(`"${key}": |re cannot be combined with |${extra[0]}`);
  const flags = mods.filter((m) => RE_FLAGS.has(m)).join('');
  const tests = values.map((raw) => {
    if (typeof raw !== 'string') throw new RuleError(`"${key}": |re takes a regular expression string`);
    let re: RegExp;
    try {
      re = new RegExp(raw, flags);
    } catch (err) {
      throw new RuleError(`"${key}": the regular expression does not compile (${(err as Error).message})`);
    }
    // A literal the text must contain lets most texts skip the regular expression (`.+:assumed-role/aws:.+` backtracks).
    const lit = flags.includes('i') ? null : requiredLiteral(raw);
    return lit
      ? (v: EventView) => v.text(field).some((t) => t !== null && t.includes(lit) && re.test(t))
      : (v: EventView) => v.text(field).some((t) => t !== null && re.test(t));
  });
  return combine(tests, all);
}

/**
 * The longest run of plain characters that every match of a regular
 * expression must contain, or null when that cannot be read off the source
 * simply (alternation, or nothing at least three characters long). Only
 * characters outside classes and groups, not escaped and not quantified, count.
 */
export function requiredLiteral(source: string): string | null {
  if (source.includes('|')) return null;
  let best = '';
  let run = '';
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    const next = source[i + 1];
    const quantified = next === '*' || next === '?' || next === '+' || next === '{';
    if (c === '\\') {
      if (run.length > best.length) best = run;
      run = '';
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    if (c === '(') depth++;
    if (c === ')') depth--;
    const plain = depth === 0 && !inClass && /[A-Za-z0-9:/_\- =@,;'"<>!%&~`#]/.test(c);
    if (plain && !quantified) run += c;
    else {
      if (run.length > best.length) best = run;
      run = '';
    }
  }
  if (run.length > best.length) best = run;
  return best.length >= 3 ? best : null;
}

function compare(field: string, key: string, mods: string[], numeric: string[], values: Scalar[], all: boolean): (v: EventView) => boolean {
  if (numeric.length !== 1 || mods.length !== 1) throw new RuleError(`"${key}": |${numeric[0]} cannot be combined with other modifiers`);
  const op = numeric[0]!;
  const tests = values.map((raw) => {
    const n = typeof raw === 'number' ? raw : Number(raw);
    if (raw === null || typeof raw === 'boolean' || !Number.isFinite(n)) throw new RuleError(`"${key}": |${op} takes a number`);
    const ok = (x: number) => (op === 'lt' ? x < n : op === 'lte' ? x <= n : op === 'gt' ? x > n : x >= n);
    return (v: EventView) =>
      v.text(field).some((t) => {
        if (t === null || t.trim() === '') return false;
        const x = Number(t);
        return Number.isFinite(x) && ok(x);
      });
  });
  return combine(tests, all);
}
