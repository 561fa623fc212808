import { AppError } from '../core/errors';

/**
 * Resolves `{ "$ref": "step.Path" }` placeholders against earlier steps'
 * results and `{ "$now": ... }` against the clock. Paths are dot-separated;
 * `Name[*]` maps over an array and `Name[Key=value]` picks the element whose
 * Key equals value, so a plan can say "the snapshot of vol-1" before it exists.
 */
export function resolveRefs(value: unknown, results: ReadonlyMap<string, unknown>, now: string): unknown {
  if (Array.isArray(value)) return value.map((v) => resolveRefs(v, results, now));
  if (value && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    if (typeof obj.$ref === 'string' && Object.keys(obj).length === 1) return lookup(obj.$ref, results);
    if ('$now' in obj && Object.keys(obj).length === 1) return now;
    return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, resolveRefs(v, results, now)]));
  }
  return value;
}

function lookup(path: string, results: ReadonlyMap<string, unknown>): unknown {
  const [stepKey, ...parts] = path.split('.');
  if (!results.has(stepKey!)) {
    throw new AppError(
      'plan-ref-missing',
      `A step needs the result of step "${stepKey}", which has not succeeded.`,
      'Resume the action so the earlier step runs first.',
    );
  }
  let cur: unknown = results.get(stepKey!);
  for (const part of parts) cur = segment(cur, part, path);
  if (cur === undefined)
    throw new AppError(
      'plan-ref-missing',
      `The result of step "${stepKey}" has no ${path}.`,
      "AWS returned less than expected; look at that step's result and report it.",
    );
  return cur;
}

function segment(cur: unknown, part: string, path: string): unknown {
  const m = /^([^[\]]+)(?:\[(\*|[^=\]]+=[^\]]*)\])?$/.exec(part);
  if (!m)
    throw new AppError(
      'plan-ref-invalid',
      `Invalid reference ${path}.`,
      'This plan was built by another version of Lariat; plan the action again.',
    );
  const [, name, sel] = m;
  const v = Array.isArray(cur)
    ? cur.map((x) => (x as Record<string, unknown>)?.[name!])
    : (cur as Record<string, unknown> | undefined)?.[name!];
  if (!sel || sel === '*') return v;
  const [k, want] = sel.split('=', 2) as [string, string];
  return Array.isArray(v) ? v.find((x) => String((x as Record<string, unknown>)?.[k]) === want) : undefined;
}
