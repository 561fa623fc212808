import type { TimelineColumn, TimelineEvent } from '../../../common/contract/timeline';

/**
 * A column of the event table; most are a timeline column (a pivot), `flag`, `time` and `highlight` are the table's own.
 * Import issues are a filter only (the event panel's buttons), shown in the time cell's tooltip, not a column.
 */
export type ColumnId = Exclude<TimelineColumn, 'issue'> | 'flag' | 'time' | 'highlight';

export interface ColumnDef {
  id: ColumnId;
  label: string;
  /** Ids, addresses, ARNs and times: monospace, sized by their characters. */
  mono: boolean;
  /** Narrowest width a drag may give it (px). */
  min: number;
  /** Widest width sizing to content gives it (px); `null`: never truncated (the whole value always shows). */
  max: number | null;
  /** Lower is more important: shown first when the table is narrow. */
  priority: number;
  /** Shown by default (when it fits). */
  shown: boolean;
}

const col = (id: ColumnId, label: string, mono: boolean, min: number, max: number | null, priority: number, shown = false): ColumnDef => ({
  id,
  label,
  mono,
  min,
  max,
  priority,
  shown,
});

/**
 * Every column, in table order. The defaults put who did what from where first: time, action, principal and
 * source IP never give way; resource, region and the rest follow as the width allows.
 */
export const COLUMNS: readonly ColumnDef[] = [
  col('flag', 'Flagged', false, 24, 24, 0, true),
  col('time', 'Time (UTC)', true, 120, null, 0, true),
  col('source', 'Source', false, 56, 96, 3, true),
  col('action', 'Action', false, 90, 200, 1, true),
  col('principal', 'Principal', true, 80, 420, 1, true),
  col('actor', 'Actor', true, 80, 220, 4, true),
  col('sourceIp', 'Source IP', true, 60, null, 1, true),
  col('accessKeyId', 'Access key', true, 80, 200, 8),
  col('eventSource', 'Service', false, 80, 220, 8),
  col('resource', 'Resource', true, 80, 260, 5, true),
  col('region', 'Region', false, 56, 110, 6, true),
  col('account', 'Account', true, 80, 120, 8),
  col('callerAccount', 'Caller account', true, 80, 120, 8),
  col('sessionName', 'Session', true, 80, 200, 8),
  col('identityType', 'Identity type', false, 80, 150, 8),
  col('eventType', 'Event type', false, 80, 170, 8),
  col('eventId', 'Event id', true, 80, 300, 9),
  col('userAgent', 'User agent', false, 80, 260, 9),
  col('errorCode', 'Error', false, 60, 170, 2, true),
  col('severity', 'Severity', false, 60, 100, 7),
  col('highlight', 'Highlight', false, 80, 170, 7, true),
];

export const COLUMN_BY_ID = new Map(COLUMNS.map((c) => [c.id, c]));

/** What the investigator chose: which columns show (in table order) and the widths they dragged. */
export interface ColumnLayout {
  /** Null until the investigator picks columns: then the defaults that fit the width apply. */
  visible: ColumnId[] | null;
  widths: Partial<Record<ColumnId, number>>;
}

export const EMPTY_LAYOUT: ColumnLayout = { visible: null, widths: {} };

const isColumn = (v: unknown): v is ColumnId => typeof v === 'string' && COLUMN_BY_ID.has(v as ColumnId);

/** Reads a stored layout, keeping only what still makes sense (a renamed column or a hand-edited value is dropped). */
export function parseLayout(text: string | null): ColumnLayout {
  if (!text) return EMPTY_LAYOUT;
  try {
    const v = JSON.parse(text) as { visible?: unknown; widths?: unknown };
    const visible = Array.isArray(v.visible) ? v.visible.filter(isColumn) : null;
    const widths: ColumnLayout['widths'] = {};
    if (v.widths && typeof v.widths === 'object')
      for (const [k, w] of Object.entries(v.widths as Record<string, unknown>))
        if (isColumn(k) && typeof w === 'number' && Number.isFinite(w)) widths[k] = clampWidth(k, w);
    return { visible: visible && visible.length ? orderColumns(visible) : null, widths };
  } catch {
    return EMPTY_LAYOUT;
  }
}

const orderColumns = (ids: ColumnId[]): ColumnId[] => COLUMNS.map((c) => c.id).filter((id) => ids.includes(id));

export function clampWidth(id: ColumnId, w: number): number {
  const def = COLUMN_BY_ID.get(id);
  return Math.round(Math.min(2000, Math.max(def?.min ?? 40, w)));
}

/** What a row's time carries after it when the import flagged the record (its issues are in the tooltip). */
export const ISSUE_MARK = ' ⚠';

/** The text a cell shows for an event (the identifying part: an ARN's name, the whole IP, the time with its seconds). */
export function cellText(id: ColumnId, e: TimelineEvent): string {
  switch (id) {
    case 'flag':
      return e.flagged ? '⚑' : '';
    case 'time':
      return e.time ? shortTime(e.time) + (e.issues.length ? ISSUE_MARK : '') : 'no time';
    case 'actor':
      return e.actor ? actorName(e.actor) : '';
    case 'highlight':
      return e.highlight ?? e.severity ?? '';
    default:
      return e[id] ?? '';
  }
}

/** "2024-01-15 10:30:00", or "10:30:00.123" when the record has milliseconds: seconds always stay. */
export const shortTime = (iso: string) => iso.replace('T', ' ').replace(/\.000Z$|Z$/, '');

/**
 * The part of an ARN that names someone: `user/alice` → `alice`, `assumed-role/Admin/bob` → `Admin/bob`,
 * `root` stays `root`. Anything that is not an ARN is shown whole.
 */
