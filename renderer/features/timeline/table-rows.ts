import type { TimelineEvent } from '../../../common/contract/timeline';

/** One line of the virtualized table: an event, the heading of the "no time" group, or the "loading more" line. */
export type TableRow = { kind: 'event'; event: TimelineEvent } | { kind: 'untimed'; count: number } | { kind: 'more' };

/**
 * The lines of the table: timed events in the order asked, then (once every timed event is loaded) the
 * group of events without a time under its own heading, then a "loading more" line while pages remain.
 */
export function tableRows(
  timed: readonly TimelineEvent[],
  timedMore: boolean,
  untimed: readonly TimelineEvent[],
  /** More untimed events to fetch (or none fetched yet). */
  untimedMore: boolean,
  untimedCount: number,
): TableRow[] {
  const rows: TableRow[] = timed.map((event) => ({ kind: 'event', event }));
  if (timedMore) return [...rows, { kind: 'more' }];
  if (untimedCount > 0 || untimed.length > 0) {
    rows.push({ kind: 'untimed', count: Math.max(untimedCount, untimed.length) });
    for (const event of untimed) rows.push({ kind: 'event', event });
    if (untimedMore) rows.push({ kind: 'more' });
  }
  return rows;
}
