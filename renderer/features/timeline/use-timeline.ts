import { useCallback, useMemo } from 'react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { call, useCall, type ApiError } from '../../lib/api';
import type { TimelinePage, TimelineSort } from '../../../common/contract/timeline';
import { splitByTime, type ViewFilter } from './filter-state';
import { tableRows } from './table-rows';

export const PAGE_SIZE = 200;

/** Pages of the timeline, fetched one keyset page at a time as the table scrolls. */
function usePages(caseNumber: string, filter: ViewFilter | null, sort: TimelineSort, enabled: boolean) {
  return useInfiniteQuery<TimelinePage, ApiError, { pages: TimelinePage[] }, unknown[], string | undefined>({
    queryKey: ['queryTimeline', caseNumber, { ...filter, sort }],
    queryFn: ({ pageParam }) => call('queryTimeline', { caseNumber, ...filter, sort, cursor: pageParam, limit: PAGE_SIZE }),
    initialPageParam: undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: enabled && filter !== null,
  });
}

/**
 * The table's lines for a filter and an order: the timed events, then the events without a time as their
 * own group at the end (fetched only once every timed event is loaded), with one `loadMore` for both.
 */
export function useTimeline(caseNumber: string, filter: ViewFilter, sort: TimelineSort) {
  const split = useMemo(() => splitByTime(filter), [filter]);
  const histogram = useCall('timelineHistogram', { caseNumber, ...filter, buckets: 120 });
  const untimedCount = histogram.data?.untimed ?? 0;
  const timed = usePages(caseNumber, split.timed, sort, true);
  const timedDone = timed.isSuccess && !timed.hasNextPage;
  const untimed = usePages(caseNumber, split.untimed, 'oldest', timedDone && untimedCount > 0);
  const timedEvents = useMemo(() => timed.data?.pages.flatMap((p) => p.events) ?? [], [timed.data]);
  const untimedEvents = useMemo(() => untimed.data?.pages.flatMap((p) => p.events) ?? [], [untimed.data]);
  const untimedMore = untimedCount > 0 && split.untimed !== null && (!untimed.data || untimed.hasNextPage);
  // A failed page is not "loading more": the error box says what happened (the table said "Loading more…" forever).
  const timedMore = !timedDone && !timed.isError;
  const rows = useMemo(
    () => tableRows(timedEvents, timedMore, untimedEvents, untimedMore && !untimed.isError, split.untimed ? untimedCount : 0),
    [timedEvents, timedMore, untimedEvents, untimedMore, untimed.isError, untimedCount, split.untimed],
  );
  const loadMore = useCallback(() => {
    if (timed.hasNextPage) {
      if (!timed.isFetchingNextPage) void timed.fetchNextPage();
    } else if (untimed.hasNextPage && !untimed.isFetchingNextPage) void untimed.fetchNextPage();
  }, [timed, untimed]);
  return {
    rows,
    histogram,
    loaded: timed.isSuccess,
    empty: timed.isSuccess && timedEvents.length === 0 && untimedCount === 0,
    complete: timedDone && !untimedMore,
    error: timed.error ?? untimed.error ?? histogram.error,
    loadMore,
  };
}
