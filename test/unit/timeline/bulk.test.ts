import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { importServiceWith, makeServices, type TestServices } from '../../helpers/services';
import { EventStore } from '../../../main/timeline/event-store';
import { fakeEvidence, SHARED } from './fake-evidence';

let s: TestServices;
afterEach(() => s.cleanup());

const indexes = () =>
  (
    s.core.db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'timeline_events' AND sql IS NOT NULL ORDER BY name")
      .all() as { name: string }[]
  ).map((r) => r.name);

const service = (bulkBytes: number) => importServiceWith(s, { evidence: fakeEvidence(), bulkBytes });

test('a bulk import into an empty timeline builds the indexes after the load, with the same results', async () => {
  s = makeServices();
  const before = indexes();
  const caseNumber = s.core.cases.create({ title: 'bulk', severity: 'low' }).number;
  let during: string[] = [];
  const imports = service(0);
  const origin = imports.importFile.bind(imports);
  imports.importFile = (...args) => ((during = indexes()), origin(...args));
  const r = await imports.importPaths(caseNumber, [path.join(SHARED, 'cloudtrail', 'panther')]);
  // Only the import index (and the small index of flagged events) stays live; the duplicates are found through the finder's own ids meanwhile.
  expect(during).toEqual(['timeline_events_import', 'timeline_events_issues']);
  expect(indexes()).toEqual(before);
  expect(r.imported + r.duplicates).toBe(463);
  expect(r.duplicates).toBeGreaterThan(0);
  // The same files into a second case (the timeline is no longer empty: indexes live) skip the same records.
  const again = await service(0).importPaths(s.core.cases.create({ title: 'indexed', severity: 'low' }).number, [
    path.join(SHARED, 'cloudtrail', 'panther'),
  ]);
  expect(again.files.map((f) => [f.imported, f.duplicates])).toEqual(r.files.map((f) => [f.imported, f.duplicates]));
  const plan = s.core.db
    .prepare(
      "EXPLAIN QUERY PLAN SELECT id FROM timeline_events WHERE case_id = 1 AND action = 'StopLogging' COLLATE NOCASE ORDER BY ts, id",
    )
    .all() as { detail: string }[];
  expect(plan.map((p) => p.detail).join()).toMatch(/timeline_events_action/);
});

test('indexes dropped by an interrupted bulk import are rebuilt at the next start', () => {
  s = makeServices();
  const before = indexes();
  new EventStore(s.core.db).deferIndexes(s.core.db);
  expect(indexes()).toEqual(['timeline_events_import', 'timeline_events_issues']);
  service(Infinity); // a new ImportService is what the next start creates
  expect(indexes()).toEqual(before);
  expect(s.core.db.prepare('SELECT count(*) AS n FROM timeline_deferred_indexes').get()).toEqual({ n: 0 });
});

test('an import still running in another live process is not rolled back; a dead one is', async () => {
  s = makeServices();
  const caseNumber = s.core.cases.create({ title: 'crash', severity: 'low' }).number;
  // The sample's four events share one made-up eventID: keep all four.
  service(Infinity).setSettings(caseNumber, true);
  await service(Infinity).importPaths(caseNumber, [
    path.join(SHARED, 'cloudtrail', 'panther', 'scenario_compromised-root-creds_victim_cloudtrail.json'),
  ]);
  const mark = (owner: string) => s.core.db.prepare("UPDATE timeline_imports SET state = 'running', owner = ?").run(owner);
  const host = (await import('node:os')).hostname();
  mark(`${host}:${process.ppid}`);
  service(Infinity);
  expect(s.core.db.prepare('SELECT count(*) AS n FROM timeline_events').get()).toEqual({ n: 4 });
  mark(`${host}:2147483646`);
  service(Infinity);
  expect(s.core.db.prepare('SELECT count(*) AS n FROM timeline_events').get()).toEqual({ n: 0 });
  expect(s.core.db.prepare('SELECT count(*) AS n FROM search.timeline_fts').get()).toEqual({ n: 0 });
  expect(s.core.db.prepare('SELECT count(*) AS n FROM timeline_raw').get()).toEqual({ n: 0 });
  expect(s.core.db.prepare('SELECT state FROM timeline_imports').get()).toEqual({ state: 'failed' });
});

test('a start while another live process imports repairs nothing of it (between two groups it has no running row); once that process is gone, it does', async () => {
  s = makeServices();
  const before = indexes();
  const caseNumber = s.core.cases.create({ title: 'live', severity: 'low' }).number;
  await service(Infinity).importPaths(caseNumber, [
    path.join(SHARED, 'cloudtrail', 'panther', 'scenario_compromised-root-creds_victim_cloudtrail.json'),
  ]);
  const fts = () => (s.core.db.prepare('SELECT count(*) AS n FROM search.timeline_fts').get() as { n: number }).n;
  const sessions = () => (s.core.db.prepare('SELECT count(*) AS n FROM timeline_import_sessions').get() as { n: number }).n;
  // The import's session row is gone with it.
  expect(sessions()).toBe(0);
  const events = (s.core.db.prepare('SELECT count(*) AS n FROM timeline_events').get() as { n: number }).n;
  expect(fts()).toBe(events);
  // Another process mid-way through a bulk import: its indexes dropped, its newest events not yet in the
  // search index (its search thread lags), and no running file row between two of its groups.
  new EventStore(s.core.db).deferIndexes(s.core.db);
  s.core.db.prepare('DELETE FROM search.timeline_fts WHERE rowid = (SELECT max(id) FROM timeline_events)').run();
  const host = (await import('node:os')).hostname();
  const session = (owner: string) =>
    s.core.db.prepare("INSERT INTO timeline_import_sessions (owner, started_at) VALUES (?, '2026-12-02T08:00:00Z')").run(owner);
  session(`${host}:${process.ppid}`);
  service(Infinity); // this process starts
  expect(indexes()).toEqual(['timeline_events_import', 'timeline_events_issues']);
  expect(fts()).toBe(events - 1);
  expect(sessions()).toBe(1);
  // The other process died: the next start repairs what it left and forgets its session.
  s.core.db.prepare('DELETE FROM timeline_import_sessions').run();
  session(`${host}:2147483646`);
  service(Infinity);
  expect(indexes()).toEqual(before);
  expect(fts()).toBe(events);
  expect(sessions()).toBe(0);
});

test('an import that fails still ends its session', async () => {
  s = makeServices();
  const caseNumber = s.core.cases.create({ title: 'fails', severity: 'low' }).number;
  const imports = service(Infinity);
  let during = -1;
  imports.importFile = () => {
    during = (s.core.db.prepare('SELECT count(*) AS n FROM timeline_import_sessions').get() as { n: number }).n;
    return Promise.reject(new Error('disk full'));
  };
  await expect(
    imports.importPaths(caseNumber, [path.join(SHARED, 'cloudtrail', 'panther', 'scenario_compromised-root-creds_victim_cloudtrail.json')]),
  ).rejects.toThrow('disk full');
  expect(during).toBe(1);
  expect(s.core.db.prepare('SELECT count(*) AS n FROM timeline_import_sessions').get()).toEqual({ n: 0 });
});
