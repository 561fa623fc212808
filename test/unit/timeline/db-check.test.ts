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

test('a search index damaged while Lariat runs: the check says to set it aside; the next start does so itself and rebuilds it', async () => {
  const { dir, caseNumber, events } = await importedFolder();
  const searchFile = path.join(dir, 'lariat-search.db');
  const s = makeServices({ dataDir: dir });
  open.push(s);
  damageTree(searchFile, 'timeline_fts_data');
  // A search meets the damage: it is named as the search index's, not as the case database's (whose advice,
  // restore the evidence database from a backup, would be wrong); filters without a search still answer.
  const search = () => s.handlers.queryTimeline({ caseNumber, search: 'StopLogging' } as Parameters<typeof s.handlers.queryTimeline>[0]);
  await expect(Promise.resolve().then(search)).rejects.toMatchObject({
    code: 'search-corrupt',
    message: expect.stringMatching(
      new RegExp(
        `^The search index at ${searchFile} is damaged: fts5: .*It is derived from the case database, which holds the evidence records\\.$`,
      ),
    ),
    hint: expect.stringContaining(`move ${searchFile} aside, and start Lariat again`),
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
    expect.stringMatching(/^error: The search index at .* is damaged: fts5: [\s\S]*\nhint: Searches fail until/),
  ]);
  const filtered = await s.handlers.countTimeline({ caseNumber } as Parameters<typeof s.handlers.countTimeline>[0]);
  expect(filtered).toMatchObject({ count: events });
  const result = await checkThroughHandler(dir, s);
  expect(result.ok).toBe(false);
  expect(result.database).toEqual(['ok']);
  expect(result.searchIndex.join('\n')).not.toBe('ok');
  expect(result.hint).toContain(`move ${searchFile} aside, and start Lariat again`);
  open.splice(0).forEach((x) => x.close());
  // Before, the next start threw "fts5: corruption found reading blob" and Lariat did not open at all.
  const again = await checkThroughHandler(dir);
  expect(again).toMatchObject({ ok: true, database: ['ok'], searchIndex: ['ok'], hint: null });
  const aside = fs.readdirSync(dir).filter((f) => f.startsWith('lariat-search.db.damaged-'));
  expect(aside.length).toBeGreaterThan(0);
  expect(fs.readFileSync(path.join(dir, 'logs', 'lariat.log'), 'utf8')).toMatch(/search-index-damaged.*rebuilt/);
  open.splice(0).forEach((x) => x.close());
  expect((await cli(dir, 'timeline', caseNumber, '--count')).out).toBe(String(events));
  const found = await cli(dir, 'timeline', caseNumber, '--search', 'StopLogging', '--count');
  expect(found.code).toBe(0);
  expect(Number(found.out)).toBe(Number((await cli(dir, 'timeline', caseNumber, '--where', 'action=StopLogging', '--count')).out));
  expect(Number(found.out)).toBeGreaterThan(0);
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
  expect(result).toEqual({ ok: true, database: ['ok'], searchIndex: ['ok'], searchRepaired: 0, searchRewritten: 0, hint: null });
});
