import { useState, type KeyboardEvent } from 'react';
import type { TimelineHistogram } from '../../../common/contract/timeline';
import { bucketRange } from './filter-state';

const label = (ms: number) =>
  new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/:00\.000Z$|\.000Z$/, '');

/** "1 minute", "6 hours": the width of one bar. */
function unit(ms: number): string {
  const units: [number, string][] = [
    [86_400_000, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'minute'],
    [1000, 'second'],
  ];
  for (const [size, name] of units) if (ms >= size && ms % size === 0) return `${ms / size} ${name}${ms / size === 1 ? '' : 's'}`;
  return `${ms} ms`;
}

/**
 * Events over time for the current filter, one bar per bucket. Click a bar to narrow the time range to it;
 * drag across bars (or Shift+arrow keys) to choose a range. Arrow keys move between bars, Enter applies.
 */
export function Histogram({ data, onRange }: { data: TimelineHistogram | undefined; onRange(r: { from: string; to: string }): void }) {
  const [anchor, setAnchor] = useState<number | null>(null);
  const [brush, setBrush] = useState<[number, number] | null>(null);
  const [cursor, setCursor] = useState(0);
  if (!data || data.from === null || data.counts.length === 0)
    return (
      <div className="tl-histo tl-histo-empty small muted" data-testid="timeline-histogram">
        {data ? `No timed events${data.untimed ? ` (${data.untimed} without a time)` : ''}` : ''}
      </div>
    );
  const { from, bucketMs, counts } = data;
  const max = Math.max(1, ...counts);
  const apply = (a: number, b: number) => {
    setAnchor(null);
    setBrush(null);
    onRange(bucketRange(from, bucketMs, a, b));
  };
  const inBrush = (i: number) => brush !== null && i >= Math.min(...brush) && i <= Math.max(...brush);
  const key = (k: KeyboardEvent<HTMLDivElement>) => {
    const next =
      k.key === 'ArrowRight'
        ? cursor + 1
        : k.key === 'ArrowLeft'
          ? cursor - 1
          : k.key === 'Home'
            ? 0
            : k.key === 'End'
              ? counts.length - 1
              : null;
    if (next !== null) {
      k.preventDefault();
      const c = Math.max(0, Math.min(counts.length - 1, next));
      setCursor(c);
      setBrush(k.shiftKey ? [brush?.[0] ?? cursor, c] : null);
      k.currentTarget.querySelector<HTMLElement>(`[data-bucket="${c}"]`)?.focus();
    } else if (k.key === 'Escape' && brush) {
      // Esc first drops the selection being made; only the next Esc closes an open panel (renderer/lib/escape.ts).
      k.preventDefault();
      setBrush(null);
    }
  };
  return (
    <div className="tl-histo" data-testid="timeline-histogram">
      <div
        className="tl-bars"
        role="group"
        aria-label={`Events over time, ${unit(bucketMs)} per bar: click a bar or drag across bars to narrow the time range`}
        onKeyDown={key}
        onPointerLeave={() => anchor !== null && (setAnchor(null), setBrush(null))}
      >
        {counts.map((n, i) => (
          <button
            key={i}
            type="button"
            data-bucket={i}
            tabIndex={i === cursor ? 0 : -1}
            className={`tl-bar${inBrush(i) ? ' brushed' : ''}`}
            aria-label={`${label(from + i * bucketMs)} UTC, ${unit(bucketMs)}: ${n} event${n === 1 ? '' : 's'}`}
            title={`${label(from + i * bucketMs)} UTC (${unit(bucketMs)}): ${n.toLocaleString('en-US')} event(s)`}
            onPointerDown={(p) => {
              p.preventDefault();
              setAnchor(i);
              setBrush([i, i]);
            }}
            onPointerEnter={() => anchor !== null && setBrush([anchor, i])}
            onPointerUp={() => anchor !== null && apply(anchor, i)}
            onClick={(c) => c.detail === 0 && apply(brush?.[0] ?? i, i)}
          >
            <span className="tl-bar-fill" style={{ height: `${n ? Math.max(6, (n / max) * 100) : 0}%` }} />
          </button>
        ))}
      </div>
      <div className="tl-axis small muted">
        <span>{label(from)} UTC</span>
        <span>{unit(bucketMs)} per bar</span>
        <span>{label(from + counts.length * bucketMs)} UTC</span>
      </div>
    </div>
  );
}
