import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, expect, test } from 'vitest';
import { makeServices, tempDir } from '../../helpers/services';
import { ensureTestIdentity } from '../../helpers/identity';
import { SHARED_ROOT } from '../detection/helpers';

// The attack: kill -9 in the middle of an import with detection on. The streaming path commits batch by
// batch (events and their hits in one transaction each), so the kill lands between committed batches of a
// file that is not finished; the next start must remove them and their hits alike.

const child = path.join(path.dirname(fileURLToPath(import.meta.url)), 'import-kill-child.ts');
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** One NDJSON file over the parse thread's size limit (so it streams), of shared samples made distinct. */
function bigFile(dir: string): string {
  const panther = path.join(SHARED_ROOT, 'data/cloudtrail/panther');
  const templates = fs
    .readdirSync(panther)
    .filter((n) => n.endsWith('.json'))
    .flatMap((n) => (JSON.parse(fs.readFileSync(path.join(panther, n), 'utf8')) as { Records: Record<string, unknown>[] }).Records);
  const file = path.join(dir, 'big.ndjson');
  const out = fs.openSync(file, 'w');
  let bytes = 0;
  for (let i = 0; bytes < 18 * 1024 * 1024; i++) {
    const line =
      JSON.stringify({
        ...templates[i % templates.length],
        eventID: `kill-${i}`,
        eventTime: new Date(Date.UTC(2024, 0, 1) + i * 1000).toISOString(),
      }) + '\n';
    fs.writeSync(out, line);
    bytes += line.length;
  }
  fs.closeSync(out);
  return file;
}

/** Runs the import in a child and SIGKILLs it once a batch of events with hits is committed while the file is still being read. */
function importAndKill(dataDir: string, caseNumber: string, file: string): Promise<{ killed: boolean; hits: number }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', child, dataDir, caseNumber, file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const db = new Database(path.join(dataDir, 'lariat.db'), { readonly: true });
    let hits = 0;
    let killed = false;
    const timer = setInterval(() => {
      try {
        const running = db.prepare("SELECT count(*) AS n FROM timeline_imports WHERE state = 'running'").get() as { n: number };
        const h = db.prepare('SELECT count(*) AS n FROM detection_hits').get() as { n: number };
        if (running.n > 0 && h.n > 0) {
          hits = h.n;
          killed = p.kill('SIGKILL');
          clearInterval(timer);
        }
      } catch {
        // The child may hold a write lock for a moment: ask again.
      }
    }, 5);
    p.on('exit', (code, signal) => {
      clearInterval(timer);
      db.close();
      if (signal === 'SIGKILL' || code === 0) resolve({ killed: killed && signal === 'SIGKILL', hits });
      else reject(new Error(`child failed (${code}): ${err}`));
    });
  });
}

test('kill -9 mid-import with detection on: the next start removes the unfinished file’s events and their hits together', async () => {
  const dataDir = tempDir('lariat-import-kill-');
  const work = tempDir('lariat-import-kill-in-');
  dirs.push(dataDir, work);
  const file = bigFile(work);
  let s = makeServices({ dataDir });
  ensureTestIdentity(s);
  const caseNumber = s.core.cases.create({ title: 'kill', severity: 'low' }).number;
  s.close();
  const { killed, hits } = await importAndKill(dataDir, caseNumber, file);
  // The kill landed after hits were committed and before the file was done (otherwise the attack did not happen).
  expect(killed).toBe(true);
  expect(hits).toBeGreaterThan(0);
  s = makeServices({ dataDir });
  const count = (sql: string) => (s.core.db.prepare(sql).get() as { n: number }).n;
  expect(count('SELECT count(*) AS n FROM timeline_events')).toBe(0);
  expect(count('SELECT count(*) AS n FROM detection_hits')).toBe(0);
  expect(count("SELECT count(*) AS n FROM timeline_imports WHERE state = 'failed'")).toBe(1);
  s.close();
});
