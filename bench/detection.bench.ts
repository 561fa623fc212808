// Detection (issue 17), measured beside references in the same run:
//  1. matching 1,000,000 generated CloudTrail records (the import benchmark's files) against every shipped
//     rule: the engine alone on parsed records (what import-time matching on the parse thread adds), and
//     parse + match from the files, beside `jq -c '.Records[]'` over the same files;
//  2. import without detection, then the catch-up and a full rescan of the stored case, beside jq
//     (the rescan goal: no slower than jq);
//  3. cross-case lookup: 20 cases totalling 2,000,000 events, p50/p95 of one value, beside a scan.
// CPU time (user+sys) is printed with wall time. --quick: 100,000 records and 200,000 events.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { createServices } from '../main/services';
import { collectRuleSources } from '../main/detection/rules/sources';
import { RuleSet } from '../main/detection/engine/rule-set';
import { generate, RECORDS, WORK } from './import.bench';

const quick = process.argv.includes('--quick');
const only = (name: string) => !process.argv.some((a) => a.startsWith('--only=')) || process.argv.includes(`--only=${name}`);

interface Cost {
  wall: number;
  cpu: number;
}

/** Wall and CPU seconds of work in this process. */
async function measure(fn: () => unknown): Promise<Cost> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await fn();
  const c = process.cpuUsage(c0);
  return { wall: (performance.now() - t0) / 1000, cpu: (c.user + c.system) / 1e6 };
}

/** jq over the files: wall time, and the child's CPU from the shell's `times`. */
function jq(files: string[]): Cost {
  const t0 = performance.now();
  const r = spawnSync('sh', ['-c', `jq -c '.Records[]' "$@" > /dev/null; times`, 'jq', ...files], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`jq failed: ${r.stderr}`);
  const wall = (performance.now() - t0) / 1000;
  const lines = r.stdout.trim().split('\n');
  const secs = (s: string) => {
    const m = /(\d+)m([\d.]+)s/.exec(s);
    return m ? Number(m[1]) * 60 + Number(m[2]) : 0;
  };
  const [u, s] = (lines[lines.length - 1] ?? '').split(/\s+/);
  return { wall, cpu: secs(u ?? '') + secs(s ?? '') };
}

const fmt = (c: Cost) => `${c.wall.toFixed(1)} s wall, ${c.cpu.toFixed(1)} s CPU`;
const line = (label: string, c: Cost, extra = '') => console.log(`${label.padEnd(58)} ${fmt(c)}${extra}`);

function loadRules(): RuleSet {
  const set = new RuleSet(collectRuleSources(path.resolve('resources'), []).sources);
  if (set.errors.length) throw new Error(`rules did not load: ${set.errors.map((e) => e.path).join(', ')}`);
  return set;
}

async function engine(files: string[], records: number): Promise<void> {
  const set = loadRules();
  console.log(`rules: ${set.rules.length} detection + ${set.correlations.length} correlation rules`);
  const ref = jq(files);
  line("reference  jq -c '.Records[]' (read + parse + print)", ref);
  let parse: Cost = { wall: 0, cpu: 0 };
  let match: Cost = { wall: 0, cpu: 0 };
  let hits = 0;
  for (const f of files) {
    let recs: unknown[] = [];
    const p = await measure(() => (recs = (JSON.parse(fs.readFileSync(f, 'utf8')) as { Records: unknown[] }).Records));
    const m = await measure(() => {
      for (const r of recs) hits += set.matchRecord(r).length;
    });
    parse = { wall: parse.wall + p.wall, cpu: parse.cpu + p.cpu };
    match = { wall: match.wall + m.wall, cpu: match.cpu + m.cpu };
  }
  line('lariat     read + JSON.parse only', parse);
  line(
    'lariat     match only (parsed records: the import-time cost)',
    match,
    `  ${Math.round(records / match.wall).toLocaleString('en-US')} records/s, ${hits} hits`,
  );
  const both = { wall: parse.wall + match.wall, cpu: parse.cpu + match.cpu };
  line('lariat     read + parse + match', both);
  console.log(
    `ratio      (read + parse + match) / jq:                       ${(both.wall / ref.wall).toFixed(2)} wall, ${(both.cpu / ref.cpu).toFixed(2)} CPU  (goal <= 1.00)`,
  );
  console.log(`ratio      match CPU / parse CPU (added to the parse thread):   ${(match.cpu / parse.cpu).toFixed(2)}`);
}

