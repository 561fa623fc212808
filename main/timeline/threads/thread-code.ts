import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** Worker threads Lariat runs, by entry file (relative to this folder). */
export const THREAD_ENTRIES = { parse: 'parse-thread.ts', search: '../fts/fts-thread.ts', vault: '../../custody/stage-thread.ts' } as const;
export type ThreadName = keyof typeof THREAD_ENTRIES;

// Set by scripts/build.mjs (esbuild `define`) to each thread bundled as one CommonJS script,
// so the app and the CLI start their threads from memory, with nothing to find on disk
// (inside an asar archive, say). Absent when running from source (tests, tsx).
declare const __LARIAT_THREADS__: Record<ThreadName, string> | undefined;

const cache = new Map<ThreadName, string>();

/**
 * The source of a worker thread, to start with `new Worker(code, { eval: true })`.
 * From source, the entry is bundled on first use with esbuild (a dev dependency,
 * present wherever the TypeScript sources are run).
 */
export function threadCode(name: ThreadName): string {
  if (typeof __LARIAT_THREADS__ !== 'undefined') return __LARIAT_THREADS__[name];
  let code = cache.get(name);
  if (!code) {
    const here = path.dirname(fileURLToPath(import.meta.url));
    code = bundleThread(path.join(here, THREAD_ENTRIES[name]));
    cache.set(name, code);
  }
  return code;
}

/** Bundles one thread entry into a self-contained CommonJS script (better-sqlite3 stays external: it is a native module). */
export function bundleThread(entry: string): string {
  const esbuild = createRequire(import.meta.url)('esbuild') as typeof import('esbuild');
  const out = esbuild.buildSync({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    write: false,
    external: ['better-sqlite3'],
    logLevel: 'silent',
  });
  return out.outputFiles[0]!.text;
}
