import { useCallback, useMemo } from 'react';
import type { TabProps } from '../case/tab-types';
import { useCall } from '../../lib/api';
import { caseTabPath, navigate } from '../../lib/router';
import { ErrorBox } from '../../components/error-box';
import { EmptyState } from '../../components/empty-state';
import type { TimelineColumn } from '../../../common/contract/timeline';
import { filterFromQuery, queryFromFilter, withWhere, type ViewFilter } from './filter-state';
import { useTimelinePages } from './use-timeline';
import { FilterBar } from './filter-bar';
import { EventTable } from './event-table';
import { EventPanel } from './event-panel';
import { DropZone, ImportBar, useImport } from './import-bar';
import './timeline.css';

/**
 * The case timeline: every imported event in UTC order, filtered from the
 * route query (so pivots are links), virtualized, with the raw record of the
 * selected event beside it. Files dropped here are imported.
 */
export function TimelineTab({ caseRecord, query }: TabProps) {
  const caseNumber = caseRecord.number;
  const filter = useMemo(() => filterFromQuery(query), [query]);
  const selectedParam = Number(query.get('event'));
  const selected = Number.isInteger(selectedParam) && selectedParam > 0 ? selectedParam : null;
  const go = useCallback(
    (f: ViewFilter, sel: number | null = null) => navigate(caseTabPath(caseNumber, 'timeline'), queryFromFilter(f, sel)),
    [caseNumber],
  );
  const pages = useTimelinePages(caseNumber, filter);
  const count = useCall('countTimeline', { caseNumber, ...filter });
  const importer = useImport(caseNumber);
  const events = useMemo(() => pages.data?.pages.flatMap((p) => p.events) ?? [], [pages.data]);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = pages;
  const loadMore = useCallback(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);
  const pivot = useCallback(
    (column: TimelineColumn, value: string) => go(withWhere(filter, column, value), selected),
    [filter, go, selected],
  );
  const filtered = Object.values(filter).some((v) => v !== undefined);

  return (
    <DropZone state={importer} readOnly={caseRecord.readOnly} className="tl">
      <FilterBar filter={filter} onChange={(f) => go(f, selected)} />
      <div className="tl-status">
        <span aria-live="polite" data-testid="timeline-count">
          {count.data ? `${count.data.count.toLocaleString('en-US')}${count.data.exact ? '' : '+'} events` : '…'}
          {filtered ? ' match' : ''}
        </span>
        {filtered && (
          <button type="button" className="btn btn-ghost btn-xs" onClick={() => go({})}>
            Clear filters
          </button>
        )}
        <span className="grow" />
        <ImportBar state={importer} readOnly={caseRecord.readOnly} />
      </div>
      <ErrorBox error={pages.error ?? count.error} />
      {pages.data && events.length === 0 ? (
        filtered ? (
          <EmptyState title="No event matches these filters">Remove a filter chip above, or clear all filters.</EmptyState>
        ) : (
          <EmptyState title="No events yet">
            Drop CloudTrail, GuardDuty, Security Hub or VPC Flow Log files (.json, .json.gz, folders) here, or use Import files…
          </EmptyState>
        )
      ) : (
        <div className="tl-body">
          <EventTable
            events={events}
            hasMore={!!hasNextPage}
            loadMore={loadMore}
            selected={selected}
            onSelect={(id) => go(filter, id)}
            onPivot={pivot}
          />
          {selected && (
            <EventPanel
              caseNumber={caseNumber}
              eventId={selected}
              readOnly={caseRecord.readOnly}
              onPivot={pivot}
              onClose={() => go(filter)}
            />
          )}
        </div>
      )}
    </DropZone>
  );
}
