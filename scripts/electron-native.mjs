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
if (existsSync(stamp) && readFileSync(stamp, 'utf8') === JSON.stringify(wanted) && existsSync(path.join(outDir, 'better_sqlite3.node')))
  process.exit(0);

const work = path.join(outDir, 'better-sqlite3');
rmSync(work, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
cpSync('node_modules/better-sqlite3', work, { recursive: true, filter: (src) => !src.includes(`${path.sep}build${path.sep}`) });
const bin = (name) => path.resolve('node_modules/.bin', name);
const attempts = [
  [bin('prebuild-install'), ['--runtime', 'electron', '--target', electronVersion, '--arch', process.arch]],
  [
    bin('node-gyp'),
    [
      'rebuild',
      '--release',
      `--target=${electronVersion}`,
      `--arch=${process.arch}`,
      '--dist-url=https://electronjs.org/headers',
      '--runtime=electron',
    ],
  ],
];
// Under `npm start`, npm exports npm_config_nodedir (Node's own headers) and friends: left in place,
// node-gyp would silently build for Node's ABI instead of Electron's.
const env = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => !/^npm_config_(nodedir|target|runtime|disturl|dist_url)$/i.test(k)),
);
const built = path.join(work, 'build/Release/better_sqlite3.node');
/** A binary built for Electron must NOT load in plain Node (different NODE_MODULE_VERSION). */
const isForElectron = (file) => {
  try {
    process.dlopen({ exports: {} }, file);
    return false;
  } catch (err) {
    return /NODE_MODULE_VERSION/.test(String(err));
  }
};
let ok = false;
for (const [cmd, args] of attempts) {
  if (!existsSync(cmd)) continue;
  console.log(`electron-native: ${path.basename(cmd)} ${args.join(' ')}`);
  rmSync(path.join(work, 'build'), { recursive: true, force: true });
  if (spawnSync(cmd, args, { cwd: work, stdio: 'inherit', env }).status === 0 && existsSync(built)) {
    if (isForElectron(built)) {
      ok = true;
      break;
    }
    console.error('electron-native: the binary built was for Node, not Electron; discarding it.');
  }
}
if (!ok) {
  console.error(
    'electron-native: could not get better-sqlite3 for Electron ' +
      electronVersion +
      '. It needs internet access (prebuilt binaries or Electron headers). The CLI and tests do not need it.',
  );
  process.exit(1);
}
cpSync(path.join(work, 'build/Release/better_sqlite3.node'), path.join(outDir, 'better_sqlite3.node'));
writeFileSync(stamp, JSON.stringify(wanted));
console.log(`electron-native: ready for Electron ${electronVersion}`);
