/** The JSON keys of a raw record. */
export const SEARCH_KEYS = /"[\w@.-]*":/g;

/** `raw` without its keys: what the full-text index tokenises, before the IP tokens are added. */
export const stripKeys = (raw: string): string => raw.replace(SEARCH_KEYS, ' ');

/**
 * What the full-text index sees of a raw record: its values without its keys, then one token per
 * whole IPv4 address in them (see ipTokensOf). Keys repeat in every record of a source ("eventVersion",
 * "userIdentity"...), so indexing them doubles the index for nothing an investigator searches for.
 */
export const searchText = (raw: string): string => {
  const text = stripKeys(raw);
  return text + ipTokensOfText(text);
};

/** Bytes that `[\w@.-]` matches (ASCII only: `\w` without the `u` flag). */
const KEY_CHAR = new Uint8Array(256);
for (let c = 0; c < 256; c++) KEY_CHAR[c] = /[\w@.-]/.test(String.fromCharCode(c)) && c < 128 ? 1 : 0;

/**
 * `stripKeys` on UTF-8 bytes, in place: every match of SEARCH_KEYS becomes one space, exactly as
 * the regular expression replaces it (its characters are ASCII, so bytes and characters agree).
 * Returns the new length. The search thread indexes the bytes as they are: no decode into strings,
 * no re-encode when SQLite binds them.
 */
export function stripKeysInPlace(b: Uint8Array): number {
  const n = b.length;
  let w = 0;
  let i = 0;
  while (i < n) {
    const c = b[i]!;
    if (c === 0x22) {
      let j = i + 1;
      while (j < n && KEY_CHAR[b[j]!]) j++;
      if (j + 1 < n && b[j] === 0x22 && b[j + 1] === 0x3a) {
        b[w++] = 0x20;
        i = j + 2;
        continue;
      }
    }
    b[w++] = c;
    i++;
  }
  return w;
}

/** A search term that is an IPv4 address as written (four groups of one to three digits). */
export const DOTTED_QUAD = /^\d{1,3}(?:\.\d{1,3}){3}$/;

/**
 * The token an IPv4 address is also indexed as: "10.0.1.23" → "ipv4x10x0x1x23", one token of letters and
 * digits. Without it the index holds an address as four numbers (10, 0, 1, 23), tokens that most records
 * carry in their times and versions: a search for such an address had to read a hundred thousand records to
 * confirm the phrase in each (2.4 s with nothing cached, 0.65 s cached, at a million events).
 */
export const ipToken = (quad: string): string => `ipv4x${quad.replaceAll('.', 'x')}`;

/**
 * Whole IPv4 addresses in a text, as ipTokensOf finds them in bytes: four dot-separated groups of one to
 * three digits, neither preceded by a digit or a dot that follows one, nor followed by a digit or a dot and
 * a digit ("1.2.3.4.5" and "1111.2.3.4" hold none, "10.0.1.23:443" and "at 10.0.1.23." hold one).
 */
const QUAD_IN_TEXT = /(?<!\d|\d\.)\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}(?!\d|\.\d)/g;

/** ipTokensOf for a string: " ipv4x..." for each distinct address, in order of first appearance ('' when none). */
export function ipTokensOfText(text: string): string {
  if (text.indexOf('.') < 0) return '';
  let out = '';
  const seen = new Set<string>();
  for (const m of text.matchAll(QUAD_IN_TEXT)) {
    if (seen.has(m[0])) continue;
    seen.add(m[0]);
    out += ` ${ipToken(m[0])}`;
  }
  return out;
}

const isDigit = (c: number | undefined): boolean => c !== undefined && c >= 0x30 && c <= 0x39;

/**
 * The IP tokens of the text in bytes [start, end): exactly `ipTokensOfText` of their UTF-8 decoding (every
 * character it looks at is ASCII, and an ASCII byte is never part of a multi-byte character). A record has a
 * handful of dots, so this goes from dot to dot instead of reading every byte in JavaScript.
 */
export function ipTokensOf(b: Buffer, start: number, end: number): string {
  let out = '';
  let seen: string[] | null = null;
  let from = start;
  for (;;) {
    const dot = b.indexOf(0x2e, from);
    if (dot < 0 || dot >= end) return out;
    // The whole digit run before this dot (so never after a digit): one to three digits, and not after "digit.".
    let s = dot;
    while (s > start && isDigit(b[s - 1])) s--;
    const quadEnd = dot - s >= 1 && dot - s <= 3 ? quadFrom(b, s, end) : -1;
    if (quadEnd < 0 || (s - 2 >= start && b[s - 1] === 0x2e && isDigit(b[s - 2]))) {
      from = dot + 1;
      continue;
    }
    const quad = b.toString('latin1', s, quadEnd);
    if (!(seen ??= []).includes(quad)) {
      seen.push(quad);
      out += ` ${ipToken(quad)}`;
    }
    from = quadEnd;
  }
}

/** Where a dotted quad starting at `s` ends, or -1: four groups of 1-3 digits, then no digit and no dot-digit. */
function quadFrom(b: Buffer, s: number, end: number): number {
  let i = s;
  for (let group = 0; group < 4; group++) {
    if (group > 0) {
      if (i >= end || b[i] !== 0x2e) return -1;
      i++;
    }
    const g = i;
    while (i < end && i - g < 4 && isDigit(b[i])) i++;
    if (i === g || i - g > 3) return -1;
  }
  if (i < end && (isDigit(b[i]) || (b[i] === 0x2e && i + 1 < end && isDigit(b[i + 1])))) return -1;
  return i;
}
