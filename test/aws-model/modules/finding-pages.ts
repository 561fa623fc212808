import type { CallContext } from '../types';

/**
 * One page of a list, as GuardDuty and Security Hub page: MaxResults up to
 * `allowed`, at most min(MaxResults, limit) items, and an opaque NextToken that is only valid
 * for the same request (another request's token is the service's
 * invalid-input error, as AWS answers it).
 */
export function pageOf<T, S>(
  ctx: CallContext<S>,
  items: readonly T[],
  p: { max?: number; allowed: number; limit: number; token?: string; request: string },
  invalidCode: string,
): { items: T[]; next: string | null } {
  if (p.max !== undefined && (p.max < 1 || p.max > p.allowed || !Number.isInteger(p.max)))
    return ctx.error(invalidCode, `MaxResults must be between 1 and ${p.allowed}.`, 400);
  const size = Math.min(p.max ?? p.limit, p.limit);
  let start = 0;
  if (p.token) {
    const m = /^(\d+):(.*)$/s.exec(Buffer.from(p.token, 'base64').toString('utf8'));
    if (!m || m[2] !== p.request) return ctx.error(invalidCode, 'The request is rejected because the input nextToken is invalid.', 400);
    start = Number(m[1]);
  }
  const next = start + size < items.length ? Buffer.from(`${start + size}:${p.request}`).toString('base64') : null;
  return { items: items.slice(start, start + size), next };
}
