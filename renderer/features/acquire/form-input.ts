/**
 * Pure helpers shared by the acquisition and inbox forms: what the investigator types (comma-separated
 * lists, datetime-local values) becomes what the contract expects. Main validates again; these only shape.
 */

/**
 * "eu-west-1, us-east-1" → ['eu-west-1', 'us-east-1']; empty → undefined (the case's own list applies).
 * `commasOnly` for values that may hold spaces (Security Hub types such as "TTPs/Initial Access/...").
 */
export function listOf(text: string, commasOnly = false): string[] | undefined {
  const items = text
    .split(commasOnly ? /,/ : /[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  return items.length ? [...new Set(items)] : undefined;
}

/** A datetime-local value (no zone) read as UTC, as every time in Lariat is; a bare date stays a date. */
export function utcInstant(value: string): string {
  const v = value.trim();
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(v)) return `${v}:00Z`;
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/.test(v)) return `${v}Z`;
  return v;
}

/** The window of a form, or undefined when both ends are empty (a half-filled window is sent for main to refuse). */
export function windowOf(from: string, to: string): { from: string; to: string } | undefined {
  if (!from.trim() && !to.trim()) return undefined;
  return { from: utcInstant(from), to: utcInstant(to) };
}

/** A default window: the last `days` days up to now, as datetime-local values in UTC. */
export function lastDays(days: number, now = Date.now()): { from: string; to: string } {
  const fmt = (ms: number) => new Date(ms).toISOString().slice(0, 16);
  return { from: fmt(now - days * 86_400_000), to: fmt(now) };
}

/** Estimated Athena cost in dollars, to the cent (a query under a cent shows as "< $0.01"). */
export function formatUsd(usd: number): string {
  if (usd > 0 && usd < 0.01) return '< $0.01';
  return `$${usd.toFixed(2)}`;
}

/** The one LookupEvents filter the form names (LookupEvents takes one attribute per request). */
export type LookupFilter = 'none' | 'principal' | 'accessKeyId' | 'eventName' | 'resourceName' | 'eventSource';
export function lookupFilter(kind: LookupFilter, value: string): Record<string, string> {
  const v = value.trim();
  return kind === 'none' || !v ? {} : { [kind]: v };
}
