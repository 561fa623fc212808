import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { expect, test } from 'vitest';
import { checkDatabase, openCheckOf, openDatabase } from '../../../main/db/database';
import { migrations } from '../../../main/db/migrations';
import { perTest } from '../../helpers/temp-dirs';
import { damageTree } from '../../helpers/damage';

const { dir } = perTest();
const dbPath = () => path.join(dir(), 'lariat.db');

/** A pid that no process of this host has (the child ran and exited). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

/** Damages an index page while keeping the file's size: only a full check finds it. */
const corruptIndex = (file: string) => damageTree(file, 'timeline_events_time');

function withEvents(file: string): void {
  const db = openDatabase(file);
  db.prepare(
    "INSERT INTO cases (number, title, severity, status, tlp, opened_at, updated_at) VALUES ('IR-1', 't', 'low', 'open', 'amber', 'x', 'x')",
  ).run();
  const ins = db.prepare("INSERT INTO timeline_events (case_id, ts, source) VALUES (1, ?, 'cloudtrail')");
  db.transaction(() => {
    for (let i = 0; i < 3000; i++) ins.run(i);
  })();
  db.close();
}

test('a clean close leaves no marker, and the next open does not scan the database', () => {
  const file = dbPath();
  withEvents(file);
  expect(fs.readdirSync(`${file}.open`)).toEqual([]);
  const db = openDatabase(file);
  expect(openCheckOf(db)).toBe('skipped');
  expect(fs.readdirSync(`${file}.open`)).toEqual([`${os.hostname()}-${process.pid}`]);
  db.close();
  expect(fs.readdirSync(`${file}.open`)).toEqual([]);
});

test('after an unclean shutdown (a dead process left its marker) the open checks, and refuses a damaged database', () => {
  const file = dbPath();
  withEvents(file);
  corruptIndex(file);
  // Closed cleanly: the damage is not looked for at open (that is what keeps opening cheap)...
  const quiet = openDatabase(file);
  expect(openCheckOf(quiet)).toBe('skipped');
  quiet.close();
  // ...but a process that died with the database open leaves its marker, and the next open checks everything.
  fs.writeFileSync(path.join(`${file}.open`, `${os.hostname()}-${deadPid()}`), '');
  expect(() => openDatabase(file)).toThrow(/failed SQLite's integrity check/);
});

test('after an unclean shutdown of an intact database the open checks once, then clears the marker', () => {
  const file = dbPath();
  withEvents(file);
  const stale = path.join(`${file}.open`, `${os.hostname()}-${deadPid()}`);
  fs.writeFileSync(stale, '');
  const db = openDatabase(file);
  expect(openCheckOf(db)).toBe('unclean-shutdown');
  expect(fs.existsSync(stale)).toBe(false);
  db.close();
  const again = openDatabase(file);
  expect(openCheckOf(again)).toBe('skipped');
  again.close();
});

test('an upgrade checks the database before migrating it; checkDatabase checks on demand', () => {
  const file = dbPath();
  openDatabase(file, { migrations: migrations.slice(0, 6) }).close();
  const db = openDatabase(file);
  expect(openCheckOf(db)).toBe('upgrade');
  expect(checkDatabase(db)).toEqual({ ok: true, database: ['ok'], searchIndex: ['ok'] });
  db.close();
  const damaged = dbPath();
  withEvents(damaged);
  corruptIndex(damaged);
  const d = openDatabase(damaged);
  const r = checkDatabase(d);
  d.close();
  expect(r.ok).toBe(false);
  expect(r.database.join('\n')).toMatch(/timeline_events_time|wrong # of entries|page|malformed/);
});
