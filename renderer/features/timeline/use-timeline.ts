import { useInfiniteQuery } from '@tanstack/react-query';
import { call, type ApiError } from '../../lib/api';
import type { TimelinePage } from '../../../common/contract/timeline';
import type { ViewFilter } from './filter-state';

export const PAGE_SIZE = 200;

/** Pages of the timeline, fetched one keyset page at a time as the table scrolls. */
export function useTimelinePages(caseNumber: string, filter: ViewFilter) {
  return useInfiniteQuery<TimelinePage, ApiError, { pages: TimelinePage[] }, unknown[], string | undefined>({
    queryKey: ['queryTimeline', caseNumber, filter],
    queryFn: ({ pageParam }) => call('queryTimeline', { caseNumber, ...filter, cursor: pageParam, limit: PAGE_SIZE }),
    initialPageParam: undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}
