import { describe, expect, it } from 'vitest';
import type { TimelineEvent } from '../../../common/contract/timeline';
import {
  COLUMNS,
  EMPTY_LAYOUT,
  actorName,
  cellText,
  ISSUE_MARK,
  fitColumns,
  fitWidths,
  loadLayout,
  parseLayout,
  resizeColumn,
  saveLayout,
  toggleColumn,
  type ColumnId,
  type KeyValueStore,
} from '../../../renderer/features/timeline/columns';
import {
  bucketRange,
  filterFromQuery,
  queryFromFilter,
  sortFromQuery,
  splitByTime,
  unappliedFromQuery,
} from '../../../renderer/features/timeline/filter-state';
import { tableRows } from '../../../renderer/features/timeline/table-rows';
import { reportSummary } from '../../../renderer/features/timeline/import-summary';
import { parseBound } from '../../../main/timeline/time-bounds';

const CHARS = { mono: 7.3, text: 7 };

function ev(id: number, over: Partial<TimelineEvent> = {}): TimelineEvent {
  return {
    id,
    time: '2024-01-15T10:30:05.000Z',
    source: 'cloudtrail',
    actor: 'arn:aws:sts::123456789012:assumed-role/Admin/alice',
    accessKeyId: null,
    action: 'GetObject',
    eventSource: 's3.amazonaws.com',
    resource: null,
    sourceIp: '157.130.196.214',
    userAgent: null,
    region: 'eu-west-1',
    account: '123456789012',
    errorCode: null,
    severity: null,
    principal: 'Admin',
    callerAccount: '123456789012',
    sessionName: 'alice',
    identityType: 'AssumedRole',
    eventType: 'AwsApiCall',
    eventId: null,
    sample: false,
    flagged: false,
    tags: [],
    issues: [],
    highlight: null,
    evidenceId: null,
    file: null,
    recordNo: null,
    ...over,
  };
}

const memoryStore = (): KeyValueStore & { data: Map<string, string> } => {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
};

describe('cell text: the identifying part of each value', () => {
  it('names the actor by its user or role session, not the ARN prefix', () => {
    expect(actorName('arn:aws:iam::123456789012:user/division/ada')).toBe('ada');
    expect(actorName('arn:aws:sts::123456789012:assumed-role/Admin/alice@example.com')).toBe('Admin/alice@example.com');
    expect(actorName('arn:aws:iam::123456789012:role/service-role/Lambda')).toBe('Lambda');
    expect(actorName('arn:aws:iam::123456789012:root')).toBe('root');
    expect(actorName('IdentityCenterUser')).toBe('IdentityCenterUser');
  });
  it('keeps seconds and milliseconds of a time, and says when there is none', () => {
    expect(cellText('time', ev(1))).toBe('2024-01-15 10:30:05');
    expect(cellText('time', ev(1, { time: '2026-11-30T19:02:03.123Z' }))).toBe('2026-11-30 19:02:03.123');
    expect(cellText('time', ev(1, { time: null }))).toBe('no time');
  });
  it('marks the time of a record the import flagged, so its column is sized with the mark', () => {
    expect(cellText('time', ev(1, { issues: ['event-id-reused'] }))).toBe(`2024-01-15 10:30:05${ISSUE_MARK}`);
    const plain = fitWidths([ev(1)], CHARS).time;
    expect(fitWidths([ev(1), ev(2, { issues: ['event-id-reused'] })], CHARS).time).toBeGreaterThan(plain);
  });
});

