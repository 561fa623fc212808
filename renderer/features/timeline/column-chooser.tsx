import { COLUMNS, type ColumnId } from './columns';

/**
 * Which columns the table shows: a disclosure with one checkbox per column, kept per case (and as the
 * default for the next case) in this window's local storage. "Defaults" goes back to the columns that fit.
 */
export function ColumnChooser({ shown, onToggle, onReset }: { shown: readonly ColumnId[]; onToggle(id: ColumnId): void; onReset(): void }) {
  return (
    <details className="tl-chooser">
      <summary className="btn btn-xs">Columns ({shown.length})</summary>
      <fieldset className="tl-chooser-list">
        <legend className="sr-only">Columns shown in the timeline</legend>
        {COLUMNS.map((c) => (
          <label key={c.id} className="row small">
            <input type="checkbox" checked={shown.includes(c.id)} onChange={() => onToggle(c.id)} /> {c.label}
          </label>
        ))}
        <button type="button" className="btn btn-ghost btn-xs" onClick={onReset}>
          Defaults (fit the width)
        </button>
      </fieldset>
    </details>
  );
}
