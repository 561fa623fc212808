import { RuleError } from './types';

/**
 * Sigma string values: `*` matches any run of characters, `?` one character,
 * and a backslash escapes `*`, `?` and itself (any other backslash is a
 * literal backslash), as the specification says. Values are compiled once
 * to the cheapest test that is exact: equality, startsWith, endsWith,
 * includes, or an anchored regular expression when wildcards sit inside.
 */

const STAR = 0;
const ONE = 1;
type Token = string | typeof STAR | typeof ONE;

export type MatchMode = 'eq' | 'contains' | 'startswith' | 'endswith';

/** Splits a Sigma value into literal runs and wildcards. */
export function tokenize(value: string): Token[] {
  const out: Token[] = [];
  let lit = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c === '\\') {
      const n = value[i + 1];
      if (n === '*' || n === '?' || n === '\\') {
        lit += n;
        i++;
      } else lit += c;
    } else if (c === '*' || c === '?') {
      if (lit) out.push(lit);
      lit = '';
      out.push(c === '*' ? STAR : ONE);
    } else lit += c;
  }
  if (lit) out.push(lit);
  return out;
}

/** True when the value holds an unescaped wildcard. */
export const hasWildcard = (value: string): boolean => tokenize(value).some((t) => typeof t !== 'string');

/** The value with Sigma's escapes removed (for values used as literals: field names, base64 input). */
export const unescape = (value: string): string => tokenize(value).join('');

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** A compiled string test over one text, already lower-cased by the caller unless `cased`. */
export type TextTest = (text: string) => boolean;

/**
 * Compiles one value. `literal: true` skips wildcard parsing (values that
 * were produced by encoding, such as base64, are literal bytes).
 */
export function compileText(value: string, mode: MatchMode, cased: boolean, literal = false): { test: TextTest; exact: string | null } {
  let tokens: Token[] = literal ? (value ? [value] : []) : tokenize(value);
  if (!cased) tokens = tokens.map((t) => (typeof t === 'string' ? t.toLowerCase() : t));
  if (mode === 'contains' || mode === 'endswith') tokens = [STAR, ...tokens];
  if (mode === 'contains' || mode === 'startswith') tokens = [...tokens, STAR];
  // Runs of stars are one star.
  tokens = tokens.filter((t, i) => !(t === STAR && tokens[i - 1] === STAR));
  const inner = tokens.slice(1, -1);
  const lead = tokens[0] === STAR;
  const trail = tokens.length > 1 && tokens[tokens.length - 1] === STAR;
  const onlyLiterals = (ts: Token[]) => ts.every((t) => typeof t === 'string');
  if (tokens.length === 0) return { test: (t) => t === '', exact: '' };
  if (tokens.length === 1 && typeof tokens[0] === 'string') {
    const s = tokens[0];
    return { test: (t) => t === s, exact: s };
  }
  if (tokens.length === 1 && tokens[0] === STAR) return { test: () => true, exact: null };
  if (lead && trail && inner.length === 1 && onlyLiterals(inner)) {
    const s = inner[0] as string;
    return { test: (t) => t.includes(s), exact: null };
  }
  if (lead && !trail && tokens.length === 2 && typeof tokens[1] === 'string') {
    const s = tokens[1];
    return { test: (t) => t.endsWith(s), exact: null };
  }
  if (!lead && trail && tokens.length === 2 && typeof tokens[0] === 'string') {
    const s = tokens[0];
    return { test: (t) => t.startsWith(s), exact: null };
  }
  const source = tokens.map((t) => (t === STAR ? '[\\s\\S]*' : t === ONE ? '[\\s\\S]' : escapeRe(t))).join('');
  const re = new RegExp(`^${source}$`, 'u');
  return { test: (t) => re.test(t), exact: null };
}

/**
 * `windash`: a command-line flag written with `-` may also be written with
 * `/`, an en dash, an em dash or a horizontal bar. Returns every variant of
 * the value (flags are dashes at the start of a word).
 */
export function windashVariants(value: string): string[] {
  if (!/(^|\s)-/.test(value)) return [value];
  return ['-', '/', '\u2013', '\u2014', '\u2015'].map((d) => value.replace(/(^|\s)-/g, `$1${d}`));
}

export type Encoding = 'utf8' | 'utf16le' | 'utf16be';

function encode(value: string, enc: Encoding): Buffer {
  if (enc === 'utf8') return Buffer.from(value, 'utf8');
  const le = Buffer.from(value, 'utf16le');
  if (enc === 'utf16le') return le;
  const be = Buffer.alloc(le.length);
  for (let i = 0; i + 1 < le.length; i += 2) {
    be[i] = le[i + 1]!;
    be[i + 1] = le[i]!;
  }
  return be;
}

/** `base64`: the value's base64 encoding (matched as a literal, case-sensitively). */
export const base64Of = (value: string, enc: Encoding): string => encode(value, enc).toString('base64');

/**
 * `base64offset`: the three encodings of the value at byte offsets 0, 1 and 2
 * inside a longer base64 text, trimmed of the characters that depend on the
 * surrounding bytes (the same construction as pySigma's).
 */
export function base64OffsetsOf(value: string, enc: Encoding): string[] {
  const bytes = encode(value, enc);
  const starts = [0, 2, 3];
  const ends = [undefined, -3, -2];
  const out: string[] = [];
  for (let i = 0; i < 3; i++) {
    const b64 = Buffer.concat([Buffer.alloc(i, 0x20), bytes]).toString('base64');
    const end = ends[(bytes.length + i) % 3];
    out.push(b64.slice(starts[i], end));
  }
  return out;
}

/** Parses a `cidr` value (IPv4 or IPv6) or says why it is not one. */
export function parseCidr(value: string): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } {
  const m = /^([0-9a-fA-F:.]+)\/(\d{1,3})$/.exec(value.trim());
  const family = m ? (m[1]!.includes(':') ? 'ipv6' : 'ipv4') : null;
  const prefix = m ? Number(m[2]) : NaN;
  if (!m || !family || prefix > (family === 'ipv4' ? 32 : 128))
    throw new RuleError(`"${value}" is not a CIDR block (|cidr needs e.g. 10.0.0.0/8)`);
  return { address: m[1]!, prefix, family };
}
