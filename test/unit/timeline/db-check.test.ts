import fs from 'node:fs';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { makeServices, tempDir, type TestServices } from '../../helpers/services';
import { ensureTestIdentity } from '../../helpers/identity';
import { cli } from '../../helpers/cli';
import { damageTree } from '../../helpers/damage';
import { runTimelineQuery } from '../../../main/cli/timeline-query';
import { databaseFault } from '../../../main/core/faults';
import Database from 'better-sqlite3';
import type { DatabaseCheck } from '../../../common/contract/timeline';
import { checkDepsOf, startDatabaseCheck } from '../../../main/timeline/database-check';

const FIX = path.resolve(__dirname, '../../fixtures/timeline');
const open: TestServices[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const s of open.splice(0)) s.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** A data folder holding one case with the lookup-events and Lake fixtures imported, closed cleanly. */
async function importedFolder(): Promise<{ dir: string; caseNumber: string; events: number }> {
  const dir = tempDir();
  dirs.push(dir);
  const s = makeServices({ dataDir: dir });
  ensureTestIdentity(s);
  const caseNumber = s.core.cases.create({ title: 'db check', severity: 'low' }).number;
  const r = await s.timeline.imports.importPaths(caseNumber, [path.join(FIX, 'lookup-events.json'), path.join(FIX, 'insights.json')]);
  s.close();
  return { dir, caseNumber, events: r.imported };
}

/** Runs the check through the handler, as the app does (on the folder reopened, unless services are given). */
async function checkThroughHandler(dir: string, running?: TestServices): Promise<DatabaseCheck> {
  const s = running ?? makeServices({ dataDir: dir });
  if (!running) open.push(s);
  const seen: unknown[] = [];
  const off = s.core.events.subscribe((name, payload) => name === 'databaseChecked' && seen.push(payload));
  const { jobId } = s.handlers.checkDatabase({}) as { jobId: string };
  const result = await s.core.jobs.wait<DatabaseCheck>(jobId);
  await expect.poll(() => seen.length, { timeout: 10_000 }).toBe(1);
  off();
  expect(seen[0]).toEqual({ ...result, jobId });
  return result;
}

test('a damaged case database: the check fails, names the damage, and says to restore the file, not to write to it', async () => {
  const { dir } = await importedFolder();
  damageTree(path.join(dir, 'lariat.db'), 'timeline_events_time');
  const result = await checkThroughHandler(dir);
  expect(result.ok).toBe(false);
  expect(result.database.join('\n')).toMatch(/timeline_events_time|page|malformed|corrupt/i);
  expect(result.hint).toContain(`restore ${path.join(dir, 'lariat.db')} from a backup`);
  expect([result.searchRepaired, result.searchRewritten]).toEqual([0, 0]);
  open.splice(0).forEach((s) => s.close());
  const r = await cli(dir, 'db', 'check');
  expect(r.code).toBe(1);
  expect(r.out).toMatch(/^database: .*(timeline_events_time|page|malformed|corrupt)/im);
  expect(r.err).toMatch(/what to do: Do not write to the case database: quit Lariat and restore .*lariat\.db from a backup/);
});

test('a search index damaged while Lariat runs: a search says to run the check, which sets it aside and rebuilds it without a restart', async () => {
  const { dir, caseNumber, events } = await importedFolder();
  const searchFile = path.join(dir, 'lariat-search.db');
  const s = makeServices({ dataDir: dir });
  open.push(s);
  damageTree(searchFile, 'timeline_fts_data');
  // A search meets the damage: it is named as the search index's, not as the case database's (whose advice,
  // restore the evidence database from a backup, would be wrong); filters without a search still answer.
  const search = () => s.handlers.queryTimeline({ caseNumber, search: 'StopLogging' } as Parameters<typeof s.handlers.queryTimeline>[0]);
  const count = async (filter: Record<string, unknown>) =>
    (await s.handlers.countTimeline({ caseNumber, ...filter } as Parameters<typeof s.handlers.countTimeline>[0])).count;
  await expect(Promise.resolve().then(search)).rejects.toMatchObject({
    code: 'search-corrupt',
    message: expect.stringMatching(
      new RegExp(
        `^The search index at ${searchFile} is damaged: fts5: .*It is derived from the case database, which holds the evidence records\\.$`,
      ),
    ),
    hint: expect.stringContaining(
      `Settings → Database check; on the command line: \`lariat db check\`), which moves ${searchFile} aside (kept)`,
    ),
  });
  // The command line's quick query path (its own connection, no services) says the same, not "unexpected error".
  const err: string[] = [];
  const quick = await runTimelineQuery(
    ['timeline', caseNumber, '--search', 'StopLogging'],
    { out: () => undefined, err: (t) => err.push(t) },
    {
      LARIAT_DATA_DIR: dir,
    },
  );
  expect([quick, err.join('\n')]).toEqual([
    1,
    expect.stringMatching(/^error: The search index at .* is damaged: fts5: [\s\S]*\nhint: Searches fail until .*lariat db check/),
  ]);
  expect(await count({})).toBe(events);
  const expected = await count({ where: [{ column: 'action', value: 'StopLogging' }] });
  expect(expected).toBeGreaterThan(0);
  // The check, in the running app: the damage is reported (ok false, SQLite's words), the file kept aside, the
  // index rebuilt; nothing is left to do, and the same process searches again at once.
  const result = await checkThroughHandler(dir, s);
  expect(result).toMatchObject({ ok: false, database: ['ok'], hint: null, searchRepaired: events });
  expect(result.searchIndex.join('\n')).not.toBe('ok');
  expect(result.searchSetAside).toMatch(/lariat-search\.db\.damaged-/);
  expect(fs.existsSync(result.searchSetAside!)).toBe(true);
  expect(await count({ search: 'StopLogging' })).toBe(expected);
  expect(fs.readFileSync(path.join(dir, 'logs', 'lariat.log'), 'utf8')).toMatch(/search-index-damaged.*db-check/);
  const again = await checkThroughHandler(dir, s);
  expect(again).toMatchObject({ ok: true, database: ['ok'], searchIndex: ['ok'], searchSetAside: null, hint: null });
  open.splice(0).forEach((x) => x.close());
  // The command line finds the same index: same count by search and by filter, and a clean check.
  const found = await cli(dir, 'timeline', caseNumber, '--search', 'StopLogging', '--count');
  expect([found.code, Number(found.out)]).toEqual([0, expected]);
  expect((await cli(dir, 'db', 'check')).code).toBe(0);
});

