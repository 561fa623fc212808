// Import of ~1M CloudTrail records (~1 GB of JSON in CloudTrail's delivery
// format, 1000 records per file, made by varying the demo's public samples with
// test/support/cloudtrail-generator.ts, which the e2e tier's 100,000-event case uses too) into a
// fresh case: evidence hashing + vault copy, parsing, de-duplication, events,
// indexes and the full-text index included. Printed beside `jq -c '.Records[]'`
// reading the same files, measured in the same run: wall time and CPU time
// (user + sys, all threads), peak RSS, and the data folder's size against the
// input. LARIAT_BENCH_RECORDS shrinks it (e.g. 100000).
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { spawnSync } from 'node:child_process';
import { createServices } from '../main/services';
import { writeCloudTrailDeliveries } from '../test/support/cloudtrail-generator';

export const WORK = path.resolve('bench/.work/timeline');
export const RECORDS = Number(process.env.LARIAT_BENCH_RECORDS ?? (process.argv.includes('--quick') ? 100_000 : 1_000_000));
/** Writes the files once (kept between runs for the same record count). */
export function generate(records = RECORDS): { dir: string; files: string[]; bytes: number } {
  const dir = path.join(WORK, `ct-${records}`);
  const marker = path.join(dir, '.complete');
  if (!fs.existsSync(marker)) {
    fs.rmSync(dir, { recursive: true, force: true });
    writeCloudTrailDeliveries(dir, records);
    fs.writeFileSync(marker, '');
  }
  const files = fs
    .readdirSync(dir)
    .filter((n) => n.endsWith('.json'))
    .sort()
    .map((n) => path.join(dir, n));
  return { dir, files, bytes: files.reduce((n, f) => n + fs.statSync(f).size, 0) };
}

/** jq over the files: wall seconds and CPU seconds (user + sys, from /usr/bin/time). */
export function timeJq(files: string[]): { wall: number; cpu: number } {
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S', 'sh', '-c', `jq -c '.Records[]' "$@" > /dev/null`, 'jq', ...files], {
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`jq failed (${r.stderr}); install it with apt-get install jq time`);
  const [u, s] = r.stderr.trim().split('\n').at(-1)!.split(' ').map(Number);
  return { wall: (performance.now() - t0) / 1000, cpu: u! + s! };
}

/** Bytes under a folder (every file: database, WAL, search index, vault copies). */
export function folderBytes(dir: string): number {
  let n = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true }))
    if (e.isFile()) n += fs.statSync(path.join(e.parentPath, e.name)).size;
  return n;
}

const cpuSeconds = () => {
  const u = process.resourceUsage();
  return (u.userCPUTime + u.systemCPUTime) / 1e6;
};

/** Load average over the last minute, to state the conditions of a run on a shared machine. */
export const load = () => fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0] ?? '?';

/** Imports the generated files into a fresh data folder; returns seconds, peak RSS and the case. */
export async function importCase(
  dir: string,
): Promise<{ seconds: number; cpu: number; peakRss: number; caseNumber: string; dataDir: string; imported: number }> {
  const dataDir = path.join(WORK, `data-${path.basename(dir)}`);
  fs.rmSync(dataDir, { recursive: true, force: true });
  const s = createServices({ dataDir, env: {} });
  try {
    if (!s.custody.identity.current())
      s.custody.identity.create({ name: 'Bench investigator', role: 'bench', organisation: 'Lariat bench', contact: '' });
    const caseNumber = s.core.cases.create({ title: 'Import benchmark', severity: 'low' }).number;
    let peakRss = process.memoryUsage().rss;
    const timer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
    const c0 = cpuSeconds();
    const t0 = performance.now();
    const report = await s.timeline.imports.importPaths(caseNumber, [dir]);
    const seconds = (performance.now() - t0) / 1000;
    const cpu = cpuSeconds() - c0;
    clearInterval(timer);
    peakRss = Math.max(peakRss, process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024);
    fs.writeFileSync(path.join(WORK, 'case.json'), JSON.stringify({ dataDir, caseNumber, records: report.imported }));
    return { seconds, cpu, peakRss, caseNumber, dataDir, imported: report.imported };
  } finally {
    s.close();
  }
}

