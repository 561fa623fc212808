import type { Migration } from './types';

/**
 * Placeholders for migration numbers assigned to branches that have not
 * merged yet (007-011), so that this branch's 012 follows an unbroken
 * sequence and the runner's gap check holds. They change nothing. The
 * integrator replaces them with the real migrations when those branches
 * merge; this file then goes away.
 */
export function reserved(from: number, to: number): Migration[] {
  const out: Migration[] = [];
  for (let v = from; v <= to; v++) out.push({ version: v, name: `reserved-${String(v).padStart(3, '0')}`, up: () => undefined });
  return out;
}
