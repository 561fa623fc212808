// Import-time detection (issue 17, item 3), measured in one run on the import benchmark's generated
// CloudTrail files (delivery format, 1000 records per file):
//  1. import into a fresh data folder with every shipped rule switched off (the rules load, nothing matches),
//  2. the same import with every shipped rule on (records matched where they are parsed, hits stored with
//     their events): the ratio is what detection adds to an import (goal <= 1.1x, CPU and wall);
//  3. a rescan of that case with every rule (records read back from the vault copies) beside
//     `jq -c '.Records[]'` over the raw files (goal <= 1.0x).
// CPU is user + sys of every thread of this process. N: LARIAT_BENCH_RECORDS (default 200,000 here,
// which runs in a few minutes on a shared 2-core machine; LARIAT_BENCH_RECORDS=1000000 for the size).
// --import-only stops after the import ratio (steps 1 and 2).
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { createServices } from '../main/services';
import { DetectionService } from '../main/detection/detection-service';
import { generate, load, WORK } from './import.bench';

const RECORDS = Number(process.env.LARIAT_BENCH_RECORDS ?? (process.argv.includes('--quick') ? 50_000 : 200_000));

interface Cost {
  wall: number;
  cpu: number;
}

const cpuSeconds = () => {
  const u = process.resourceUsage();
  return (u.userCPUTime + u.systemCPUTime) / 1e6;
};

async function measure(fn: () => unknown): Promise<Cost> {
  const c0 = cpuSeconds();
  const t0 = performance.now();
  await fn();
  return { wall: (performance.now() - t0) / 1000, cpu: cpuSeconds() - c0 };
}

/** jq over the files: wall seconds and CPU seconds (user + sys, from /usr/bin/time). */
function jq(files: string[]): Cost {
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S', 'sh', '-c', `jq -c '.Records[]' "$@" > /dev/null`, 'jq', ...files], {
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`jq failed (${r.stderr}); install it with apt-get install jq time`);
  const [u, s] = r.stderr.trim().split('\n').at(-1)!.split(' ').map(Number);
  return { wall: (performance.now() - t0) / 1000, cpu: u! + s! };
}

const fmt = (c: Cost) => `${c.wall.toFixed(1)} s wall, ${c.cpu.toFixed(1)} s CPU`;
const ratio = (a: Cost, b: Cost) => `${(a.wall / b.wall).toFixed(2)} wall, ${(a.cpu / b.cpu).toFixed(2)} CPU`;

/** CPU seconds of the main thread alone (Linux: /proc/self/task/<pid>/stat, in clock ticks of 10 ms). */
const mainThreadCpu = (): number => {
  try {
    const f = fs.readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const [utime, stime] = f
      .slice(f.lastIndexOf(')') + 2)
      .split(' ')
      .slice(11, 13)
      .map(Number);
    return (utime! + stime!) / 100;
  } catch {
    return NaN;
  }
};

/**
 * Wall time and main-thread CPU of what runs once at the end of an import with rules (marking the scan, the
 * correlation rules), measured around `finishImport`: other threads may still be finishing meanwhile, so the
 * process CPU would count their work too.
 */
const finishCost: Cost = { wall: 0, cpu: 0 };
const finishImport = DetectionService.prototype.finishImport;
DetectionService.prototype.finishImport = function (this: DetectionService, ...args: Parameters<typeof finishImport>) {
  const c0 = mainThreadCpu();
  const t0 = performance.now();
  try {
    return finishImport.apply(this, args);
  } finally {
    finishCost.wall += (performance.now() - t0) / 1000;
    finishCost.cpu += mainThreadCpu() - c0;
  }
};

/** Imports the folder into a fresh data folder with the shipped rules on or off; keeps the services open for a rescan. */
async function importWith(dir: string, rules: 'on' | 'off') {
  const dataDir = path.join(WORK, `detect-import-${rules}-${RECORDS}`);
  fs.rmSync(dataDir, { recursive: true, force: true });
  const s = createServices({ dataDir, env: {} });
  s.custody.identity.create({ name: 'Bench investigator', role: 'bench', organisation: 'Lariat bench', contact: '' });
  const caseNumber = s.core.cases.create({ title: `Import, rules ${rules}`, severity: 'low' }).number;
  const loaded = s.detection.service.loadRules().set;
  if (rules === 'off') for (const m of loaded.metas()) s.detection.service.setEnabled(m.id, false);
  const count = rules === 'off' ? 0 : loaded.rules.length + loaded.correlations.length;
  let imported = 0;
  const cost = await measure(async () => (imported = (await s.timeline.imports.importPaths(caseNumber, [dir])).imported));
  const hits = (s.core.db.prepare('SELECT count(*) AS n FROM detection_hits').get() as { n: number }).n;
  return { s, caseNumber, cost, imported, hits, count };
}

async function main(): Promise<void> {
  const { dir, files, bytes } = generate(RECORDS);
  console.log(
    `input: ${RECORDS.toLocaleString('en-US')} CloudTrail records in ${files.length} files, ${(bytes / 1e9).toFixed(2)} GB; node ${process.version}; load ${load()}`,
  );
  const off = await importWith(dir, 'off');
  off.s.close();
  console.log(
    `lariat     import, every rule off:                   ${fmt(off.cost)}  (${off.imported.toLocaleString('en-US')} imported, ${off.hits} hits)`,
  );
  const on = await importWith(dir, 'on');
  try {
    console.log(
      `lariat     import, every shipped rule on (${on.count}):      ${fmt(on.cost)}  (${on.imported.toLocaleString('en-US')} imported, ${on.hits.toLocaleString('en-US')} hits)`,
    );
    console.log(`ratio      import rules on / rules off:              ${ratio(on.cost, off.cost)}  (goal <= 1.10)`);
    console.log(`of which  the end of the import (correlation rules): ${fmt(finishCost)}  (main thread CPU)`);
    // --import-only: the import ratio alone (the rescan and jq take as long again at 1,000,000 records).
    if (process.argv.includes('--import-only')) return;
    const ref = jq(files);
    console.log(`reference  jq -c '.Records[]' over the raw files:    ${fmt(ref)}`);
    let report = { hits: 0, correlations: 0 };
    const rescan = await measure(async () => (report = await on.s.detection.service.rescan(on.caseNumber)));
    console.log(
      `lariat     rescan of the case, every rule:           ${fmt(rescan)}  (${Math.round(RECORDS / rescan.wall).toLocaleString('en-US')} events/s, ${report.hits.toLocaleString('en-US')} hits, ${report.correlations} correlations)`,
    );
    console.log(`ratio      rescan / jq:                              ${ratio(rescan, ref)}  (goal <= 1.00)`);
  } finally {
    on.s.close();
  }
  console.log(`machine load average after: ${load()} (shared machine: CPU time is the figure to compare)`);
}

if (process.argv[1]?.endsWith('import-detection.bench.ts')) await main();
