// Smoke test of a PACKAGED Lariat (run by .github/workflows/release.yml after electron-builder):
//   node scripts/smoke-packaged.mjs <path to the packaged executable> [--timeout 180]
// Launches the app on a fresh data folder (headless on Linux: run it under xvfb-run), and waits
// for the app's own log (logs/lariat.log) to show, in this order of need:
//   db-open  the case database opened and migrated (schema > 0), with the better-sqlite3 binary
//            rebuilt for the bundled Electron;
//   window   the renderer finished loading app://lariat/index.html;
//   op ok    the renderer called an operation through the preload bridge and IPC, and it succeeded.
// Exits 0 when all three are seen, 1 otherwise (printing the log and the app's output). Needs no
// network and no AWS; it never touches the user's own data folder.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const args = process.argv.slice(2);
const exe = args.find((a) => !a.startsWith('--'));
const timeoutArg = args.indexOf('--timeout');
const timeoutMs = (timeoutArg >= 0 ? Number(args[timeoutArg + 1]) : 180) * 1000;
if (!exe || !existsSync(exe)) {
  console.error(`usage: node scripts/smoke-packaged.mjs <packaged executable> [--timeout seconds]\n(not found: ${exe ?? 'nothing given'})`);
  process.exit(2);
}

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'lariat-smoke-'));
const logFile = path.join(dataDir, 'logs', 'lariat.log');
const output = [];
const child = spawn(exe, [], {
  env: { ...process.env, LARIAT_DATA_DIR: dataDir, ELECTRON_ENABLE_LOGGING: '1' },
  stdio: ['ignore', 'pipe', 'pipe'],
  detached: process.platform !== 'win32',
});
child.stdout.on('data', (d) => output.push(String(d)));
child.stderr.on('data', (d) => output.push(String(d)));
let exited = null;
child.on('exit', (code, signal) => (exited = { code, signal }));

/** The log's lines as objects (a line being written may be cut: skipped until complete). */
function lines() {
  if (!existsSync(logFile)) return [];
  return readFileSync(logFile, 'utf8')
    .split('\n')
    .flatMap((l) => {
      try {
        return l ? [JSON.parse(l)] : [];
      } catch {
        return [];
      }
    });
}

const checks = {
  'database opened and migrated': (ls) => ls.some((l) => l.event === 'db-open' && l.schema > 0),
  'window loaded app://lariat/': (ls) =>
    ls.some((l) => l.event === 'window' && l.loaded === true && String(l.url).startsWith('app://lariat/')),
  'an operation answered through IPC': (ls) => ls.some((l) => l.event === 'op' && l.ok === true),
};

const started = Date.now();
let passed = false;
while (Date.now() - started < timeoutMs && !exited) {
  const ls = lines();
  if (Object.values(checks).every((c) => c(ls))) {
    passed = true;
    break;
  }
  await new Promise((r) => setTimeout(r, 500));
}

const ls = lines();
for (const [name, check] of Object.entries(checks)) console.log(`${check(ls) ? '✓' : '✗'} ${name}`);
if (!passed) {
  console.error(exited ? `the app exited early (${JSON.stringify(exited)})` : `timed out after ${timeoutMs / 1000} s`);
  console.error(`--- ${logFile}\n${existsSync(logFile) ? readFileSync(logFile, 'utf8') : '(no log file)'}`);
  console.error(`--- app output\n${output.join('')}`);
}
if (!exited) {
  try {
    if (process.platform === 'win32') spawn('taskkill', ['/pid', String(child.pid), '/T', '/F']);
    else process.kill(-child.pid, 'SIGTERM');
  } catch {
    // already gone
  }
}
await new Promise((r) => setTimeout(r, 1000));
rmSync(dataDir, { recursive: true, force: true, maxRetries: 5 });
console.log(passed ? 'smoke test passed' : 'smoke test FAILED');
process.exit(passed ? 0 : 1);
