// What the import's guarantees cost on their own, against `jq -c '.Records[]'` on
// the same files, in the same run: each component the import runs (the vault copy
// with its three hashes and read-back, Lariat's reading of the records, the
// detection rules, the database rows with de-duplication and indexes, the
// full-text index) is timed alone, one after the other, on this thread (the
// full-text index on its own thread, as in the import). Their sum is the CPU an
// import needs before any thread, transfer or garbage collection of its own, and
// what a CPU goal against jq has to leave room for: the import's measured figure
// (import.bench.ts) is printed beside it. LARIAT_BENCH_RECORDS sets the size
// (default 1,000,000; --quick: 100,000).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createServices } from '../main/services';
import { openDatabase } from '../main/db/database';
import { copyIntoVault } from '../main/custody/vault-copy';
import { packBuffer } from '../main/timeline/packed';
import { EventStore, DuplicateTally } from '../main/timeline/event-store';
import { DuplicateFinder } from '../main/timeline/duplicates';
import { RawReader } from '../main/timeline/raw-reader';
import { SearchWriter } from '../main/timeline/fts/search-writer';
import { threadCode } from '../main/timeline/threads/thread-code';
import { RuleSet } from '../main/detection/engine/rule-set';
import { collectRuleSources } from '../main/detection/rules/sources';
import { WORK, RECORDS, generate, timeJq, importCase, load } from './import.bench';

const cpuSeconds = () => {
  const u = process.resourceUsage();
  return (u.userCPUTime + u.systemCPUTime) / 1e6;
};

