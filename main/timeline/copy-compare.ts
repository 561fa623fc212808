import { cloudTrailView } from './importers/cloudtrail';

/**
 * Fields left out of the content comparison: the identity (eventID, account, time, name), which the finder has
 * matched already, and whose spelling differs between exports (CloudTrail Lake writes `2024-03-04 09:00:01.000`
 * where a trail writes `2024-03-04T09:00:01Z`).
 */
const IDENTITY_FIELDS = new Set(['eventID', 'eventTime', 'eventName', 'recipientAccountId']);

/**
 * True when two records of one CloudTrail event (same identity) say different things: a field both carry, at any
 * depth, with another value; requestParameters naming another bucket, responseElements another instance. A field
 * only one side has is no difference (exports differ in what they keep: Lake rows carry the selected columns, a
 * lookup-events entry wraps the event), nor is one spelled differently (Lake writes numbers and booleans as text,
 * structs as `{k=v}`), so only a real disagreement counts. An organisation trail's and an account trail's copies
 * agree; an altered copy of a real event does not, and must not be merged into it (the alteration would vanish).
 * Texts that are not JSON, or records that are not CloudTrail events (OCSF), are not compared here: false.
 */
export function copiesDisagree(heldText: string, newText: string): boolean {
  let held: unknown;
  let incoming: unknown;
  try {
    held = cloudTrailView(JSON.parse(heldText));
    incoming = cloudTrailView(JSON.parse(newText));
  } catch {
    return false;
  }
  if (!held || !incoming) return false;
  return disagree(held, incoming);
}

/**
 * Walks both values side by side with a stack of its own, not the call stack: a hostile record nested 200,000
 * deep is compared like any other (recursion overflowed, and the import failed as an unexpected error).
 */
function disagree(first: unknown, second: unknown): boolean {
  const pending: [unknown, unknown, boolean][] = [[first, second, true]];
  while (pending.length) {
    const [a, b, top] = pending.pop()!;
    if (a === null || b === null || a === undefined || b === undefined) continue;
    if (Array.isArray(a) || Array.isArray(b)) {
      if (!Array.isArray(a) || !Array.isArray(b)) continue;
      if (a.length !== b.length) return true;
      for (let i = 0; i < a.length; i++) pending.push([a[i], b[i], false]);
      continue;
    }
    if (typeof a === 'object' || typeof b === 'object') {
      if (typeof a !== 'object' || typeof b !== 'object') continue;
      const x = a as Record<string, unknown>;
      const y = b as Record<string, unknown>;
      for (const k of Object.keys(x)) {
        if (top && IDENTITY_FIELDS.has(k)) continue;
        if (Object.hasOwn(y, k)) pending.push([x[k], y[k], false]);
      }
      continue;
    }
    if (String(a) !== String(b)) return true;
  }
  return false;
}
