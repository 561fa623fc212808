// The CLI's esbuild options, in one place: scripts/build.mjs builds dist/cli/ with them, and the
// start-up test (test/unit/foundation/cli-start.test.ts) bundles with the same options to walk what
// each command loads, so the test cannot drift from what ships.
import { readFileSync } from 'node:fs';

/**
 * Dependencies the CLI bundles rather than loads from node_modules. zod: every command loads it, and
 * from node_modules it is ~100 ES modules to resolve, read and compile at each start; bundled (and
 * tree-shaken, as `import * as z from 'zod'` allows) it is one fifth of the source. The rest stay
 * external: commander is CommonJS, which an ES module bundle cannot require Node's modules from, and
 * better-sqlite3 and the AWS SDK are loaded only by the commands that use them.
 */
const CLI_BUNDLED = ['zod'];

/**
 * The CLI is split: `lariat timeline <case>` loads only its quick path (the timeline's contract and
 * services, no AWS SDK); `lariat --help` only commander and the contract; the services, the features
 * and the AWS SDK sit in chunks imported when a command runs.
 * @param {Record<string, string>} [define] esbuild `define`s (the worker threads' code, from build.mjs)
 * @returns {import('esbuild').BuildOptions}
 */
export function cliBundleOptions(define = {}) {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  const packages = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.devDependencies ?? {})];
  return {
    bundle: true,
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    logLevel: 'warning',
    define,
    entryPoints: { lariat: 'main/cli/entry.ts' },
    outdir: 'dist/cli',
    format: 'esm',
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    external: packages.filter((name) => !CLI_BUNDLED.includes(name)),
  };
}
