import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { minimatch } from 'minimatch';
import { parse } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/services';

/**
 * The packaging configuration, checked statically (electron-builder cannot run here: it needs the
 * Electron binaries). What the release pipeline does with it is in .github/workflows/release.yml.
 */
interface BuilderConfig {
  asar: boolean;
  asarUnpack: string[];
  files: string[];
  extraResources: { from: string; to: string; filter: string[] }[];
  npmRebuild: boolean;
  publish: unknown;
  electronFuses: Record<string, boolean>;
  linux: { target: string[] };
  mac: { target: string[]; hardenedRuntime: boolean; notarize: boolean; entitlements: string; entitlementsInherit: string };
  win: { target: string[] };
  nsis: { perMachine: boolean; allowElevation: boolean };
}
const config = parse(fs.readFileSync('electron-builder.yml', 'utf8')) as BuilderConfig;

/** electron-builder's rule for `files`: included when a pattern matches and no later `!pattern` excludes it. */
function packaged(file: string): boolean {
  let inside = false;
  for (const p of config.files) {
    if (p.startsWith('!')) {
      if (minimatch(file, p.slice(1), { dot: true })) inside = false;
    } else if (minimatch(file, p, { dot: true })) inside = true;
  }
  return inside;
}

describe('electron-builder.yml', () => {
  it('builds AppImage and .deb, a signed and notarized .dmg with the hardened runtime, and an NSIS installer', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.mac).toMatchObject({ target: ['dmg'], hardenedRuntime: true, notarize: true });
    expect(config.win.target).toEqual(['nsis']);
    expect(config.nsis).toMatchObject({ perMachine: false, allowElevation: false });
    expect(config.publish).toBeNull();
  });

  it('asks macOS for nothing but JIT', () => {
    const plist = fs.readFileSync(config.mac.entitlements, 'utf8');
    expect(config.mac.entitlementsInherit).toBe(config.mac.entitlements);
    expect([...plist.matchAll(/<key>([^<]+)<\/key>/g)].map((m) => m[1])).toEqual(['com.apple.security.cs.allow-jit']);
  });

  it('packs the app in an integrity-checked asar with every fuse set, the native binding unpacked', () => {
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toEqual(['**/*.node']);
    expect(config.npmRebuild).toBe(true);
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      loadBrowserProcessSpecificV8Snapshot: false,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('ships the built app and nothing else: no tests, sources, source maps, .env, CLI bundle or benchmarks', () => {
    const tracked = spawnSync('git', ['ls-files'], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
    const built = fs.existsSync('dist')
      ? (fs.readdirSync('dist', { recursive: true, withFileTypes: true }) as fs.Dirent[])
          .filter((d) => d.isFile())
          .map((d) => path.relative('.', path.join(d.parentPath, d.name)).split(path.sep).join('/'))
      : [];
    // Files that must never ship, even if a build or a careless commit put them there.
    const planted = [
      'dist/main/.env',
      'dist/main/index.js.map',
      'dist/renderer/assets/app.test.js',
      'dist/main/test/x.js',
      'dist/main/x.ts',
    ];
    const all = [...new Set([...tracked, ...built, ...planted])];
    const shipped = all.filter(packaged);
    expect(shipped).toEqual(
      expect.arrayContaining(['package.json', 'dist/main/index.js', 'dist/preload/index.cjs', 'dist/renderer/index.html']),
    );
    const bad = shipped.filter((f) =>
      /\.map$|\.(ts|tsx|mts|cts)$|(^|\/)\.env|(^|\/)(test|tests|__tests__|bench|docs)\/|^dist\/cli\/|\.test\.js$/.test(f),
    );
    expect(bad).toEqual([]);
    expect(shipped.every((f) => f === 'package.json' || /^dist\/(main|preload|renderer)\//.test(f))).toBe(true);
  });

  it('ships the resources without the build folder or environment files', () => {
    expect(config.extraResources).toEqual([{ from: 'resources', to: 'resources', filter: ['**/*', '!build/**', '!**/.env*'] }]);
  });

  it('uses an Electron major whose ABI better-sqlite3 12 publishes prebuilt binaries for, and the README says which', () => {
    const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8')) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    expect(pkg.dependencies['better-sqlite3']).toMatch(/^\^?12\./);
    const major = Number(/(\d+)\./.exec(pkg.devDependencies.electron!)![1]);
    expect(major).toBe(42);
    expect(fs.readFileSync('README.md', 'utf8')).toContain(`Electron ${major}`);
  });
});

describe('.github/workflows/release.yml', () => {
  const text = fs.readFileSync('.github/workflows/release.yml', 'utf8');
  const wf = parse(text) as {
    on: { push: { tags: string[] } };
    jobs: Record<
      string,
      {
        needs?: string | string[];
        strategy?: { matrix: { include: { os: string; targets?: string }[] } };
        steps: { run?: string; env?: Record<string, string> }[];
      }
    >;
  };
  const runs = (job: string) => wf.jobs[job]!.steps.map((s) => s.run ?? '').join('\n');

  it('runs on a version tag: test on three systems, then package, then a draft release', () => {
    expect(wf.on.push.tags).toEqual(['v*.*.*']);
    expect(Object.keys(wf.jobs)).toEqual(['test', 'package', 'release']);
    expect(wf.jobs.package!.needs).toBe('test');
    expect(wf.jobs.release!.needs).toBe('package');
    for (const job of ['test', 'package']) {
      const oses = wf.jobs[job]!.strategy!.matrix.include.map((m) => m.os);
      expect(
        oses.some((o) => o.startsWith('ubuntu')) && oses.some((o) => o.startsWith('macos')) && oses.some((o) => o.startsWith('windows')),
      ).toBe(true);
    }
    expect(runs('test')).toContain('npm test');
  });

  it('builds every installer, rebuilding better-sqlite3 for Electron only in the package job, and smoke-tests the packaged app', () => {
    const targets = wf.jobs.package!.strategy!.matrix.include.map((m) => m.targets).join(' ');
    for (const t of ['AppImage', 'deb', 'dmg', 'nsis']) expect(targets).toContain(t);
    expect(runs('package')).toContain('electron-builder --config electron-builder.yml');
    expect(runs('test')).not.toContain('electron-builder');
    expect(runs('package')).not.toContain('npm test');
    expect(text).not.toMatch(/electron-rebuild|install-app-deps/);
    expect(runs('package')).toMatch(/xvfb-run --auto-servernum node scripts\/smoke-packaged\.mjs/);
  });

  it('takes signing and notarization credentials from the secret store, never from the file', () => {
    const env = wf.jobs.package!.steps.find((s) => s.run?.includes('electron-builder'))!.env!;
    for (const k of ['CSC_LINK', 'CSC_KEY_PASSWORD', 'APPLE_ID', 'APPLE_APP_SPECIFIC_PASSWORD', 'APPLE_TEAM_ID'])
      expect(env[k], k).toMatch(/^\$\{\{.*secrets\.[A-Z_]+.*\}\}$/);
    expect(runs('package')).toContain('xcrun stapler validate');
  });
});

describe('scripts/smoke-packaged.mjs', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });
  /** A stand-in "packaged app" that writes the log lines the real one writes (up to `upTo`), then idles. */
  function fakeApp(upTo: number): string {
    const d = tempDir('lariat-fake-app-');
    dirs.push(d);
    const lines = [
      { event: 'db-open', schema: 12 },
      { event: 'window', loaded: true, url: 'app://lariat/index.html' },
      { event: 'op', op: 'listCases', ok: true },
    ].slice(0, upTo);
    const js = path.join(d, 'app.mjs');
    fs.writeFileSync(
      js,
      `import fs from 'node:fs'; const dir = process.env.LARIAT_DATA_DIR + '/logs'; fs.mkdirSync(dir, { recursive: true });
       for (const l of ${JSON.stringify(lines)}) fs.appendFileSync(dir + '/lariat.log', JSON.stringify(l) + '\\n');
       setTimeout(() => {}, 60000);`,
    );
    const exe = path.join(d, 'app.sh');
    fs.writeFileSync(exe, `#!/bin/sh\nexec node ${JSON.stringify(js)}\n`, { mode: 0o755 });
    return exe;
  }

  it.skipIf(process.platform === 'win32')('passes when the database opened, the window loaded and an operation answered', () => {
    const r = spawnSync('node', ['scripts/smoke-packaged.mjs', fakeApp(3), '--timeout', '20'], { encoding: 'utf8' });
    expect(r.stdout).toContain('smoke test passed');
    expect(r.status).toBe(0);
  });

  it.skipIf(process.platform === 'win32')('fails, showing the log, when the window never loads', () => {
    const r = spawnSync('node', ['scripts/smoke-packaged.mjs', fakeApp(1), '--timeout', '3'], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('✗ window loaded app://lariat/');
    expect(r.stderr).toContain('"event":"db-open"');
  });
});