test('the check from another process: the processes still holding the damaged file search and check the rebuilt one', async () => {
  const { dir, caseNumber, events } = await importedFolder();
  const searchFile = path.join(dir, 'lariat-search.db');
  // Three Lariat processes on one data folder (the app and two CLI commands): three connections, each with the index attached.
  const [app, checker, other] = [makeServices({ dataDir: dir }), makeServices({ dataDir: dir }), makeServices({ dataDir: dir })];
  open.push(app, checker, other);
  damageTree(searchFile, 'timeline_fts_data');
  const count = (s: TestServices, search: string) =>
    s.handlers.countTimeline({ caseNumber, search } as Parameters<typeof s.handlers.countTimeline>[0]);
  await expect(Promise.resolve().then(() => count(app, 'StopLogging'))).rejects.toMatchObject({ code: 'search-corrupt' });
  const rebuilt = await checkThroughHandler(dir, other);
  expect(rebuilt).toMatchObject({ ok: false, searchRepaired: events, hint: null });
  const expected = (await count(other, 'StopLogging')).count;
  expect(expected).toBeGreaterThan(0);
  // The app still had the damaged file open; its next search attaches the rebuilt one (before, it failed until a restart).
  expect((await count(app, 'StopLogging')).count).toBe(expected);
  // A check from a process still holding the damaged file checks the rebuilt one: it does not set that aside as damaged.
  expect(await checkThroughHandler(dir, checker)).toMatchObject({ ok: true, searchIndex: ['ok'], searchSetAside: null });
  expect((await count(checker, 'StopLogging')).count).toBe(expected);
  expect(fs.readdirSync(dir).filter((f) => f.startsWith('lariat-search.db.damaged-') && !/-(wal|shm)$/.test(f))).toHaveLength(1);
});