/** --reuse: keep the case a previous run imported (its detection tables are emptied), skipping the import. */
const reuse = process.argv.includes('--reuse');

async function importAndRescan(dir: string, files: string[], records: number): Promise<void> {
  const dataDir = path.join(WORK, `detect-${records}`);
  const reusing = reuse && fs.existsSync(path.join(dataDir, 'lariat.db'));
  if (!reusing) fs.rmSync(dataDir, { recursive: true, force: true });
  const s = createServices({ dataDir, env: {} });
  try {
    s.detection.service.autoCatchUp = false;
    // Measured here: import without detection, then the catch-up (import-time matching is import-detection.bench.ts).
    s.timeline.imports.useDetection(null);
    let caseNumber: string;
    let imp: Cost | null = null;
    if (reusing) {
      caseNumber = s.core.cases.list()[0]!.number;
      s.core.db.exec(
        'DELETE FROM detection_correlation_events; DELETE FROM detection_correlations; DELETE FROM detection_hit_runs; DELETE FROM detection_scans; DELETE FROM indicator_index; DELETE FROM indicator_cases;',
      );
      console.log(`(reusing the case imported by an earlier run: ${caseNumber})`);
    } else {
      s.custody.identity.create({ name: 'Bench investigator', role: 'bench', organisation: 'Lariat bench', contact: '' });
      caseNumber = s.core.cases.create({ title: 'Detection benchmark', severity: 'low' }).number;
      imp = await measure(() => s.timeline.imports.importPaths(caseNumber, [dir]));
      line('lariat     import, detection off', imp);
    }
    const catchUp = await measure(() => s.detection.service.catchUp(caseNumber));
    line('lariat     catch-up after import (read raw rows, parse, match, store hits, correlations, indicator index)', catchUp);
    if (imp)
      console.log(
        `ratio      (import + catch-up) / import:                      ${((imp.wall + catchUp.wall) / imp.wall).toFixed(2)} wall, ${((imp.cpu + catchUp.cpu) / imp.cpu).toFixed(2)} CPU`,
      );
    const ref = jq(files);
    line("reference  jq -c '.Records[]'", ref);
    let report: { hits: number; correlations: number } = { hits: 0, correlations: 0 };
    const rescan = await measure(async () => (report = await s.detection.service.rescan(caseNumber)));
    line(
      'lariat     rescan of the stored case (all rules)',
      rescan,
      `  ${Math.round(records / rescan.wall).toLocaleString('en-US')} events/s, ${report.hits} hits, ${report.correlations} correlations`,
    );
    console.log(
      `ratio      rescan / jq:                                       ${(rescan.wall / ref.wall).toFixed(2)} wall, ${(rescan.cpu / ref.cpu).toFixed(2)} CPU  (goal <= 1.00)`,
    );
    const c = s.core.cases.require(caseNumber).id;
    s.core.db.prepare('DELETE FROM indicator_cases WHERE case_id = ?').run(c);
    const index = await measure(() => s.detection.indicators.refreshCase(c));
    line('lariat     indicator index of the case, full build', index);
  } finally {
    s.close();
  }
}

