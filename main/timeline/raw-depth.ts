/** How deep a raw record is handed out as structure. Real records nest under 20 levels. */
export const RAW_DEPTH_SHOWN = 64;

type Node = Record<string, unknown> | unknown[];
const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null;

/** Whether a value nests deeper than `max` levels (walked with a stack of its own: any depth is measured). */
function deeperThan(value: unknown, max: number): boolean {
  const pending: [unknown, number][] = [[value, 0]];
  while (pending.length) {
    const [v, depth] = pending.pop()!;
    if (!isNode(v)) continue;
    if (depth >= max) return true;
    for (const child of Object.values(v)) if (isNode(child)) pending.push([child, depth + 1]);
  }
  return false;
}

/**
 * A raw record as it is handed to the app and to `--json` output: the value itself, or, for a record nested
 * deeper than `max` (a hostile file's 200,000 levels), a copy cut at that depth with a marker where the rest
 * was. Every serialiser on the way (the IPC's structured clone, JSON.stringify, the app's pretty-printer)
 * recurses and overflowed its stack on such a record, so opening it failed as an unexpected error. The raw
 * text stays whole beside it (`rawText`), and in the vault.
 */
export function clipDepth(value: unknown, max = RAW_DEPTH_SHOWN): unknown {
  if (!isNode(value) || !deeperThan(value, max)) return value;
  const root: Node = Array.isArray(value) ? [] : {};
  const pending: [Node, Node, number][] = [[value, root, 1]];
  while (pending.length) {
    const [from, to, depth] = pending.pop()!;
    for (const [k, v] of Object.entries(from)) {
      let out: unknown = v;
      if (isNode(v)) {
        if (depth >= max) out = `[nested deeper than ${max} levels: the raw text holds the rest]`;
        else {
          out = Array.isArray(v) ? [] : {};
          pending.push([v, out as Node, depth + 1]);
        }
      }
      // Own properties whatever the key (`__proto__` in a record is data).
      Object.defineProperty(to, k, { value: out, writable: true, enumerable: true, configurable: true });
    }
  }
  return root;
}

/** How deep SQLite's JSON functions read (its JSON_MAX_DEPTH): a finding's raw JSON past it fails `json_valid`. */
export const DB_JSON_DEPTH = 1000;

/**
 * Whether JSON text nests deeper than `max` brackets, read as bytes (strings and their escapes skipped): no
 * parse, no recursion, so it is cheap enough for every finding and safe for any depth.
 */
export function jsonDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}
