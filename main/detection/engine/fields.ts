/**
 * Reading Sigma field names out of a CloudTrail record. `userIdentity.type`
 * walks nested objects; an array on the way fans out (every element is
 * looked at), so `requestParameters.containerDefinitions.command` reaches the
 * commands of every container. A literal key holding a dot is tried first.
 */

export type Obj = Record<string, unknown>;

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A field name split once: at step `i` the walk tries the rest of the name as one literal key
 * (`rests[i]`, a key holding a dot), then the next segment (`heads[i]`). Made once per name, so walking a
 * record allocates no substrings (it used to slice the name at every level of every record).
 */
interface FieldPath {
  rests: string[];
  heads: string[];
}

const paths = new Map<string, FieldPath>();
/** Field names cached at most (rules name a few hundred; an investigator's odd rule set cannot grow it forever). */
const MAX_PATHS = 10_000;

function fieldPath(path: string): FieldPath {
  let p = paths.get(path);
  if (!p) {
    const parts = path.split('.');
    p = { rests: parts.map((_, i) => parts.slice(i).join('.')), heads: parts };
    if (paths.size < MAX_PATHS) paths.set(path, p);
  }
  return p;
}

/** Returns the values at `path` (empty when the field is absent); `null` values are kept. */
export function fieldValues(record: unknown, path: string): unknown[] {
  const out: unknown[] = [];
  collect(record, fieldPath(path), 0, out);
  return out;
}

function collect(cur: unknown, path: FieldPath, step: number, out: unknown[]): void {
  if (Array.isArray(cur)) {
    for (const el of cur) collect(el, path, step, out);
    return;
  }
  if (!isObj(cur)) return;
  const rest = path.rests[step]!;
  const whole = own(cur, rest);
  if (whole !== ABSENT) {
    push(whole, out);
    return;
  }
  if (step + 1 === path.heads.length) return;
  const next = own(cur, path.heads[step]!);
  if (next !== ABSENT) collect(next, path, step + 1, out);
}

const ABSENT = Symbol('absent');
const OBJECT_PROTOTYPE: unknown = Object.prototype;

/**
 * `obj[key]` when `obj` has it as its own key, else ABSENT. One property read in the usual cases: parsed
 * JSON holds no `undefined` and no functions, so only a value that could come from the prototype
 * (`constructor`, `toString`, `__proto__`...) needs the slower own-key check.
 */
function own(obj: Obj, key: string): unknown {
  const v = obj[key];
  if (v === undefined) return ABSENT;
  if (typeof v === 'function' || v === OBJECT_PROTOTYPE) return Object.hasOwn(obj, key) ? v : ABSENT;
  return v;
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
    return (s.texts ??= texts((s.values ??= fieldValues(this.current, path))));
  }

  /** Each value's text, lower-cased (Sigma matches strings case-insensitively). */
  lowerText(path: string): (string | null)[] {
    const s = this.slot(path);
    return (s.lower ??= lowered(this.text(path)));
  }
}

/**
 * The texts of a field's values. Most fields hold strings only, whose texts are themselves: the values
 * array is then returned as it is, so a record costs no second array per field read.
 */
function texts(values: unknown[]): (string | null)[] {
  for (const v of values) if (typeof v !== 'string') return values.map(valueText);
  return values as string[];
}

/** The texts lower-cased; the same array when lower-casing changes none (V8 returns an unchanged string as is). */
function lowered(texts: (string | null)[]): (string | null)[] {
  for (let i = 0; i < texts.length; i++) {
    const t = texts[i]!;
    if (t !== null && t.toLowerCase() !== t) return texts.map((x) => (x === null ? null : x.toLowerCase()));
  }
  return texts;
}
