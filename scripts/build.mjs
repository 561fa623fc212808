// Builds every part of Lariat into dist/: the Electron main process and the
// CLI (ESM bundles, dependencies left external), the preload (one CommonJS
// file, as sandboxed preloads require), and the renderer (Vite).
import { build } from 'esbuild';
import { build as viteBuild } from 'vite';
import { rmSync } from 'node:fs';

const only = process.argv[2];
const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: true, logLevel: 'warning' };

if (!only) rmSync('dist', { recursive: true, force: true });
const jobs = [];
if (!only || only === 'node') {
  jobs.push(
    build({ ...common, entryPoints: { lariat: 'main/cli/entry.ts' }, outdir: 'dist/cli', format: 'esm', packages: 'external' }),
    build({ ...common, entryPoints: { index: 'main/electron/index.ts' }, outdir: 'dist/main', format: 'esm', packages: 'external' }),
    build({ ...common, entryPoints: { index: 'preload/index.ts' }, outfile: 'dist/preload/index.cjs', format: 'cjs', external: ['electron'] }),
  );
}
if (!only || only === 'renderer') jobs.push(viteBuild({ configFile: 'vite.config.ts', logLevel: 'warn' }));
await Promise.all(jobs);
console.log(`built ${only ?? 'main, cli, preload, renderer'} into dist/`);
