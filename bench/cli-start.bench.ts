// CLI start-up: how long `lariat --version`, `lariat --help` and a first command that opens the
// database (`lariat case list`) take, beside `node -e 0` (Node starting and doing nothing) measured in
// the same run, as wall time and CPU time (user + system of the child, from /proc/self/stat). Goal:
// --version and --help under 300 ms wall on a quiet machine. The built CLI (`npm run bench` builds it)
// is run as an investigator runs it: `node bin/lariat.js ...`, alternating with the reference so a busy
// machine slows both alike. LARIAT_BENCH_RUNS (default 20; 8 with --quick) sets the runs per command.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

const runs = Number(process.env.LARIAT_BENCH_RUNS ?? (process.argv.includes('--quick') ? 8 : 20));
const bin = path.resolve('bin/lariat.js');
if (!fs.existsSync(path.resolve('dist/cli/lariat.js'))) throw new Error('dist/cli is missing: run `npm run build` first');
const work = path.resolve('bench/.work');
fs.mkdirSync(work, { recursive: true });
const dataDir = fs.mkdtempSync(path.join(work, 'cli-start-'));
const env = { ...process.env, LARIAT_DATA_DIR: dataDir };

/** CPU seconds (user + system) of this process's waited-for children; Linux only, null elsewhere. */
function childCpu(): number | null {
  try {
    const stat = fs.readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After the command name: field 3 is index 0, so cutime (16) and cstime (17) are indexes 13 and 14.
    const ticks = Number(fields[13]) + Number(fields[14]);
    return ticks / 100; // USER_HZ is 100 on Linux
  } catch {
    return null;
  }
}

interface Sample {
  wall: number[];
  cpu: number | null;
}

function run(args: string[]): { wall: number; cpu: number | null } {
  const cpu0 = childCpu();
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu1 = childCpu();
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited with ${r.status}: ${r.stderr}`);
  return { wall, cpu: cpu0 === null || cpu1 === null ? null : cpu1 - cpu0 };
}

const commands: [string, string[]][] = [
  ['node -e 0 (reference)', ['-e', '0']],
  ['lariat --version', [bin, '--version']],
  ['lariat --help', [bin, '--help']],
  ['lariat case list', [bin, 'case', 'list']],
];
const samples = new Map<string, Sample>(commands.map(([name]) => [name, { wall: [], cpu: 0 }]));
run([bin, 'case', 'list']); // creates the database once, outside the measurement
for (let i = 0; i < runs; i++) {
  for (const [name, args] of commands) {
    const s = samples.get(name)!;
    const r = run(args);
    s.wall.push(r.wall);
    s.cpu = s.cpu === null || r.cpu === null ? null : s.cpu + r.cpu;
  }
}
fs.rmSync(dataDir, { recursive: true, force: true });

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (s: number) => `${Math.round(s * 1000)} ms`.padStart(7);
const ref = samples.get('node -e 0 (reference)')!;
const refWall = median(ref.wall);
const refCpu = ref.cpu === null ? null : ref.cpu / runs;
console.log(`${runs} runs each, alternating; load average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores`);
for (const [name] of commands) {
  const s = samples.get(name)!;
  const wall = median(s.wall);
  const cpu = s.cpu === null ? null : s.cpu / runs;
  const cpuText = cpu === null ? 'n/a' : `${ms(cpu)} (${refCpu ? (cpu / refCpu).toFixed(1) : '?'}x node)`;
  console.log(`${name.padEnd(22)} wall median ${ms(wall)} (${(wall / refWall).toFixed(1)}x node)   CPU mean ${cpuText}`);
}