export function actorName(actor: string): string {
  const m = /^arn:[^:]*:[^:]*:[^:]*:[^:]*:(.+)$/.exec(actor);
  if (!m) return actor;
  const res = m[1]!;
  const slash = res.indexOf('/');
  if (slash < 0) return res;
  const kind = res.slice(0, slash);
  const rest = res.slice(slash + 1);
  if (kind === 'assumed-role') return rest;
  return kind === 'user' || kind === 'role' || kind === 'federated-user' ? rest.slice(rest.lastIndexOf('/') + 1) : res;
}

/** Widths that fit the loaded values: monospace columns by their longest value, capped unless the column must never truncate. */
export function fitWidths(events: readonly TimelineEvent[], charPx: { mono: number; text: number }): Record<ColumnId, number> {
  const out = {} as Record<ColumnId, number>;
  for (const def of COLUMNS) {
    let chars = def.label.length;
    for (const e of events) chars = Math.max(chars, cellText(def.id, e).length);
    const w = Math.ceil(chars * (def.mono ? charPx.mono : charPx.text)) + 14;
    out[def.id] = def.id === 'flag' ? 24 : Math.max(def.min, def.max === null ? w : Math.min(def.max, w));
  }
  return out;
}

/** Data columns the defaults keep on screen when they can (by their narrowest widths): an open event must not hide the table. */
export const MIN_DEFAULT_COLUMNS = 6;

/**
 * The columns shown and their widths. The investigator's choice is kept as it is (a table wider than its
 * box scrolls sideways). Without a choice, the default columns come in by priority while their fitted
 * widths fit `width`; if that leaves fewer than six data columns, more come in at their narrowest; then the
 * capped columns give up width (action, source, error and the like first, the principal last) until the
 * table fits. Time and source IP never shrink below their values.
 */
export function fitColumns(layout: ColumnLayout, width: number, fitted: Record<ColumnId, number>): { ids: ColumnId[]; widths: number[] } {
  const wanted = (id: ColumnId) => layout.widths[id] ?? fitted[id];
  if (layout.visible) return { ids: layout.visible, widths: columnWidths(layout.visible, layout, fitted) };
  const candidates = COLUMNS.filter((c) => c.shown).sort((a, b) => a.priority - b.priority);
  const chosen = new Set<ColumnId>();
  let used = 0;
  for (const c of candidates)
    if (c.priority <= 1 || used + wanted(c.id) <= width) {
      chosen.add(c.id);
      used += wanted(c.id);
    }
  const floor = (id: ColumnId) =>
    layout.widths[id] !== undefined || COLUMN_BY_ID.get(id)!.max === null ? wanted(id) : COLUMN_BY_ID.get(id)!.min;
  let least = [...chosen].reduce((a, id) => a + floor(id), 0);
  for (const c of candidates) {
    if (chosen.size - 1 >= MIN_DEFAULT_COLUMNS) break;
    if (chosen.has(c.id) || least + floor(c.id) > width) continue;
    chosen.add(c.id);
    least += floor(c.id);
  }
  const ids = orderColumns([...chosen]);
  const widths = columnWidths(ids, layout, fitted);
  // Shrink the capped columns the investigator did not size, the principal only if the others were not enough.
  for (const pool of [ids.filter((id) => id !== 'principal'), ids]) {
    const excess = widths.reduce((a, b) => a + b, 0) - width;
    if (excess <= 0) break;
    const slack = ids.map((id, i) => (pool.includes(id) ? Math.max(0, widths[i]! - floor(id)) : 0));
    const total = slack.reduce((a, b) => a + b, 0);
    if (total <= 0) continue;
    const ratio = Math.min(1, excess / total);
    ids.forEach((_, i) => (widths[i] = Math.floor(widths[i]! - slack[i]! * ratio)));
  }
  return { ids, widths };
}

/** Effective widths: what the investigator dragged, except that a never-truncated column is never narrower than its values. */
export function columnWidths(ids: readonly ColumnId[], layout: ColumnLayout, fitted: Record<ColumnId, number>): number[] {
  return ids.map((id) => {
    const def = COLUMN_BY_ID.get(id)!;
    const chosen = layout.widths[id];
    if (chosen === undefined) return fitted[id];
    return def.max === null ? Math.max(chosen, fitted[id]) : chosen;
  });
}

/** Shows or hides one column, starting from what is on screen now. At least one column stays. */
export function toggleColumn(layout: ColumnLayout, shown: readonly ColumnId[], id: ColumnId): ColumnLayout {
  const next = shown.includes(id) ? shown.filter((c) => c !== id) : [...shown, id];
  return next.length ? { ...layout, visible: orderColumns(next) } : layout;
}

export const resizeColumn = (layout: ColumnLayout, id: ColumnId, w: number): ColumnLayout => ({
  ...layout,
  widths: { ...layout.widths, [id]: clampWidth(id, w) },
});

/** Where the layout is kept: per case, falling back to the last one chosen in any case (so a new case starts as the last). */
export const layoutKeys = (caseNumber: string) => [`lariat.timeline.columns:${caseNumber}`, 'lariat.timeline.columns'];

export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export function loadLayout(store: KeyValueStore, caseNumber: string): ColumnLayout {
  for (const k of layoutKeys(caseNumber)) {
    const text = store.getItem(k);
    if (text) return parseLayout(text);
  }
  return EMPTY_LAYOUT;
}

export function saveLayout(store: KeyValueStore, caseNumber: string, layout: ColumnLayout): void {
  const text = JSON.stringify(layout);
  for (const k of layoutKeys(caseNumber)) store.setItem(k, text);
}
