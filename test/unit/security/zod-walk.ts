import fc from 'fast-check';
import type { z } from 'zod';

/** The parts of a zod 4 schema definition the walker reads (zod's own internals, typed loosely). */
interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  innerType?: z.ZodType;
  options?: z.ZodType[];
  in?: z.ZodType;
  out?: z.ZodType;
  keyType?: z.ZodType;
  valueType?: z.ZodType;
  items?: z.ZodType[];
  entries?: Record<string, string | number>;
  values?: unknown[];
  checks?: unknown[];
  getter?: () => z.ZodType;
}

export const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** Every schema node under `schema` (itself included), each with its path for messages. */
export function walk(schema: z.ZodType, at = 'input', seen = new Set<z.ZodType>()): { node: z.ZodType; at: string }[] {
  if (seen.has(schema)) return [];
  seen.add(schema);
  const d = defOf(schema);
  const out = [{ node: schema, at }];
  const kids: [z.ZodType | undefined, string][] = [];
  if (d.shape) for (const [k, v] of Object.entries(d.shape)) kids.push([v, `${at}.${k}`]);
  kids.push([d.element, `${at}[]`], [d.innerType, at], [d.in, at], [d.out, at], [d.keyType, `${at}{key}`], [d.valueType, `${at}{}`]);
  for (const [i, o] of (d.options ?? []).entries()) kids.push([o, `${at}|${i}`]);
  for (const [i, o] of (d.items ?? []).entries()) kids.push([o, `${at}[${i}]`]);
  if (d.type === 'lazy' && d.getter) kids.push([d.getter(), at]);
  for (const [k, p] of kids) if (k) out.push(...walk(k, p, seen));
  return out;
}

/** Strings an attacker would try in any text field. */
export const HOSTILE_STRINGS: readonly string[] = [
  '',
  ' ',
  '\0',
  'a\0b',
  '\uD800',
  'x\uDC00y',
  '\uDBFF\uDBFF',
  '😀',
  '../../../../etc/passwd',
  '..\\..\\..\\Windows\\win.ini',
  '/etc/passwd',
  'C:\\Windows\\System32\\config\\SAM',
  '\\\\?\\C:\\x',
  'file:///etc/shadow',
  '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  '__proto__',
  'constructor',
  'prototype',
  "'; DROP TABLE cases; --",
  '" OR 1=1 --',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  'javascript:alert(1)',
  '${7*7}{{7*7}}',
  '\u202Egnp.exe',
  'IR-2026-0001\0',
  'IR-2026-0001\uD800',
  'ft_../../../../etc/passwd',
  `ft_${'0'.repeat(32)}`,
  `ft_${'f'.repeat(32)}`,
  `ft_${'a'.repeat(31)}`,
  'x'.repeat(300_001),
  '\u0000'.repeat(1000),
];

/** Plausible values, so that structurally valid inputs also reach the operations. */
export const PLAUSIBLE_STRINGS: readonly string[] = [
  'IR-2026-0001',
  'ir-2026-0001',
  'IR-2026-0999',
  'eu-west-1',
  'us-east-1',
  '123456789012',
  'i-0abc1234def567890',
  'A title',
  'note body',
  'web',
  'any',
  'json',
  'low',
  'open',
  '2026-12-31',
  '2026-11-27T10:00:00Z',
  'arn:aws:iam::123456789012:role/Responder',
  'https://localhost.invalid/',
  '00000000-0000-4000-8000-000000000000',
];

/** Numbers that break naive code. */
const HOSTILE_NUMBERS = [0, -1, 1, 2, 3, 1.5, -0, 2 ** 31, 2 ** 53, -(2 ** 53), Number.MAX_VALUE, Number.NaN, Infinity, -Infinity, 1e-300];

/**
 * An arbitrary for inputs shaped like `schema` (so many pass validation and reach the service)
 * whose leaves are hostile: attacker strings, extreme numbers, forged tokens.
 */