describe('column widths and defaults', () => {
  it('sizes the source IP to its longest value, IPv6 included, never capped', () => {
    const v6 = '2001:0db8:85a3:0000:0000:8a2e:0370:7334';
    const w = fitWidths([ev(1), ev(2, { sourceIp: v6 })], CHARS);
    expect(w.sourceIp).toBeGreaterThanOrEqual(Math.ceil(v6.length * CHARS.mono));
    // A user's narrower drag cannot cut it.
    const layout = resizeColumn(EMPTY_LAYOUT, 'sourceIp', 70);
    const { ids, widths } = fitColumns(layout, 1400, w);
    expect(widths[ids.indexOf('sourceIp')]).toBe(w.sourceIp);
  });

  it('keeps time, action, principal and source IP whole at 1440 px and six data columns beside an open event at 1024 px', () => {
    const events = [ev(1, { principal: 'AWSReservedSSO_DevAdmin_abc123', action: 'UpdateFunctionConfiguration20150331v2' })];
    const fitted = fitWidths(events, CHARS);
    const wide = fitColumns(EMPTY_LAYOUT, 1350, fitted);
    for (const id of ['time', 'action', 'principal', 'sourceIp'] as ColumnId[]) {
      expect(wide.ids).toContain(id);
      expect(wide.widths[wide.ids.indexOf(id)]).toBe(fitted[id]);
    }
    const narrow = fitColumns(EMPTY_LAYOUT, 690, fitted);
    expect(narrow.ids.filter((id) => id !== 'flag').length).toBeGreaterThanOrEqual(6);
    expect(narrow.widths.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(690);
    expect(narrow.widths[narrow.ids.indexOf('sourceIp')]).toBe(fitted.sourceIp);
    expect(narrow.widths[narrow.ids.indexOf('time')]).toBe(fitted.time);
  });

  it("keeps the investigator's choice as it is, in table order, and never hides the last column", () => {
    const fitted = fitWidths([ev(1)], CHARS);
    const shown = fitColumns(EMPTY_LAYOUT, 1350, fitted).ids;
    let layout = toggleColumn(EMPTY_LAYOUT, shown, 'userAgent');
    layout = toggleColumn(layout, layout.visible!, 'source');
    expect(layout.visible).toContain('userAgent');
    expect(layout.visible).not.toContain('source');
    const order = COLUMNS.map((c) => c.id);
    expect(layout.visible).toEqual([...layout.visible!].sort((a, b) => order.indexOf(a) - order.indexOf(b)));
    expect(fitColumns(layout, 300, fitted).ids).toEqual(layout.visible);
    const one = { visible: ['time'] as ColumnId[], widths: {} };
    expect(toggleColumn(one, ['time'], 'time')).toBe(one);
  });

  it('persists per case, falls back to the last layout for a new case, and drops what it does not know', () => {
    const store = memoryStore();
    const layout = resizeColumn(toggleColumn(EMPTY_LAYOUT, ['time', 'action'], 'sourceIp'), 'action', 333);
    saveLayout(store, 'IR-2026-0001', layout);
    expect(loadLayout(store, 'IR-2026-0001')).toEqual(layout);
    expect(loadLayout(store, 'IR-2026-0099')).toEqual(layout);
    expect(parseLayout('{"visible":["time","nope",3],"widths":{"action":5,"bogus":100,"region":"x"}}')).toEqual({
      visible: ['time'],
      widths: { action: 90 },
    });
    expect(parseLayout('not json')).toEqual(EMPTY_LAYOUT);
    expect(parseLayout('{"visible":[]}').visible).toBeNull();
  });
});

describe('order, untimed group and time ranges', () => {
  it('reads and writes the order in the route query, oldest first unless asked', () => {
    expect(sortFromQuery(new URLSearchParams(''))).toBe('oldest');
    expect(sortFromQuery(new URLSearchParams('sort=newest'))).toBe('newest');
    expect(sortFromQuery(new URLSearchParams('sort=bogus'))).toBe('oldest');
    const q = queryFromFilter({ search: 'pedro' }, 7, 'newest');
    expect(q).toMatchObject({ search: 'pedro', event: '7', sort: 'newest' });
    expect(queryFromFilter({}, null, 'oldest').sort).toBeUndefined();
    const back = new URLSearchParams(Object.entries(q).filter((e): e is [string, string] => e[1] !== undefined));
    expect(filterFromQuery(back)).toMatchObject({ search: 'pedro' });
  });

  it("reads a link's where by column in any case or by CloudTrail's field name, and drops what is no column", () => {
    const where = new URLSearchParams({ where: 'eventName=StopLogging&SOURCEIP=1.2.3.4&constructor=x&colour=red' }).toString();
    expect(filterFromQuery(new URLSearchParams(where)).where).toEqual([
      { column: 'action', value: 'StopLogging' },
      { column: 'sourceIp', value: '1.2.3.4' },
    ]);
    expect(filterFromQuery(new URLSearchParams('where=colour%3Dred')).where).toBeUndefined();
    // What was dropped is named, so the view can say so instead of passing for a narrowed timeline.
    expect(unappliedFromQuery(new URLSearchParams(where))).toEqual([
      '"constructor" (not a timeline column)',
      '"colour" (not a timeline column)',
    ]);
    expect(unappliedFromQuery(new URLSearchParams('where=eventName%3DStopLogging&level=high'))).toEqual([]);
    expect(unappliedFromQuery(new URLSearchParams('search=x'))).toEqual([]);
    // A level that is none is named too (the filter reads it as "any level").
    expect(filterFromQuery(new URLSearchParams('level=severe')).level).toBeUndefined();
    expect(unappliedFromQuery(new URLSearchParams('level=severe'))).toEqual([
      'level "severe" (not one of informational, low, medium, high, critical)',
    ]);
  });

  it('splits timed from untimed events at the epoch, which main stores untimed events at', () => {
    const { timed, untimed } = splitByTime({ search: 'x' });
    expect(parseBound(timed.from!, false)).toBe(1);
    expect(parseBound(untimed!.to!, true)).toBe(0);
    expect(untimed!.search).toBe('x');
    // A from bound already leaves untimed events out: no second query.
    expect(splitByTime({ from: '2024-01-01' })).toEqual({ timed: { from: '2024-01-01' }, untimed: null });
  });

  it('puts the untimed group after every timed event, whatever the order, and only once they are all loaded', () => {
    const timed = [ev(1), ev(2)];
    const untimed = [ev(3, { time: null })];
    expect(tableRows(timed, true, [], true, 1).map((r) => r.kind)).toEqual(['event', 'event', 'more']);
    expect(tableRows(timed, false, [], true, 1).map((r) => r.kind)).toEqual(['event', 'event', 'untimed', 'more']);
    const done = tableRows(timed, false, untimed, false, 1);
    expect(done.map((r) => r.kind)).toEqual(['event', 'event', 'untimed', 'event']);
    expect(done[2]).toEqual({ kind: 'untimed', count: 1 });
    expect(tableRows(timed, false, [], false, 0).map((r) => r.kind)).toEqual(['event', 'event']);
  });

  it('turns histogram buckets into bounds that include their last millisecond, in either drag direction', () => {
    const from = Date.UTC(2024, 0, 15, 10);
    const r = bucketRange(from, 3_600_000, 3, 1);
    expect(r).toEqual({ from: '2024-01-15T11:00:00.000Z', to: '2024-01-15T13:59:59.999Z' });
    expect(parseBound(r.to, true)).toBe(Date.UTC(2024, 0, 15, 14) - 1);
  });
});

describe('the import count', () => {
  it('says events, duplicates skipped, partial and rejected files', () => {
    const file = { file: 'a.json', format: 'cloudtrail', evidenceId: 1, duplicate: false, imported: 5, flagged: 0, rejected: 0 };
    const f = { ...file, findings: 0, duplicates: 2, duplicatesOf: [], reused: 0, truncated: true, errors: [] };
    const files = [f, { ...f, truncated: false }];
    expect(reportSummary({ imported: 5, duplicates: 2, reused: 0, rejected: 1, rejectedFiles: 1, files })).toBe(
      '5 event(s) imported, 2 duplicate(s) skipped, 1 partial file(s), 1 record(s) rejected, 1 file(s) rejected from 2 file(s)',
    );
    // Records kept though the case held their eventID are said, not folded into "imported" silently.
    expect(reportSummary({ imported: 5, duplicates: 2, reused: 3, rejected: 0, rejectedFiles: 0, files })).toBe(
      '5 event(s) imported, 2 duplicate(s) skipped, 3 kept though their eventID was held (event-id-reused), 1 partial file(s), 0 file(s) rejected from 2 file(s)',
    );
    // Entries of the folders given that were not imported (a link, a .csv) are said too.
    expect(reportSummary({ imported: 5, duplicates: 0, reused: 0, rejected: 0, rejectedFiles: 0, files, skippedCount: 2 })).toBe(
      '5 event(s) imported, 0 duplicate(s) skipped, 1 partial file(s), 0 file(s) rejected, 2 folder entries not imported (links, pipes or other names) from 2 file(s)',
    );
  });
});
