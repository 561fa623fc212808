import type { IndicatorType } from '../../../common/contract/detection';
import { classify } from './classify';

/** Keys whose string values are user agents (any other string is indexed only when it looks like an indicator). */
const UA_KEYS = /^(useragent|user_agent|userAgent|UserAgent)$/;
/** Keys whose 12-digit values are account ids (a bare 12-digit number elsewhere is usually something else). */
const ACCOUNT_KEYS = /account/i;

/**
 * Every indicator in a JSON document (a finding, a bundle's case data):
 * each string leaf that is an IP, key id, ARN, hash or domain, user agents
 * by key, and 12-digit account ids under account keys.
 */
export function indicatorsIn(doc: unknown): { type: IndicatorType; value: string }[] {
  const out = new Map<string, { type: IndicatorType; value: string }>();
  const add = (type: IndicatorType, value: string): void => void out.set(`${type}\n${value}`, { type, value });
  const walk = (x: unknown, key: string, depth: number): void => {
    if (depth > 64) return;
    if (typeof x === 'string') {
      if (UA_KEYS.test(key) && x.trim()) return add('user-agent', x);
      const t = classify(x);
      if (t && (t !== 'account-id' || ACCOUNT_KEYS.test(key)) && !(t === 'ip' && (x === '0.0.0.0' || x === '::'))) add(t, x);
    } else if (typeof x === 'number' && ACCOUNT_KEYS.test(key) && /^\d{12}$/.test(String(x))) add('account-id', String(x));
    else if (Array.isArray(x)) for (const el of x) walk(el, key, depth + 1);
    else if (x && typeof x === 'object') for (const [k, v] of Object.entries(x)) walk(v, k, depth + 1);
  };
  walk(doc, '', 0);
  return [...out.values()];
}
