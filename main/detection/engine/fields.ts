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

/** What one field of the current event has been read as (reset when the view moves to another event). */
interface FieldSlot {
  event: number;
  values: unknown[] | null;
  texts: (string | null)[] | null;
  lower: (string | null)[] | null;
}

/**
 * One event as the matchers see it: field lookups and lower-cased texts are
 * computed once per event, however many rules ask for the same field. A rule
 * set keeps one view and moves it from event to event (`reset`): its per-field
 * slots are made once, not per event, so matching a million records does not
 * leave a million small maps for the garbage collector.
 */
export class EventView {
  private readonly slots = new Map<string, FieldSlot>();
  /** Which event the slots belong to: a slot filled for an earlier event is stale. */
  private event = 0;

  constructor(private current: unknown = null) {}

  get record(): unknown {
    return this.current;
  }

  /** Looks at another event (the values read for the previous one are dropped). */
  reset(record: unknown): this {
    this.current = record;
    this.event++;
    return this;
  }

  private slot(path: string): FieldSlot {
    let s = this.slots.get(path);
    if (!s) this.slots.set(path, (s = { event: this.event, values: null, texts: null, lower: null }));
    else if (s.event !== this.event) {
      s.event = this.event;
      s.values = s.texts = s.lower = null;
    }
    return s;
  }

  values(path: string): unknown[] {
    const s = this.slot(path);
    return (s.values ??= fieldValues(this.current, path));
  }

  /** Each value's text (null for null values), as written. */
  text(path: string): (string | null)[] {
    const s = this.slot(path);
    return (s.texts ??= (s.values ??= fieldValues(this.current, path)).map(valueText));
  }

  /** Each value's text, lower-cased (Sigma matches strings case-insensitively). */
  lowerText(path: string): (string | null)[] {
    const s = this.slot(path);
    return (s.lower ??= this.text(path).map((t) => (t === null ? null : t.toLowerCase())));
  }
}
