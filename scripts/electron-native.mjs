// Fetches (or builds) better-sqlite3 for Electron's ABI into .cache/electron-native/,
// WITHOUT touching node_modules: the Node build there stays intact for the CLI and
// the tests. The app passes this binary to better-sqlite3 as `nativeBinding` in
// development runs; packaged builds get their own rebuild from electron-builder.
// Needs internet (Electron headers or prebuilt binaries); run by `npm start`.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const electronVersion = JSON.parse(readFileSync('node_modules/electron/package.json', 'utf8')).version;
const sqliteVersion = JSON.parse(readFileSync('node_modules/better-sqlite3/package.json', 'utf8')).version;
const outDir = path.resolve('.cache/electron-native');
const stamp = path.join(outDir, 'stamp.json');
const wanted = { electronVersion, sqliteVersion, arch: process.arch, platform: process.platform };
if (existsSync(stamp) && readFileSync(stamp, 'utf8') === JSON.stringify(wanted) && existsSync(path.join(outDir, 'better_sqlite3.node'))) process.exit(0);

const work = path.join(outDir, 'better-sqlite3');
rmSync(work, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
cpSync('node_modules/better-sqlite3', work, { recursive: true, filter: (src) => !src.includes(`${path.sep}build${path.sep}`) });
const bin = (name) => path.resolve('node_modules/.bin', name);
const attempts = [
  [bin('prebuild-install'), ['--runtime', 'electron', '--target', electronVersion, '--arch', process.arch]],
  [bin('node-gyp'), ['rebuild', '--release', `--target=${electronVersion}`, `--arch=${process.arch}`, '--dist-url=https://electronjs.org/headers', '--runtime=electron']],
];
let ok = false;
for (const [cmd, args] of attempts) {
  if (!existsSync(cmd)) continue;
  console.log(`electron-native: ${path.basename(cmd)} ${args.join(' ')}`);
  if (spawnSync(cmd, args, { cwd: work, stdio: 'inherit' }).status === 0 && existsSync(path.join(work, 'build/Release/better_sqlite3.node'))) {
    ok = true;
    break;
  }
}
if (!ok) {
  console.error('electron-native: could not get better-sqlite3 for Electron ' + electronVersion + '. It needs internet access (prebuilt binaries or Electron headers). The CLI and tests do not need it.');
  process.exit(1);
}
cpSync(path.join(work, 'build/Release/better_sqlite3.node'), path.join(outDir, 'better_sqlite3.node'));
writeFileSync(stamp, JSON.stringify(wanted));
console.log(`electron-native: ready for Electron ${electronVersion}`);