/**
 * The same import the way a user runs it: the built CLI (`lariat import`) as a child process into a
 * fresh data folder, measured by `/usr/bin/time` (wall, CPU of all its threads, peak RSS), start-up included.
 */
export function importByCli(dir: string): { seconds: number; cpu: number; peakRss: number; imported: number } {
  const dataDir = path.join(WORK, `cli-${path.basename(dir)}`);
  fs.rmSync(dataDir, { recursive: true, force: true });
  const s = createServices({ dataDir, env: {} });
  let caseNumber: string;
  try {
    s.custody.identity.create({ name: 'Bench investigator', role: 'bench', organisation: 'Lariat bench', contact: '' });
    caseNumber = s.core.cases.create({ title: 'CLI import benchmark', severity: 'low' }).number;
  } finally {
    s.close();
  }
  const cli = path.resolve('bin/lariat.js');
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', process.execPath, cli, 'import', caseNumber, dir, '--json'], {
    env: { ...process.env, LARIAT_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`lariat import exited with ${r.status}: ${r.stderr.slice(-2000)}`);
  const [wall, u, sys, maxKb] = r.stderr.trim().split('\n').at(-1)!.split(' ').map(Number);
  const report = JSON.parse(r.stdout) as { imported: number };
  fs.rmSync(dataDir, { recursive: true, force: true });
  return { seconds: wall!, cpu: u! + sys!, peakRss: maxKb! * 1024, imported: report.imported };
}

async function main(): Promise<void> {
  const g0 = performance.now();
  const { dir, files, bytes } = generate();
  console.log(
    `input: ${RECORDS.toLocaleString('en-US')} CloudTrail records in ${files.length} files, ${(bytes / 1e9).toFixed(2)} GB (ready in ${((performance.now() - g0) / 1000).toFixed(1)} s)`,
  );
  const loadBefore = load();
  const jq = timeJq(files);
  console.log(`reference  jq -c '.Records[]' (read only):     ${jq.wall.toFixed(1)} s wall, ${jq.cpu.toFixed(1)} s CPU`);
  const r = await importCase(dir);
  console.log(
    `lariat     import (vault, parse, dedup, index, FTS): ${r.seconds.toFixed(1)} s wall, ${r.cpu.toFixed(1)} s CPU  (${Math.round(r.imported / r.seconds).toLocaleString('en-US')} records/s, ${r.imported.toLocaleString('en-US')} imported)`,
  );
  console.log(`ratio      CPU  lariat / jq:                   ${(r.cpu / jq.cpu).toFixed(2)}  (goal <= 1.00)`);
  console.log(`ratio      wall lariat / jq:                   ${(r.seconds / jq.wall).toFixed(2)}  (goal <= 0.60 on an idle machine)`);
  console.log(
    `peak RSS during import (this process, tsx and all services): ${Math.round(r.peakRss / 1048576)} MB  (no heap cap here; the goal, < 512 MB, is the CLI's below)`,
  );
  const size = (name: string) => (fs.statSync(path.join(r.dataDir, name)).size / 1e9).toFixed(2);
  const cli = importByCli(dir);
  console.log(
    `lariat CLI import (built, child process):      ${cli.seconds.toFixed(1)} s wall, ${cli.cpu.toFixed(1)} s CPU, CPU / jq ${(cli.cpu / jq.cpu).toFixed(2)}, peak RSS ${Math.round(cli.peakRss / 1048576)} MB (goal < 512 MB)  (${cli.imported.toLocaleString('en-US')} imported)`,
  );
  const total = folderBytes(r.dataDir);
  console.log(
    `data folder: ${(total / 1e9).toFixed(2)} GB = ${(total / bytes).toFixed(2)} x the input (goal <= 2.0): database ${size('lariat.db')} GB, full-text index ${size('lariat-search.db')} GB, vault ${(folderBytes(path.join(r.dataDir, 'vault')) / 1e9).toFixed(2)} GB`,
  );
  console.log(
    `machine: ${os.cpus().length} cores, load average ${loadBefore} before, ${load()} after (shared machine: CPU time is the figure to compare)`,
  );
}

if (process.argv[1]?.endsWith('import.bench.ts')) await main();