/** A thread's CPU seconds (user + sys, from /proc; 10 ms ticks, unbiased over many calls). */
const taskCpuSeconds = (task: string) => {
  const stat = fs.readFileSync(`/proc/${task}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
};
const threadCpuSeconds = () => taskCpuSeconds('thread-self');
const tasks = () => new Set(fs.readdirSync('/proc/self/task'));

type Measured = { cpu: number; wall: number };

/** CPU seconds (all threads of this process) and wall seconds of `fn`. */
async function measure(fn: () => unknown): Promise<Measured> {
  globalThis.gc?.();
  const c0 = cpuSeconds();
  const t0 = performance.now();
  await fn();
  return { cpu: cpuSeconds() - c0, wall: (performance.now() - t0) / 1000 };
}

async function main(): Promise<void> {
  const { dir, files, bytes } = generate();
  const scratch = path.join(WORK, 'floor');
  fs.rmSync(scratch, { recursive: true, force: true });
  const loadBefore = load();
  console.log(`input: ${RECORDS.toLocaleString('en-US')} CloudTrail records in ${files.length} files, ${(bytes / 1e9).toFixed(2)} GB`);
  const jq = timeJq(files);
  const rows: [string, Measured][] = [];
  const show = (name: string, r: Measured) => {
    rows.push([name, r]);
    console.log(`${name.padEnd(58)} ${r.cpu.toFixed(1).padStart(6)} s CPU  ${(r.cpu / jq.cpu).toFixed(2)} x jq`);
  };
  console.log(
    `${"reference: jq -c '.Records[]'".padEnd(58)} ${jq.cpu.toFixed(1).padStart(6)} s CPU  1.00 x jq  (${jq.wall.toFixed(1)} s wall)`,
  );

  // Below the import: reading the files, and V8 parsing them whole (no byte ranges, no columns).
  const read = await measure(() => files.forEach((f) => fs.readFileSync(f)));
  const parse = await measure(() => files.forEach((f) => JSON.parse(fs.readFileSync(f, 'utf8'))));
  console.log(`(for scale: reading the files ${read.cpu.toFixed(1)} s CPU, JSON.parse of each file whole ${parse.cpu.toFixed(1)} s)`);

  const vaultDir = path.join(scratch, 'vault');
  show(
    'vault copy: MD5 + SHA-1 + SHA-256, write, fsync, read-back',
    await measure(async () => {
      for (const f of files) await copyIntoVault(f, vaultDir);
    }),
  );
  fs.rmSync(vaultDir, { recursive: true, force: true });

  const { sources } = collectRuleSources(path.resolve('resources'), []);
  const set = new RuleSet(sources);
  const pack = (f: string, match?: (record: unknown) => number[]) => {
    const b = fs.readFileSync(f);
    return packBuffer(b, b.length, { maxLine: 512 << 20, match });
  };
  const matchRecord = (r: unknown) => set.matchRecord(r);
  // Compiled first (a tenth of the files, both ways): the floor is the steady state, not V8's warm-up.
  for (const f of files.slice(0, Math.ceil(files.length / 10))) {
    pack(f);
    pack(f, matchRecord);
  }
  // Twice each, alternating, the lower kept: a pass's CPU moves with the host and the heap.
  const passes = async (match?: typeof matchRecord) => measure(() => files.forEach((f) => pack(f, match)));
  const [r1, m1, r2, m2] = [await passes(), await passes(matchRecord), await passes(), await passes(matchRecord)];
  const lower = (a: Measured, b: Measured) => (a.cpu <= b.cpu ? a : b);
  const reading = lower(r1!, r2!);
  const withRules = lower(m1!, m2!);
  show("Lariat's reading: records, byte ranges, columns, identities", reading);
  show(`detection: ${set.rules.length} rules on every record (reading with them, less without)`, {
    cpu: withRules.cpu - reading.cpu,
    wall: withRules.wall - reading.wall,
  });

  // The database (this thread) and the full-text index (its own thread) take each group of packed files as the
  // import's main and search threads do, packed here as they come (nothing held): the database's figure is this
  // thread's CPU inside its calls; the full-text index's is the CPU of the thread started for it.
  const dataDir = path.join(scratch, 'data');
  const s = createServices({ dataDir, env: {} });
  s.custody.identity.create({ name: 'Bench investigator', role: 'bench', organisation: 'Lariat bench', contact: '' });
  const caseId = s.core.cases.require(s.core.cases.create({ title: 'Floor benchmark', severity: 'low' }).number).id;
  s.close();
  const db = openDatabase(path.join(dataDir, 'lariat.db'));
  threadCode('search'); // bundled now when run from source, not inside the measurement
  let database = 0;
  const onThisThread = (fn: () => void) => {
    const c0 = threadCpuSeconds();
    fn();
    database += threadCpuSeconds() - c0;
  };
  globalThis.gc?.();
  const t0 = performance.now();
  const store = new EventStore(db);
  const search = new SearchWriter(db);
  const before = tasks();
  if (!search.start()) throw new Error('the search thread did not start');
  onThisThread(() => store.deferIndexes(db));
  const dups = new DuplicateFinder(db, caseId, new RawReader(path.join(dataDir, 'vault')), { indexed: false });
  for (let i = 0; i < files.length; i += 10) {
    const group = files.slice(i, i + 10).map((f) => pack(f));
    const ids: Float64Array[] = [];
    onThisThread(() =>
      db.transaction(() => {
        for (const p of group)
          ids.push(store.addPacked(caseId, p, { importId: null, evidenceId: null, file: null }, dups, new DuplicateTally()));
      })(),
    );
    search.addPacked(group.map((p, k) => ({ ids: ids[k]!, raw: p.search })));
    await search.backlog(2);
  }
  onThisThread(() => EventStore.restoreIndexes(db));
  await search.backlog(0);
  const searchThreads = [...tasks()].filter((t) => !before.has(t));
  const elsewhere = searchThreads.reduce((n, t) => n + taskCpuSeconds(`self/task/${t}`), 0);
  await search.finish();
  const wall = (performance.now() - t0) / 1000;
  show('database: rows, de-duplication, indexes (built at the end)', { cpu: database, wall });
  show('full-text index: keys stripped, FTS5 (its own thread)', { cpu: elsewhere, wall });
  db.close();
  fs.rmSync(scratch, { recursive: true, force: true });

  const floor = rows.reduce((n, [, r]) => n + r.cpu, 0);
  console.log(`${'sum of the components'.padEnd(58)} ${floor.toFixed(1).padStart(6)} s CPU  ${(floor / jq.cpu).toFixed(2)} x jq`);
  const whole = await importCase(dir);
  console.log(
    `${'the import (import.bench.ts: all of it, threads, transfers, GC)'.padEnd(58)} ${whole.cpu.toFixed(1).padStart(6)} s CPU  ${(whole.cpu / jq.cpu).toFixed(2)} x jq  (${whole.seconds.toFixed(1)} s wall)`,
  );
  console.log(`machine: ${os.cpus().length} cores, load average ${loadBefore} before, ${load()} after`);
}

if (process.argv[1]?.endsWith('import-floor.bench.ts')) await main();
