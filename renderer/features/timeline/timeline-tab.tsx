import { useCallback, useMemo, useState } from 'react';
import type { TabProps } from '../case/tab-types';
import { useCall } from '../../lib/api';
import { caseTabPath, navigate } from '../../lib/router';
import { ErrorBox } from '../../components/error-box';
import { EmptyState } from '../../components/empty-state';
import type { TimelineColumn, TimelineSort } from '../../../common/contract/timeline';
import { filterFromQuery, queryFromFilter, sortFromQuery, unappliedFromQuery, withWhere, type ViewFilter } from './filter-state';
import { UnappliedNotice } from './unapplied-notice';
import { useTimeline } from './use-timeline';
import { useColumns } from './use-columns';
import { FilterBar } from './filter-bar';
import { EventTable } from './event-table';
import { EventPanel } from './event-panel';
import { Histogram } from './histogram';
import { ColumnChooser } from './column-chooser';
import { CandidatesPanel } from './candidates-panel';
import { SidePanel } from './side-panel';
import { DropZone, ImportBar, ImportHistory, useImport } from './import-bar';
import './timeline.css';

/**
 * The case timeline: every imported event in the order asked (events without a time in their own group at
 * the end), filtered from the route query (so pivots are links), virtualized, with a histogram that narrows
 * the time range and the raw record of the selected event in a resizable side panel. Files dropped here are
 * imported.
 */
export function TimelineTab({ caseRecord, query }: TabProps) {
  const caseNumber = caseRecord.number;
  const filter = useMemo(() => filterFromQuery(query), [query]);
  const unapplied = useMemo(() => unappliedFromQuery(query), [query]);
  const sort = sortFromQuery(query);
  const selectedParam = Number(query.get('event'));
  const selected = Number.isInteger(selectedParam) && selectedParam > 0 ? selectedParam : null;
  const go = useCallback(
    (f: ViewFilter, sel: number | null = null, s: TimelineSort = sort) =>
      navigate(caseTabPath(caseNumber, 'timeline'), queryFromFilter(f, sel, s)),
    [caseNumber, sort],
  );
  const tl = useTimeline(caseNumber, filter, sort);
  const count = useCall('countTimeline', { caseNumber, ...filter });
  const importer = useImport(caseNumber);
  const [tableWidth, setTableWidth] = useState(1000);
  const [jump, setJump] = useState<{ to: 'start' | 'end'; n: number } | null>(null);
  const [candidates, setCandidates] = useState(false);
  const events = useMemo(() => tl.rows.flatMap((r) => (r.kind === 'event' ? [r.event] : [])), [tl.rows]);
  const cols = useColumns(caseNumber, events, tableWidth);
  const pivot = useCallback(
    (column: TimelineColumn, value: string) => go(withWhere(filter, column, value), selected),
    [filter, go, selected],
  );
  const filtered = Object.values(filter).some((v) => v !== undefined);
  // The end of a listing not yet loaded is the start of the other order.
  const toEnd = () => (tl.complete ? setJump({ to: 'end', n: Date.now() }) : go(filter, selected, sort === 'oldest' ? 'newest' : 'oldest'));

  return (
    <DropZone state={importer} readOnly={caseRecord.readOnly} className="tl">
      <FilterBar filter={filter} onChange={(f) => go(f, selected)} />
      <Histogram data={tl.histogram.data} onRange={(r) => go({ ...filter, ...r }, selected)} />
      <div className="tl-status">
        <span aria-live="polite" data-testid="timeline-count">
          {count.data
            ? `${count.data.count.toLocaleString('en-US')}${count.data.exact ? '' : '+'} events${filtered ? ' match' : ''}`
            : count.error
              ? 'Events not counted (see the error below)'
              : `…${filtered ? ' match' : ''}`}
        </span>
        {filtered && (
          <button type="button" className="btn btn-ghost btn-xs" onClick={() => go({})}>
            Clear filters
          </button>
        )}
        <select value={sort} onChange={(e) => go(filter, selected, e.target.value as TimelineSort)} aria-label="Sort order">
          <option value="oldest">Oldest first</option>
          <option value="newest">Newest first</option>
        </select>
        <button
          type="button"
          className="btn btn-xs"
          onClick={() => setJump({ to: 'start', n: Date.now() })}
          title="Scroll to the first event"
        >
          ⤒ Start
        </button>
        <button
          type="button"
          className="btn btn-xs"
          onClick={toEnd}
          title="Scroll to the last event (or, while pages remain, list the other way round)"
        >
          ⤓ End
        </button>
        <ColumnChooser shown={cols.columns} onToggle={cols.toggle} onReset={cols.reset} />
        <button type="button" className="btn btn-xs" aria-expanded={candidates} onClick={() => setCandidates((c) => !c)}>
          IOC candidates
        </button>
        <span className="grow" />
        <ImportBar state={importer} readOnly={caseRecord.readOnly} caseNumber={caseNumber} />
        <ImportHistory caseNumber={caseNumber} />
      </div>
      <ErrorBox error={tl.error ?? count.error} />
      <UnappliedNotice parts={unapplied} onRemove={() => go(filter, selected)} />
      {candidates && <CandidatesPanel caseNumber={caseNumber} readOnly={caseRecord.readOnly} onPivot={pivot} />}
      {tl.empty ? (
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
            rows={tl.rows}
            columns={cols.columns}
            widths={cols.widths}
            loadMore={tl.loadMore}
            selected={selected}
            onSelect={(id) => go(filter, id)}
            onPivot={pivot}
            onResize={cols.resize}
            jump={jump}
            onWidth={setTableWidth}
          />
          {selected && (
            <SidePanel>
              <EventPanel
                caseNumber={caseNumber}
                eventId={selected}
                readOnly={caseRecord.readOnly}
                onPivot={pivot}
                onClose={() => go(filter)}
              />
            </SidePanel>
          )}
        </div>
      )}
    </DropZone>
  );
}
