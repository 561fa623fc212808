import type { IndicatorLookup } from '../../../common/contract/detection';

type CaseHit = IndicatorLookup['cases'][number];

/** "12 events", "3 events, 1 finding": what a case holds of a value. */
export function hitSummary(c: CaseHit): string {
  const parts: string[] = [];
  const n = (count: number, one: string) => count > 0 && parts.push(`${count} ${one}${count === 1 ? '' : 's'}`);
  n(c.events, 'event');
  n(c.findings, 'finding');
  n(c.iocs, 'IOC');
  n(c.bundle, 'bundle record');
  return parts.join(', ') || 'listed';
}