async function lookup(): Promise<void> {
  const cases = 20;
  const perCase = quick ? 10_000 : 100_000;
  const dataDir = path.join(WORK, `lookup-${cases * perCase}`);
  fs.rmSync(dataDir, { recursive: true, force: true });
  const s = createServices({ dataDir, env: {} });
  try {
    const db = s.core.db;
    const insert = db.prepare(
      `INSERT INTO timeline_events (case_id, ts, time, source, actor, access_key_id, action, event_source, source_ip, user_agent, account, import_id)
       VALUES (?, ?, ?, 'cloudtrail', ?, ?, 'ListBuckets', 's3.amazonaws.com', ?, ?, ?, ?)`,
    );
    const base = Date.parse('2024-01-01T00:00:00Z');
    const ip = (i: number) => `${10 + (i % 200)}.${(i >> 8) & 255}.${i & 255}.${i % 251}`;
    const fill = await measure(() => {
      for (let c = 0; c < cases; c++) {
        const number = s.core.cases.create({ title: `Lookup case ${c}`, severity: 'low' }).number;
        const caseId = s.core.cases.require(number).id;
        const importId = Number(
          db
            .prepare("INSERT INTO timeline_imports (case_id, file, state, imported, started_at) VALUES (?, 'bench', 'done', ?, 'x')")
            .run(caseId, perCase).lastInsertRowid,
        );
        db.transaction(() => {
          for (let i = 0; i < perCase; i++) {
            // Values shared across cases (every 50th event from a common pool) and values unique to a case.
            const k = i % 50 === 0 ? i % 5000 : c * perCase + i;
            const t = base + (c * perCase + i) * 1000;
            insert.run(
              caseId,
              t,
              new Date(t).toISOString(),
              `arn:aws:iam::111122223333:user/u${k % 997}`,
              `AKIABENCH${String(k % 50_000).padStart(11, '0')}`,
              ip(k),
              `agent/${k % 300}`,
              '111122223333',
              importId,
            );
          }
        })();
      }
    });
    line(`setup      ${cases} cases x ${perCase.toLocaleString('en-US')} events (rows only)`, fill);
    const build = await measure(() => s.detection.indicators.refreshStale());
    line('lariat     build the indicator index (all cases)', build);
    const values = Array.from({ length: 300 }, (_, i) =>
      i % 3 === 0 ? ip((i * 7919) % 5000) : i % 3 === 1 ? ip(((i * 104_729) % cases) * perCase + (i % perCase)) : `198.18.${i % 256}.1`,
    );
    const times: number[] = [];
    const c0 = process.cpuUsage();
    let found = 0;
    for (const v of values) {
      const t0 = performance.now();
      found += s.detection.indicators.lookup(v).cases.length;
      times.push(performance.now() - t0);
    }
    const cpu = process.cpuUsage(c0);
    times.sort((a, b) => a - b);
    const pct = (p: number) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))]!;
    console.log(
      `lariat     lookup of one value over ${cases} cases / ${(cases * perCase).toLocaleString('en-US')} events: p50 ${pct(50).toFixed(2)} ms, p95 ${pct(95).toFixed(2)} ms, max ${times[times.length - 1]!.toFixed(2)} ms  (goal p95 < 50 ms); ${values.length} lookups, ${found} case hits, ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms CPU`,
    );
    const scan: number[] = [];
    for (const v of values.slice(0, 3)) {
      const t0 = performance.now();
      db.prepare(
        'SELECT case_id, count(*) FROM timeline_events WHERE source_ip = ? OR access_key_id = ? OR actor = ? OR user_agent = ? OR account = ? GROUP BY case_id',
      ).all(v, v, v, v, v);
      scan.push(performance.now() - t0);
    }
    scan.sort((a, b) => a - b);
    console.log(
      `reference  the same question as one scan of the events table, median of 3: ${scan[1]!.toFixed(0)} ms (ratio ${(scan[1]! / pct(50)).toFixed(0)}x)`,
    );
  } finally {
    s.close();
  }
}

async function main(): Promise<void> {
  const records = RECORDS;
  const g0 = performance.now();
  const { dir, files, bytes } = generate(records);
  console.log(
    `input: ${records.toLocaleString('en-US')} CloudTrail records in ${files.length} files, ${(bytes / 1e9).toFixed(2)} GB (ready in ${((performance.now() - g0) / 1000).toFixed(1)} s); node ${process.version}`,
  );
  if (only('engine')) await engine(files, records);
  if (only('rescan')) await importAndRescan(dir, files, records);
  if (only('lookup')) await lookup();
}

if (process.argv[1]?.endsWith('detection.bench.ts')) await main();
