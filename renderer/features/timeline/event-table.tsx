import { useEffect, useRef, type CSSProperties, type KeyboardEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { TimelineColumn, TimelineEvent } from '../../../common/contract/timeline';
import { COLUMN_BY_ID, ISSUE_MARK, cellText, shortTime, type ColumnId } from './columns';
import { ColumnHeader } from './column-header';
import type { TableRow } from './table-rows';

const ROW = 24;

interface Props {
  rows: TableRow[];
  columns: ColumnId[];
  widths: number[];
  loadMore(): void;
  selected: number | null;
  onSelect(id: number): void;
  onPivot(column: TimelineColumn, value: string): void;
  onResize(column: ColumnId, width: number): void;
  /** Bumped by "jump to start/end": scrolls to the first or last line. */
  jump: { to: 'start' | 'end'; n: number } | null;
  onWidth(width: number): void;
}

function V({
  column,
  value,
  text,
  title,
  onPivot,
}: {
  column: TimelineColumn;
  value: string;
  text?: string;
  title?: string;
  onPivot: Props['onPivot'];
}) {
  return (
    <button
      type="button"
      className="v"
      title={title ?? `Filter on ${value}`}
      onClick={(e) => (e.stopPropagation(), onPivot(column, value))}
    >
      {text ?? value}
    </button>
  );
}

/**
 * A record the import flagged (an altered copy or a reused eventID, a time taken from elsewhere...) is marked in
 * the row itself: a tooltip alone is found only by those who already suspect it.
 */
function IssueMark({ issues }: { issues: readonly string[] }) {
  return (
    <span className="tl-issue warn" role="img" aria-label={`Import issues: ${issues.join(', ')}`} title={issues.join(', ')}>
      {ISSUE_MARK}
    </span>
  );
}

const localTime = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

function Cell({ id, e, onPivot }: { id: ColumnId; e: TimelineEvent; onPivot: Props['onPivot'] }) {
  if (id === 'flag')
    return e.flagged ? (
      <span className="tl-flag" title="Flagged" aria-label="Flagged">
        ⚑
      </span>
    ) : null;
  if (id === 'time')
    return e.time ? (
      <span title={[`Local: ${localTime(e.time)}`, ...e.issues].join('\n')}>
        {shortTime(e.time)}
        {e.issues.length > 0 && <IssueMark issues={e.issues} />}
      </span>
    ) : (
      <em className="warn" title={e.issues.join(', ')}>
        no time
      </em>
    );
  if (id === 'highlight') {
    if (e.highlight) return <span className="tl-hl">{e.highlight}</span>;
    return e.severity ? <V column="severity" value={e.severity} onPivot={onPivot} /> : null;
  }
  const value = e[id];
  if (!value) return <span className="muted">—</span>;
  if (id === 'actor')
    return <V column="actor" value={value} text={cellText('actor', e)} title={`${value}\n(click to filter on it)`} onPivot={onPivot} />;
  if (id === 'principal')
    return <V column="principal" value={value} title={`${e.actor ?? value}\n(click to filter on principal ${value})`} onPivot={onPivot} />;
  return <V column={id} value={value} onPivot={onPivot} />;
}

/** Arrow keys move between rows (the rows in the DOM: the virtualizer keeps some beyond the view). */
function moveFocus(k: KeyboardEvent<HTMLDivElement>) {
  if (k.key !== 'ArrowDown' && k.key !== 'ArrowUp') return;
  k.preventDefault();
  const rows = [...(k.currentTarget.parentElement?.querySelectorAll<HTMLElement>('[data-event-id]') ?? [])];
  const i = rows.indexOf(k.currentTarget);
  rows[k.key === 'ArrowDown' ? i + 1 : i - 1]?.focus();
}

/**
 * The dense, virtualized event table: only the visible rows exist in the DOM, and the next keyset page is
 * requested when the last loaded rows come into view, so a million events scroll like a hundred. Columns
 * come from the column chooser; each can be resized from its header. Click a value to pivot.
 */
export function EventTable({ rows, columns, widths, loadMore, selected, onSelect, onPivot, onResize, jump, onWidth }: Props) {
  const scroller = useRef<HTMLDivElement>(null);
  const v = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => ROW, overscan: 30 });
  const items = v.getVirtualItems();
  const lastIndex = items.length ? items[items.length - 1]!.index : 0;
  useEffect(() => {
    if (rows[rows.length - 1]?.kind === 'more' && lastIndex >= rows.length - 50) loadMore();
  }, [lastIndex, rows, loadMore]);
  useEffect(() => {
    if (jump) v.scrollToIndex(jump.to === 'start' ? 0 : Math.max(0, rows.length - 1), { align: jump.to });
    // Only a new jump scrolls (its counter changes); new rows arriving must not.
  }, [jump]);
  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const ro = new ResizeObserver(() => onWidth(el.clientWidth));
    ro.observe(el);
    return () => ro.disconnect();
  }, [onWidth]);

  const total = widths.reduce((a, b) => a + b, 0);
  const grid = { gridTemplateColumns: widths.map((w) => `${w}px`).join(' '), width: total } satisfies CSSProperties;
  return (
    <div className="tl-scroll" ref={scroller} role="table" aria-label="Timeline events" aria-rowcount={rows.length + 1}>
      <div role="rowgroup" className="tl-headgroup">
        <div className="tl-head" role="row" aria-rowindex={1} style={grid}>
          {columns.map((id, i) => (
            <ColumnHeader key={id} def={COLUMN_BY_ID.get(id)!} width={widths[i]!} onResize={onResize} />
          ))}
        </div>
      </div>
      <div role="rowgroup" style={{ height: v.getTotalSize(), position: 'relative', width: total }}>
        {items.map((it) => {
          const r = rows[it.index]!;
          const style = { ...grid, position: 'absolute' as const, top: 0, left: 0, transform: `translateY(${it.start}px)` };
          if (r.kind !== 'event')
            return (
              <div key={r.kind} role="row" aria-rowindex={it.index + 2} className={`tl-row tl-${r.kind}`} style={style}>
                <div role="cell" className="tl-wide">
                  {r.kind === 'more'
                    ? 'Loading more…'
                    : `No time: ${r.count.toLocaleString('en-US')} event(s) whose record carried no usable time`}
                </div>
              </div>
            );
          const e = r.event;
          return (
            <div
              key={e.id}
              role="row"
              aria-rowindex={it.index + 2}
              tabIndex={selected === e.id || (selected === null && it.index === 0) ? 0 : -1}
              aria-selected={selected === e.id}
              className={`tl-row${selected === e.id ? ' selected' : ''}`}
              style={style}
              onClick={() => onSelect(e.id)}
              onKeyDown={(k) => (k.key === 'Enter' ? onSelect(e.id) : moveFocus(k))}
              data-event-id={e.id}
            >
              {columns.map((id) => (
                <div key={id} role="cell" data-col={id} className={COLUMN_BY_ID.get(id)!.mono ? 'mono num' : undefined}>
                  <Cell id={id} e={e} onPivot={onPivot} />
                </div>
              ))}
            </div>
          );
        })}
      </div>
    </div>
  );
}
