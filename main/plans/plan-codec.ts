import { createHash } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { AppError } from '../core/errors';
import { MAX_PLAN_BYTES, Plan } from '../../common/contract/plan-schema';

/** Words for the first few problems zod found, each with the path of the field ("tasks[3].binding.action: ..."). */
export function describeIssues(error: z.ZodError, max = 5): string {
  const parts = error.issues.slice(0, max).map((i) => {
    const path = i.path
      .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
      .join('')
      .replace(/^\./, '');
    return `${path || 'plan'}: ${i.message}`;
  });
  const more = error.issues.length > max ? ` (and ${error.issues.length - max} more)` : '';
  return parts.join('; ') + more;
}

function invalid(where: string, detail: string): AppError {
  return new AppError(
    'invalid-plan',
    `${where} is not a valid Lariat plan: ${detail}.`,
    'Fix the field named above (the format is described in docs/plans.md, and `lariat plan export` shows a valid plan); nothing was stored.',
  );
}

/** Validates an already-parsed value as a plan, naming the first bad fields. */
export function validatePlan(value: unknown, where: string): Plan {
  const r = Plan.safeParse(value);
  if (!r.success) throw invalid(where, describeIssues(r.error));
  return r.data;
}

/**
 * Reads a plan from JSON text that may be hostile: bounded size, JSON.parse
 * guarded (deep nesting throws a RangeError, which becomes a plain refusal),
 * then the strict schema (unknown keys such as `__proto__` are refused).
 */
export function parsePlanJson(text: string, where = 'The plan'): Plan {
  if (Buffer.byteLength(text, 'utf8') > MAX_PLAN_BYTES) throw invalid(where, `it is larger than ${MAX_PLAN_BYTES} bytes`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw invalid(where, `it is not JSON (${err instanceof Error ? err.message.slice(0, 200) : 'unreadable'})`);
  }
  return validatePlan(value, where);
}

/** Reads a playbook file: YAML (a superset of JSON), with aliases capped so a "billion laughs" file cannot explode. */
export function parsePlanYaml(text: string, where: string): Plan {
  if (Buffer.byteLength(text, 'utf8') > MAX_PLAN_BYTES) throw invalid(where, `it is larger than ${MAX_PLAN_BYTES} bytes`);
  let value: unknown;
  try {
    value = parseYaml(text, { maxAliasCount: 50, prettyErrors: false, uniqueKeys: true });
  } catch (err) {
    throw invalid(where, `it is not readable YAML (${err instanceof Error ? err.message.split('\n')[0]!.slice(0, 200) : 'unreadable'})`);
  }
  return validatePlan(value, where);
}

/** The portable JSON of a plan (two-space indented, keys in schema order). */
export function serializePlan(plan: Plan): string {
  return `${JSON.stringify(plan, null, 2)}\n`;
}

/** SHA-256 of the serialized plan: names exactly which version a case was started from. */
export function planDigest(plan: Plan): string {
  return createHash('sha256').update(serializePlan(plan)).digest('hex');
}
