import { isObj } from './fields';
import { RuleError } from './types';

/** A Sigma v2 correlation rule's `correlation` block, validated. */
export interface CorrelationDef {
  type: 'event_count' | 'value_count' | 'temporal' | 'temporal_ordered';
  /** Names or ids of the rules (detection or correlation) it correlates, in order. */
  rules: string[];
  groupBy: string[];
  /** Window length in milliseconds. */
  timespanMs: number;
  /** Count condition (event_count, value_count); all given bounds must hold. */
  condition: { gt?: number; gte?: number; lt?: number; lte?: number; eq?: number; neq?: number } | null;
  /** value_count: the field whose distinct values are counted. */
  field: string | null;
  /** Field aliases: alias -> (rule name or id -> field of that rule's events). */
  aliases: Record<string, Record<string, string>>;
  /** True: the referenced rules are detections in their own right too (Sigma's default is false). */
  generate: boolean;
}

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

export function parseTimespan(v: unknown): number {
  const m = typeof v === 'string' ? /^(\d+)\s*([smhdw])$/.exec(v.trim()) : null;
  if (!m || Number(m[1]) <= 0) throw new RuleError(`correlation.timespan "${String(v)}" is not a duration like 10m, 1h or 30s`);
  return Number(m[1]) * UNITS[m[2]!]!;
}

const OPS = ['gt', 'gte', 'lt', 'lte', 'eq', 'neq'] as const;

export function parseCorrelation(c: unknown): CorrelationDef {
  if (!isObj(c)) throw new RuleError('correlation is not a map');
  const type = c.type;
  if (type !== 'event_count' && type !== 'value_count' && type !== 'temporal' && type !== 'temporal_ordered')
    throw new RuleError(`correlation.type "${String(type)}" is not supported (event_count, value_count, temporal, temporal_ordered)`);
  const rules = typeof c.rules === 'string' ? [c.rules] : c.rules;
  if (!Array.isArray(rules) || rules.length === 0 || !rules.every((r) => typeof r === 'string' && r !== ''))
    throw new RuleError('correlation.rules must name at least one rule');
  if ((type === 'temporal' || type === 'temporal_ordered') && rules.length < 2)
    throw new RuleError(`correlation.type ${type} needs at least two rules`);
  const gb = c['group-by'] ?? [];
  const groupBy = typeof gb === 'string' ? [gb] : gb;
  if (!Array.isArray(groupBy) || !groupBy.every((f) => typeof f === 'string' && f !== ''))
    throw new RuleError('correlation.group-by must be a list of field names');
  const timespanMs = parseTimespan(c.timespan);
  let condition: CorrelationDef['condition'] = null;
  let field: string | null = null;
  if (type === 'event_count' || type === 'value_count') {
    if (!isObj(c.condition)) throw new RuleError(`correlation.condition is required for ${type} (e.g. gte: 5)`);
    condition = {};
    for (const [k, v] of Object.entries(c.condition)) {
      if (k === 'field' && type === 'value_count') {
        if (typeof v !== 'string' || v === '') throw new RuleError('correlation.condition.field must be a field name');
        field = v;
        continue;
      }
      if (!(OPS as readonly string[]).includes(k)) throw new RuleError(`correlation.condition.${k} is not supported (${OPS.join(', ')})`);
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new RuleError(`correlation.condition.${k} must be a number`);
      condition[k as (typeof OPS)[number]] = v;
    }
    if (Object.keys(condition).length === 0) throw new RuleError('correlation.condition has no bound (gte, gt, lte, lt, eq)');
    if (type === 'value_count' && !field) throw new RuleError('correlation.condition.field is required for value_count');
  } else if (c.condition !== undefined) throw new RuleError(`correlation.condition is not used by ${type}`);
  const aliases: CorrelationDef['aliases'] = {};
  if (c.aliases !== undefined) {
    if (!isObj(c.aliases)) throw new RuleError('correlation.aliases must be a map');
    for (const [alias, map] of Object.entries(c.aliases)) {
      if (!isObj(map) || !Object.values(map).every((f) => typeof f === 'string'))
        throw new RuleError(`correlation.aliases.${alias} must map rule names to field names`);
      aliases[alias] = map as Record<string, string>;
    }
  }
  if (c.generate !== undefined && typeof c.generate !== 'boolean') throw new RuleError('correlation.generate must be true or false');
  return {
    type,
    rules: rules as string[],
    groupBy: groupBy as string[],
    timespanMs,
    condition,
    field,
    aliases,
    generate: c.generate === true,
  };
}

/** True when a count meets every bound of the condition. */
export function meets(cond: NonNullable<CorrelationDef['condition']>, n: number): boolean {
  return (
    (cond.gt === undefined || n > cond.gt) &&
    (cond.gte === undefined || n >= cond.gte) &&
    (cond.lt === undefined || n < cond.lt) &&
    (cond.lte === undefined || n <= cond.lte) &&
    (cond.eq === undefined || n === cond.eq) &&
    (cond.neq === undefined || n !== cond.neq)
  );
}
