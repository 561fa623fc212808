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
  return disagree(held, incoming, true);
}

function disagree(a: unknown, b: unknown, top = false): boolean {
  if (a === null || b === null || a === undefined || b === undefined) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b)) return false;
    return a.length !== b.length || a.some((v, i) => disagree(v, b[i]));
  }
  if (typeof a === 'object' || typeof b === 'object') {
    if (typeof a !== 'object' || typeof b !== 'object') return false;
    const x = a as Record<string, unknown>;
    const y = b as Record<string, unknown>;
    for (const k of Object.keys(x)) {
      if (top && IDENTITY_FIELDS.has(k)) continue;
      if (Object.hasOwn(y, k) && disagree(x[k], y[k])) return true;
    }
    return false;
  }
  return String(a) !== String(b);
}
