// Builds every part of Lariat into dist/: the Electron main process and the
// CLI (ESM bundles, dependencies left external but zod in the CLI: see cli-bundle.mjs), the preload (one CommonJS
// file, as sandboxed preloads require), and the renderer (Vite).
import { build } from 'esbuild';
import { build as viteBuild } from 'vite';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { cliBundleOptions } from './cli-bundle.mjs';

// The worker threads' entry files, relative to main/timeline/threads (as in thread-code.ts).
const THREAD_ENTRIES = { parse: 'parse-thread.ts', search: '../fts/fts-thread.ts', vault: '../../custody/stage-thread.ts' };

const only = process.argv[2];
const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: true, logLevel: 'warning' };

if (!only) rmSync('dist', { recursive: true, force: true });
const jobs = [];
if (!only || only === 'node') {
  // Worker threads (parse, search, vault) are bundled first and embedded as source text, so the
  // app and the CLI start them from memory: nothing to locate on disk, inside an asar or not.
  const threads = Object.fromEntries(
    await Promise.all(
      Object.entries(THREAD_ENTRIES).map(async ([name, entry]) => {
        const out = await build({
          ...common,
          sourcemap: false,
          entryPoints: [path.join('main/timeline/threads', entry)],
          format: 'cjs',
          external: ['better-sqlite3'],
          write: false,
        });
        return [name, out.outputFiles[0].text];
      }),
    ),
  );
  const define = { __LARIAT_THREADS__: JSON.stringify(threads) };
  jobs.push(
    build(cliBundleOptions(define)),
    build({
      ...common,
      define,
      entryPoints: { index: 'main/electron/index.ts' },
      outdir: 'dist/main',
      format: 'esm',
      packages: 'external',
    }),
    build({
      ...common,
      entryPoints: { index: 'preload/index.ts' },
      outfile: 'dist/preload/index.cjs',
      format: 'cjs',
      external: ['electron'],
    }),
  );
}
if (!only || only === 'renderer') jobs.push(viteBuild({ configFile: 'vite.config.ts', logLevel: 'warn' }));
await Promise.all(jobs);
console.log(`built ${only ?? 'main, cli, preload, renderer'} into dist/`);
