/** The JSON keys of a raw record. */
export const SEARCH_KEYS = /"[\w@.-]*":/g;

/**
 * What the full-text index sees of a raw record: its values without its keys.
 * Keys repeat in every record of a source ("eventVersion", "userIdentity"...),
 * so indexing them doubles the index for nothing an investigator searches for.
 */
export const searchText = (raw: string): string => raw.replace(SEARCH_KEYS, ' ');

/** Bytes that `[\w@.-]` matches (ASCII only: `\w` without the `u` flag). */
const KEY_CHAR = new Uint8Array(256);
for (let c = 0; c < 256; c++) KEY_CHAR[c] = /[\w@.-]/.test(String.fromCharCode(c)) && c < 128 ? 1 : 0;

/**
 * `searchText` on UTF-8 bytes, in place: every match of SEARCH_KEYS becomes one space, exactly as
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