test('a rebuild cancelled or killed half-way: searches are refused, never answered from part of the index, until a check or a start finishes it', async () => {
  const { dir, caseNumber, events } = await importedFolder();
  const s = makeServices({ dataDir: dir });
  open.push(s);
  damageTree(path.join(dir, 'lariat-search.db'), 'timeline_fts_data');
  const count = async (filter: Record<string, unknown>) =>
    (await s.handlers.countTimeline({ caseNumber, ...filter } as Parameters<typeof s.handlers.countTimeline>[0])).count;
  // The investigator cancels while the first events are being indexed into the fresh index.
  let jobId = '';
  const off = s.core.events.subscribe((name, p) => {
    if (name === 'jobProgress' && (p as { kind: string }).kind === 'db-check') jobId ||= (p as { id: string }).id;
  });
  let indexed = 0;
  const { jobId: started } = startDatabaseCheck(
    checkDepsOf(s.core, (id) => {
      if (indexed++ === 0) s.core.jobs.cancel(jobId);
      return s.timeline.imports.searchTextOf(id);
    }),
  );
  off();
  expect(started).toBe(jobId);
  await expect(s.core.jobs.wait(jobId)).rejects.toMatchObject({ code: 'cancelled' });
  await expect(Promise.resolve().then(() => count({ search: 'StopLogging' }))).rejects.toMatchObject({
    code: 'search-rebuilding',
    hint: expect.stringContaining('If no check is running, run one'),
  });
  // The quick command-line path (another process) refuses it too.
  const err: string[] = [];
  const quick = await runTimelineQuery(
    ['timeline', caseNumber, '--search', 'StopLogging', '--count'],
    { out: () => undefined, err: (t) => err.push(t) },
    { LARIAT_DATA_DIR: dir },
  );
  expect([quick, err.join('\n')]).toEqual([1, expect.stringMatching(/^error: The search index is being rebuilt/)]);
  expect(await count({})).toBe(events);
  const expected = await count({ where: [{ column: 'action', value: 'StopLogging' }] });
  // The next check finishes the rebuild: it reports the index sound now, and searches answer in full.
  expect(await checkThroughHandler(dir, s)).toMatchObject({ ok: true, searchSetAside: null });
  expect(await count({ search: 'StopLogging' })).toBe(expected);

  // Killed half-way instead: the fresh index holds the first events only, marked as being rebuilt.
  open.splice(0).forEach((x) => x.close());
  const db = new Database(path.join(dir, 'lariat.db'));
  db.prepare('ATTACH DATABASE ? AS search').run(path.join(dir, 'lariat-search.db'));
  const total = db.prepare('SELECT count(*) FROM search.timeline_fts').pluck().get() as number;
  db.prepare('DELETE FROM search.timeline_fts WHERE rowid > (SELECT min(id) FROM timeline_events)').run();
  db.prepare("INSERT INTO search.meta (key, value) VALUES ('rebuilding', 1)").run();
  db.close();
  expect(total).toBe(events);
  // The next start (any Lariat process with the services) finishes it: the search answers in full.
  const next = makeServices({ dataDir: dir });
  open.push(next);
  const after = await next.handlers.countTimeline({ caseNumber, search: 'StopLogging' } as Parameters<
    typeof next.handlers.countTimeline
  >[0]);
  expect(after.count).toBe(expected);
});

test('a search index damaged while Lariat was closed: the next start sets it aside, rebuilds it, and says so', async () => {
  const { dir, caseNumber } = await importedFolder();
  damageTree(path.join(dir, 'lariat-search.db'), 'timeline_fts_data');
  const warnings: string[] = [];
  // Before, that start threw "fts5: corruption found reading blob" and Lariat did not open at all.
  const s = makeServices({ dataDir: dir, onWarning: (m) => warnings.push(m) });
  open.push(s);
  expect(warnings).toEqual([
    expect.stringMatching(
      /^the search index was damaged \(.*\); it was moved to .*lariat-search\.db\.damaged-.* and rebuilt from the case database$/,
    ),
  ]);
  expect(fs.readFileSync(path.join(dir, 'logs', 'lariat.log'), 'utf8')).toMatch(/search-index-damaged.*rebuilt/);
  const count = async (filter: Record<string, unknown>) =>
    (await s.handlers.countTimeline({ caseNumber, ...filter } as Parameters<typeof s.handlers.countTimeline>[0])).count;
  const expected = await count({ where: [{ column: 'action', value: 'StopLogging' }] });
  expect(expected).toBeGreaterThan(0);
  expect(await count({ search: 'StopLogging' })).toBe(expected);
  expect(await checkThroughHandler(dir, s)).toMatchObject({ ok: true, searchSetAside: null });
});

test('"database disk image is malformed" (no file named) is the search index\'s when its check fails there, else the case database\'s', async () => {
  const { dir } = await importedFolder();
  const dbFile = path.join(dir, 'lariat.db');
  const searchFile = path.join(dir, 'lariat-search.db');
  const connect = () => {
    const db = new Database(dbFile);
    db.prepare('ATTACH DATABASE ? AS search').run(searchFile);
    return db;
  };
  const malformed = Object.assign(new Error('database disk image is malformed'), { code: 'SQLITE_CORRUPT' });
  const intact = connect();
  expect(databaseFault(malformed, dbFile, intact)).toMatchObject({ code: 'db-corrupt', message: expect.stringContaining(dbFile) });
  intact.close();
  damageTree(searchFile, 'timeline_fts_data');
  const damaged = connect();
  expect(databaseFault(malformed, dbFile, damaged)).toMatchObject({
    code: 'search-corrupt',
    message: expect.stringContaining(`The search index at ${searchFile} is damaged`),
  });
  damaged.close();
  // Without a connection to check, the case database's advice stands: the cautious one.
  expect(databaseFault(malformed, dbFile)?.code).toBe('db-corrupt');
  expect(databaseFault(new Error('SQLITE_BUSY: database is locked'), dbFile)).toBeNull();
});

test('an intact database: ok, no hint, and the app gets the same result as the job', async () => {
  const { dir } = await importedFolder();
  const result = await checkThroughHandler(dir);
  expect(result).toEqual({
    ok: true,
    database: ['ok'],
    searchIndex: ['ok'],
    searchRepaired: 0,
    searchRewritten: 0,
    searchSetAside: null,
    hint: null,
  });
});
