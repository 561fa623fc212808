/**
 * Reading Sigma field names out of a CloudTrail record. `userIdentity.type`
 * walks nested objects; an array on the way fans out (every element is
 * looked at), so `requestParameters.containerDefinitions.command` reaches the
 * commands of every container. A literal key holding a dot is tried first.
 */

export type Obj = Record<string, unknown>;

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Returns the values at `path` (empty when the field is absent); `null` values are kept. */
export function fieldValues(record: unknown, path: string): unknown[] {
  const out: unknown[] = [];
  collect(record, path, out);
  return out;
}

function collect(cur: unknown, path: string, out: unknown[]): void {
  if (Array.isArray(cur)) {
    for (const el of cur) collect(el, path, out);
    return;
  }
  if (!isObj(cur)) return;
  if (Object.hasOwn(cur, path)) {
    push(cur[path], out);
    return;
  }
  const dot = path.indexOf('.');
  if (dot === -1) return;
  const head = path.slice(0, dot);
  if (Object.hasOwn(cur, head)) collect(cur[head], path.slice(dot + 1), out);
}

/** A leaf that is an array contributes its elements (a list-valued field matches when any element does). */
function push(v: unknown, out: unknown[]): void {
  if (Array.isArray(v)) {
    if (v.length === 0) out.push(v);
    for (const el of v) out.push(el);
  } else out.push(v);
}

/**
 * The text a value is matched as. Scalars are their string form (`false`,
 * `5`); objects and arrays are their JSON text with the escaping of quotes and
 * backslashes removed, so a rule looking for `"s3:GetObject"` inside
 * `requestParameters` (whose `policyDocument` is itself a JSON string) finds
 * it as written. Null has no text.
 */
export function valueText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  const json = JSON.stringify(v);
  return json.includes('\\') ? json.replace(/\\(["\\/])/g, '$1') : json;
}

/**
 * One event as the matchers see it: field lookups and lower-cased texts are
 * computed once per event, however many rules ask for the same field.
 */
export class EventView {
  // Created on first use: most events are tested against one or two fields.
  private cache: Map<string, unknown[]> | null = null;
  private lower: Map<string, (string | null)[]> | null = null;
  private texts: Map<string, (string | null)[]> | null = null;

  constructor(readonly record: unknown) {}

  values(path: string): unknown[] {
    this.cache ??= new Map();
    let v = this.cache.get(path);
    if (!v) {
      v = fieldValues(this.record, path);
      this.cache.set(path, v);
    }
    return v;
  }

  /** Each value's text (null for null values), as written. */
  text(path: string): (string | null)[] {
    this.texts ??= new Map();
    let t = this.texts.get(path);
    if (!t) {
      t = this.values(path).map(valueText);
      this.texts.set(path, t);
    }
    return t;
  }

  /** Each value's text, lower-cased (Sigma matches strings case-insensitively). */
  lowerText(path: string): (string | null)[] {
    this.lower ??= new Map();
    let t = this.lower.get(path);
    if (!t) {
      t = this.text(path).map((s) => (s === null ? null : s.toLowerCase()));
      this.lower.set(path, t);
    }
    return t;
  }
}
