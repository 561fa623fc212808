import { useEffect, useState } from 'react';
import { useCall } from '../../lib/api';
import type { TimelineColumn } from '../../../common/contract/timeline';
import { COLUMN_LABELS, type ViewFilter } from './filter-state';
import { DetectionFilter } from './detection-filter';

/** Sticky filters: time range, column chips, error-only, flagged, highlight rule, full-text search (`/`). */
export function FilterBar({ filter, onChange }: { filter: ViewFilter; onChange(f: ViewFilter): void }) {
  const rules = useCall('listHighlightRules', {});
  const [search, setSearch] = useState(filter.search ?? '');
  const [from, setFrom] = useState(filter.from ?? '');
  const [to, setTo] = useState(filter.to ?? '');
  useEffect(() => setSearch(filter.search ?? ''), [filter.search]);
  useEffect(() => setFrom(filter.from ?? ''), [filter.from]);
  useEffect(() => setTo(filter.to ?? ''), [filter.to]);
  const [column, setColumn] = useState<TimelineColumn>('action');
  const [value, setValue] = useState('');
  const rule = rules.data?.find((r) => r.id === filter.highlight);

  return (
    <div className="tl-filters" role="search" aria-label="Timeline filters">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          onChange({ ...filter, search: search.trim() || undefined, from: from.trim() || undefined, to: to.trim() || undefined });
        }}
        className="row"
      >
        <input
          type="search"
          data-search
          placeholder="Search raw records (press /)"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          aria-label="Full-text search"
        />
        <input
          className="time"
          placeholder="From (UTC)"
          value={from}
          onChange={(e) => setFrom(e.target.value)}
          aria-label="From time (UTC)"
          title="2024-01-15, 2024-01-15T10:30 or ISO-8601, UTC"
        />
        <input className="time" placeholder="To (UTC)" value={to} onChange={(e) => setTo(e.target.value)} aria-label="To time (UTC)" />
        <button type="submit" className="btn">
          Apply
        </button>
      </form>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          if (!value.trim()) return;
          onChange({ ...filter, where: [...(filter.where ?? []).filter((w) => w.column !== column), { column, value: value.trim() }] });
          setValue('');
        }}
      >
        <select value={column} onChange={(e) => setColumn(e.target.value as TimelineColumn)} aria-label="Filter column">
          {(Object.keys(COLUMN_LABELS) as TimelineColumn[]).map((c) => (
            <option key={c} value={c}>
              {COLUMN_LABELS[c]}
            </option>
          ))}
        </select>
        <input placeholder="= value" value={value} onChange={(e) => setValue(e.target.value)} aria-label="Filter value" />
      </form>
      <label className="row">
        <input
          type="checkbox"
          checked={!!filter.errorsOnly}
          onChange={(e) => onChange({ ...filter, errorsOnly: e.target.checked || undefined })}
        />{' '}
        Errors only
      </label>
      <label className="row">
        <input
          type="checkbox"
          checked={!!filter.flagged}
          onChange={(e) => onChange({ ...filter, flagged: e.target.checked || undefined })}
        />{' '}
        Flagged
      </label>
      <select
        value={filter.highlight ?? ''}
        onChange={(e) => onChange({ ...filter, highlight: e.target.value || undefined })}
        aria-label="Highlight rule"
        title={rule?.explanation}
      >
        <option value="">All events</option>
        <option value="any">Any highlight</option>
        {rules.data?.map((r) => (
          <option key={r.id} value={r.id} title={r.explanation}>
            {r.label}
          </option>
        ))}
      </select>
      <DetectionFilter filter={filter} onChange={onChange} />
      {filter.where?.map((w) => (
        <span key={w.column} className="tl-chip">
          {COLUMN_LABELS[w.column]} = <span className="mono">{w.value || '(empty)'}</span>
          <button
            type="button"
            className="btn btn-ghost btn-xs"
            aria-label={`Remove filter ${COLUMN_LABELS[w.column]}`}
            onClick={() => onChange({ ...filter, where: filter.where!.filter((x) => x.column !== w.column) })}
          >
            ×
          </button>
        </span>
      ))}
      {rule && <span className="muted small">{rule.explanation}</span>}
    </div>
  );
}