export function shaped(schema: z.ZodType, extraStrings: readonly string[] = [], depth = 0): fc.Arbitrary<unknown> {
  const d = defOf(schema);
  if (depth > 8) return fc.anything({ maxDepth: 1 });
  const str = fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom(...PLAUSIBLE_STRINGS, ...extraStrings) },
    { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  );
  switch (d.type) {
    case 'string': {
      // The plausible values this very field accepts, so most generated inputs get past validation.
      const valid = [...PLAUSIBLE_STRINGS, ...extraStrings].filter((v) => schema.safeParse(v).success);
      if (!valid.length) return str;
      // ...and the same values with a NUL or a lone surrogate slipped in: text that looks right but is not.
      const tainted = fc
        .tuple(fc.constantFrom(...valid), fc.constantFrom('\0', '\uD800', '\uDC00', '\uDBFF\uDBFF'), fc.nat())
        .map(([v, bad, at]) => v.slice(0, at % (v.length + 1)) + bad + v.slice(at % (v.length + 1)));
      return fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(...valid) },
        { weight: 2, arbitrary: tainted },
        { weight: 2, arbitrary: str },
      );
    }
    case 'number':
    case 'int':
      return fc.oneof(fc.constantFrom(...HOSTILE_NUMBERS), fc.integer({ min: -5, max: 50 }));
    case 'boolean':
      return fc.boolean();
    case 'enum':
      return fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...Object.values(d.entries ?? { x: 'x' })) }, { weight: 1, arbitrary: str });
    case 'literal':
      return fc.constantFrom(...(d.values ?? [null]));
    case 'null':
      return fc.constant(null);
    case 'object': {
      const entries = Object.entries(d.shape ?? {});
      const shape = Object.fromEntries(entries.map(([k, v]) => [k, shaped(v, extraStrings, depth + 1)]));
      const required = entries.filter(([, v]) => !['optional', 'default', 'prefault'].includes(defOf(v).type)).map(([k]) => k);
      // Mostly with every required field (so the input can pass), sometimes with any subset.
      return fc.oneof(
        { weight: 4, arbitrary: fc.record(shape, { requiredKeys: required }) },
        { weight: 1, arbitrary: fc.record(shape, { requiredKeys: [] }) },
      );
    }
    case 'array':
      return fc.array(shaped(d.element!, extraStrings, depth + 1), { maxLength: 4 });
    case 'optional':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'nonoptional':
    case 'catch':
      return fc.option(shaped(d.innerType!, extraStrings, depth + 1), { nil: undefined, freq: 4 });
    case 'nullable':
      return fc.option(shaped(d.innerType!, extraStrings, depth + 1), { nil: null, freq: 4 });
    case 'union':
      return fc.oneof(...(d.options ?? []).map((o) => shaped(o, extraStrings, depth + 1)));
    case 'pipe':
      return shaped(d.in!, extraStrings, depth + 1);
    default:
      return fc.anything({ maxDepth: 2 });
  }
}

/** Values no schema should take: wrong types, huge and deep structures, prototype keys. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.anything({
    maxDepth: 3,
    withNullPrototype: true,
    withBigInt: true,
    withDate: true,
    withMap: true,
    withSet: true,
    withTypedArray: true,
  }),
  fc.constantFrom<unknown>(
    undefined,
    null,
    42,
    'IR-2026-0001',
    [],
    [[[[[]]]]],
    JSON.parse('{"__proto__": {"polluted": true}}'),
    JSON.parse('{"constructor": {"prototype": {"polluted": true}}}'),
    JSON.parse('{"caseNumber": "IR-2026-0001", "__proto__": {"polluted": true}}'),
    deep(5_000),
    { huge: 'x'.repeat(2_000_000) },
    Array.from({ length: 100_000 }, (_, i) => i),
  ),
);

/** An object nested `n` levels deep, as JSON.parse would give (no recursion to build it). */
function deep(n: number): unknown {
  let v: unknown = { leaf: true };
  for (let i = 0; i < n; i++) v = { a: v };
  return v;
}

/** Adds a `__proto__` own key (as JSON.parse makes) to an object input. */
export function withProtoKey(v: unknown): unknown {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return v;
  return { ...(v as Record<string, unknown>), ...JSON.parse('{"__proto__": {"polluted": true}}') };
}
