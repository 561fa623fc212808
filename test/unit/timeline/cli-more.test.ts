import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { cli } from '../../helpers/cli';
import { cliCase } from '../../helpers/cli-setup';
import Database from 'better-sqlite3';
import { EXIT_REJECTED } from '../../../main/cli/commands/timeline';

const FIX = path.resolve(__dirname, '../../fixtures/timeline');
let dir: string;
let caseNumber: string;

beforeAll(async () => ({ dir, caseNumber } = await cliCase('cli')));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('an import with a rejected file exits with its own code, and the report and custody say what happened to each file', async () => {
  const notes = path.join(dir, 'notes.txt');
  fs.writeFileSync(notes, 'not a log\n');
  const r = await cli(dir, 'import', caseNumber, path.join(FIX, 'lookup-events.json'), notes);
  expect(r.code).toBe(EXIT_REJECTED);
  expect(r.out).toMatch(/notes\.txt\s+-\s+0\s+0\s+1\s+0\s+REJECTED: nothing imported/);
  expect(r.out).toMatch(/total: 2 imported, 0 flagged, 1 rejected, 0 duplicates skipped in 2 file\(s\) .*; 1 file\(s\) gave no record/);
  expect(r.err).toMatch(/not JSON and not a VPC flow log header or record/);
  const log = (await cli(dir, 'custody', 'log', caseNumber, '--json')).out;
  const entries = JSON.parse(log) as { action: string; purpose: string; evidence: { description: string } | null }[];
  expect(entries.filter((e) => e.action === 'note').map((e) => e.purpose)).toEqual([
    'timeline import (cloudtrail): 2 records imported',
    'timeline import: nothing imported (1 rejected); not a format Lariat reads',
  ]);
  expect(entries.some((e) => e.evidence?.description.startsWith('Imported into the timeline'))).toBe(false);
  // All imported (duplicates skipped are not rejections): exit 0.
  const again = await cli(dir, 'import', caseNumber, path.join(FIX, 'lake-results.json'));
  expect([again.code, again.out]).toEqual([0, expect.stringMatching(/total: 1 imported, 0 flagged, 0 rejected, 1 duplicates skipped/)]);
});

test('timeline --count, --sort newest, repeated --where, and timeline show', async () => {
  const count = await cli(dir, 'timeline', caseNumber, '--where', 'action=stoplogging', '--where', 'action=DELETETRAIL', '--count');
  expect([count.code, count.out]).toEqual([0, '2']);
  const newest = JSON.parse((await cli(dir, 'timeline', caseNumber, '--sort', 'newest', '--json')).out) as {
    events: { id: number; action: string }[];
  };
  expect(newest.events.map((e) => e.action)).toEqual(['DeleteTrail', 'ListBuckets', 'StopLogging']);
  const show = await cli(dir, 'timeline', 'show', caseNumber, String(newest.events[2]!.id));
  expect(show.code).toBe(0);
  expect(show.out).toMatch(/^id: \d+\ntime: 2024-03-04T09:20:01.000Z/);
  const raw = show.out.slice(show.out.indexOf('\n\n') + 2);
  expect(fs.readFileSync(path.join(FIX, 'lookup-events.json'), 'utf8')).toContain(raw);
  // The event id alone finds its case.
  expect((await cli(dir, 'timeline', 'show', String(newest.events[2]!.id))).out).toBe(show.out);
  expect((await cli(dir, 'timeline', 'show', '999999')).err).toMatch(/Timeline event 999999/);
  const bad = await cli(dir, 'timeline', caseNumber, '--from', '2023-13-45');
  expect([bad.code, bad.err]).toEqual([
    1,
    expect.stringMatching(/"2023-13-45" is not a valid time: there is no month 13\.\nhint: Use ISO-8601/),
  ]);
  const punct = await cli(dir, 'timeline', caseNumber, '--search', '%%');
  expect([punct.code, punct.err]).toEqual([1, expect.stringMatching(/no letters or digits/)]);
  const sev = await cli(dir, 'findings', caseNumber, '--severity', 'bogus');
  expect([sev.code, sev.err]).toEqual([1, expect.stringMatching(/--severity/)]);
});

test('settings, candidates and promotion, and db check from the command line', async () => {
  expect((await cli(dir, 'timeline', 'settings', caseNumber)).out).toBe('keep duplicates: off (every event once)');
  expect((await cli(dir, 'timeline', 'settings', caseNumber, '--keep-duplicates', 'on')).out).toBe('keep duplicates: on');
  expect((await cli(dir, 'timeline', 'settings', caseNumber, '--keep-duplicates', 'maybe')).code).toBe(1);
  const cands = JSON.parse((await cli(dir, 'ioc', 'candidates', caseNumber, '--type', 'ip', '--json')).out) as {
    value: string;
    count: number;
  }[];
  expect(cands).toEqual(
    expect.arrayContaining([
      expect.objectContaining({
        value: '203.0.113.66',
        count: 2,
        firstSeen: '2024-03-04T09:20:01.000Z',
        lastSeen: '2024-03-04T09:25:00.000Z',
      }),
    ]),
  );
  expect((await cli(dir, 'ioc', 'promote', caseNumber, 'ip', '203.0.113.66')).out).toMatch(
    /IOC \d+: ip 203\.0\.113\.66 .*timeline candidate \(2 events\)/,
  );
  expect((await cli(dir, 'ioc', 'promote', caseNumber, 'ip', '192.0.2.250')).code).toBe(1);
  const check = await cli(dir, 'db', 'check');
  expect([check.code, check.out]).toEqual([0, expect.stringMatching(/^database: ok\nsearch index: ok/)]);
});

test('db check writes a search index from before IP tokens again, but not while an import runs, and says which', async () => {
  const search = new Database(path.join(dir, 'lariat-search.db'));
  search.prepare("UPDATE meta SET value = 0 WHERE key = 'ip_tokens'").run();
  search.close();
  // An import of another process (alive: this one's parent) is running: its session row.
  const db = new Database(path.join(dir, 'lariat.db'));
  const session = db
    .prepare("INSERT INTO timeline_import_sessions (owner, started_at) VALUES (?, 'x')")
    .run(`${os.hostname()}:${process.ppid}`).lastInsertRowid;
  try {
    const waiting = await cli(dir, 'db', 'check');
    expect([waiting.code, waiting.out]).toEqual([
      0,
      expect.stringMatching(
        /search index: ok; not yet written again with IP tokens: an import is running; run the check again once it ends$/,
      ),
    ]);
  } finally {
    db.prepare('DELETE FROM timeline_import_sessions WHERE id = ?').run(session);
    db.close();
  }
  const events = Number((await cli(dir, 'timeline', caseNumber, '--count')).out);
  const done = await cli(dir, 'db', 'check', '--json');
  expect(JSON.parse(done.out)).toMatchObject({ ok: true, searchRepaired: 0, searchRewritten: events });
  expect((await cli(dir, 'timeline', caseNumber, '--search', '203.0.113.66', '--count')).out).toBe('2');
  expect((await cli(dir, 'db', 'check')).out).toBe('database: ok\nsearch index: ok');
});
