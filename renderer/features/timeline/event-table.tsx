import { useEffect, useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { TimelineColumn, TimelineEvent } from '../../../common/contract/timeline';

const ROW = 24;

/** "2024-01-15 10:30:00", with milliseconds only when there are some. */
const shortTime = (iso: string) => iso.replace('T', ' ').replace(/\.000Z$|Z$/, '');

interface Props {
  events: TimelineEvent[];
  hasMore: boolean;
  loadMore(): void;
  selected: number | null;
  onSelect(id: number): void;
  onPivot(column: TimelineColumn, value: string): void;
}

function V({ column, value, onPivot }: { column: TimelineColumn; value: string | null; onPivot: Props['onPivot'] }) {
  if (!value) return <span className="muted">—</span>;
  return (
    <button type="button" className="v" title={`Filter on ${value}`} onClick={(e) => (e.stopPropagation(), onPivot(column, value))}>
      {value}
    </button>
  );
}

/**
 * The dense, virtualized event table: only the visible rows exist in the DOM,
 * and the next keyset page is requested when the last loaded rows come into
 * view, so a million events scroll like a hundred. Click a value to pivot.
 */
export function EventTable({ events, hasMore, loadMore, selected, onSelect, onPivot }: Props) {
  const scroller = useRef<HTMLDivElement>(null);
  const v = useVirtualizer({
    count: events.length + (hasMore ? 1 : 0),
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW,
    overscan: 30,
  });
  const items = v.getVirtualItems();
  const lastIndex = items.length ? items[items.length - 1]!.index : 0;
  useEffect(() => {
    if (hasMore && lastIndex >= events.length - 50) loadMore();
  }, [lastIndex, events.length, hasMore, loadMore]);

  return (
    <div className="tl-scroll" ref={scroller} role="table" aria-label="Timeline events" aria-rowcount={events.length}>
      <div className="tl-head" role="row">
        <span role="columnheader" aria-label="Flagged">
          ⚑
        </span>
        <span role="columnheader">Time (UTC)</span>
        <span role="columnheader">Source</span>
        <span role="columnheader">Action</span>
        <span role="columnheader">Actor</span>
        <span role="columnheader">Source IP</span>
        <span role="columnheader">Resource</span>
        <span role="columnheader">Region</span>
        <span role="columnheader">Error</span>
        <span role="columnheader">Highlight</span>
      </div>
      <div style={{ height: v.getTotalSize(), position: 'relative' }}>
        {items.map((it) => {
          const e = events[it.index];
          const style = { position: 'absolute' as const, top: 0, left: 0, right: 0, transform: `translateY(${it.start}px)` };
          if (!e)
            return (
              <div key="more" className="tl-row muted" style={style}>
                Loading more…
              </div>
            );
          return (
            <div
              key={e.id}
              role="row"
              tabIndex={0}
              aria-selected={selected === e.id}
              className={`tl-row${selected === e.id ? ' selected' : ''}`}
              style={style}
              onClick={() => onSelect(e.id)}
              onKeyDown={(k) => k.key === 'Enter' && onSelect(e.id)}
              data-event-id={e.id}
            >
              <span>
                {e.flagged ? (
                  <span className="tl-flag" title="Flagged">
                    ⚑
                  </span>
                ) : (
                  ''
                )}
              </span>
              <span className="num mono" title={e.issues.join(', ')}>
                {e.time ? shortTime(e.time) : <em className="warn">no time</em>}
              </span>
              <span>
                <V column="source" value={e.source} onPivot={onPivot} />
              </span>
              <span>
                <V column="action" value={e.action} onPivot={onPivot} />
              </span>
              <span className="mono">
                <V column="actor" value={e.actor} onPivot={onPivot} />
              </span>
              <span className="mono">
                <V column="sourceIp" value={e.sourceIp} onPivot={onPivot} />
              </span>
              <span className="mono">
                <V column="resource" value={e.resource} onPivot={onPivot} />
              </span>
              <span>
                <V column="region" value={e.region} onPivot={onPivot} />
              </span>
              <span>
                <V column="errorCode" value={e.errorCode} onPivot={onPivot} />
              </span>
              <span>
                {e.highlight ? (
                  <span className="tl-hl">{e.highlight}</span>
                ) : e.severity ? (
                  <V column="severity" value={e.severity} onPivot={onPivot} />
                ) : (
                  ''
                )}
              </span>
            </div>
          );
        })}
      </div>
    </div>
  );
}
