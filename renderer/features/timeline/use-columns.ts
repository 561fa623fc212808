import { useCallback, useMemo, useState } from 'react';
import type { TimelineEvent } from '../../../common/contract/timeline';
import {
  EMPTY_LAYOUT,
  fitColumns,
  fitWidths,
  loadLayout,
  resizeColumn,
  saveLayout,
  toggleColumn,
  type ColumnId,
  type ColumnLayout,
} from './columns';

/** Width of one character of the table's 12 px fonts, measured once (monospace for ids, the UI font for words). */
let measured: { mono: number; text: number } | null = null;
function charWidths(): { mono: number; text: number } {
  if (measured) return measured;
  const ctx = document.createElement('canvas').getContext('2d');
  const css = getComputedStyle(document.documentElement);
  const width = (family: string, sample: string, fallback: number) => {
    if (!ctx || !family) return fallback;
    ctx.font = `12px ${family}`;
    return ctx.measureText(sample).width / sample.length || fallback;
  };
  measured = {
    mono: width(css.getPropertyValue('--mono').trim(), '0123456789abcdef:.', 7.3),
    // Words: an average over letters; labels are short, so slight over-estimation is fine.
    text: width(css.getPropertyValue('--font').trim(), 'AssumeRoleDescribeInstances', 7) * 1.08,
  };
  return measured;
}

const storage = (): Storage | null => {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
};

/** The table's columns for a case: chosen or default, with widths fitted to the loaded values, kept in local storage. */
export function useColumns(caseNumber: string, events: readonly TimelineEvent[], tableWidth: number) {
  const [layout, setLayout] = useState<ColumnLayout>(() => {
    const s = storage();
    return s ? loadLayout(s, caseNumber) : EMPTY_LAYOUT;
  });
  const fitted = useMemo(() => fitWidths(events, charWidths()), [events]);
  const { ids: columns, widths } = useMemo(() => fitColumns(layout, tableWidth, fitted), [layout, tableWidth, fitted]);
  const update = useCallback(
    (next: ColumnLayout) => {
      setLayout(next);
      const s = storage();
      if (s) saveLayout(s, caseNumber, next);
    },
    [caseNumber],
  );
  return {
    columns,
    widths,
    toggle: (id: ColumnId) => update(toggleColumn(layout, columns, id)),
    resize: (id: ColumnId, w: number) => update(resizeColumn(layout, id, w)),
    reset: () => update(EMPTY_LAYOUT),
  };
}
