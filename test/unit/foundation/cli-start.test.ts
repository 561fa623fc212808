import { build, type Metafile } from 'esbuild';
import { expect, it } from 'vitest';
import { cliBundleOptions } from '../../../scripts/cli-bundle.mjs';

/**
 * Every `lariat` command pays for what the CLI's entry loads before it runs: a query at a million
 * events has a 300 ms budget from process start to exit, most of it start-up. The entry and the
 * timeline query's chunk must load no YAML parser, AWS SDK or rule engine; a constant imported from
 * the wrong module (the plan size limit, from the plan parser) once brought the YAML library into
 * every start. Bundled with the options scripts/build.mjs builds the CLI with, and the static imports walked.
 */
async function cliBundle(): Promise<Metafile> {
  const out = await build({ ...cliBundleOptions(), outdir: 'out-not-written', write: false, metafile: true, logLevel: 'silent' });
  return out.metafile;
}

/** Packages (Node's own left out) and source files loaded, before anything runs, when `output` is loaded. */
function staticClosure(meta: Metafile, output: string): { packages: Set<string>; sources: Set<string> } {
  const packages = new Set<string>();
  const sources = new Set<string>();
  const seen = new Set<string>();
  const walk = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const o = meta.outputs[file]!;
    for (const input of Object.keys(o.inputs)) sources.add(input);
    for (const i of o.imports) {
      if (i.kind !== 'import-statement') continue;
      if (i.external && i.path.startsWith('node:')) continue;
      if (i.external) packages.add(i.path.startsWith('@') ? i.path.split('/').slice(0, 2).join('/') : i.path.split('/')[0]!);
      else walk(i.path);
    }
  };
  walk(output);
  return { packages, sources };
}

it('starts every command without the YAML parser, the AWS SDK or the rule engine, and the timeline query without the services or the response features', async () => {
  const meta = await cliBundle();
  const outputs = Object.keys(meta.outputs).filter((f) => f.endsWith('.js'));
  const entry = outputs.find((f) => f.endsWith('out-not-written/lariat.js'))!;
  const start = staticClosure(meta, entry);
  // The entry itself loads no package and no contract: the query and the full CLI each load their own.
  expect([...start.packages]).toEqual([]);
  expect([...start.sources].filter((s) => /^(common\/contract\/|main\/cli\/main\.ts$|node_modules\/)/.test(s))).toEqual([]);
  // Every other command (`--help` and `--version` too) loads main.ts's chunk: commander and the contract, nothing more.
  const main = outputs.find((f) => Object.keys(meta.outputs[f]!.inputs).includes('main/cli/main.ts'));
  expect(main, 'main.ts is a chunk of its own').toBeDefined();
  const full = staticClosure(meta, main!);
  expect([...full.packages]).toEqual(['commander']);
  expect([...full.sources].filter((s) => /^main\/(plans\/plan-codec\.ts|detection\/engine\/rule-|services\.ts$)/.test(s))).toEqual([]);

  const query = outputs.find((f) => Object.keys(meta.outputs[f]!.inputs).some((i) => i.endsWith('main/cli/timeline-query.ts')));
  expect(query, 'the timeline query is a chunk of its own').toBeDefined();
  const q = staticClosure(meta, query!);
  expect([...q.packages].filter((p) => p === 'yaml' || p.startsWith('@aws-sdk'))).toEqual([]);
  expect(
    [...q.sources].filter((s) => /^main\/(services\.ts$|(response|reports|plans|acquire)\/|detection\/engine\/rule-)/.test(s)),
  ).toEqual([]);
  // Nor the other commands' definitions and schemas: main.ts registers every command and the whole contract.
  expect([...q.sources].filter((s) => /^main\/cli\/(main\.ts|commands\/(?!timeline\.ts))/.test(s))).toEqual([]);
  expect(
    [...q.sources].filter((s) => /^common\/contract\/(index|response|plans|incidents|runbooks|acquire|reports|custody|cases)/.test(s)),
  ).toEqual([]);
});

it('bundles zod into the CLI, tree-shaken: a query compiles only the parts of zod the contract uses', async () => {
  const meta = await cliBundle();
  const outputs = Object.keys(meta.outputs).filter((f) => f.endsWith('.js'));
  const query = outputs.find((f) => Object.keys(meta.outputs[f]!.inputs).some((i) => i.endsWith('main/cli/timeline-query.ts')))!;
  const q = staticClosure(meta, query);
  // Bundled: not ~100 modules resolved and compiled from node_modules at each start...
  expect(q.packages.has('zod')).toBe(false);
  const zod = [...q.sources].filter((s) => s.startsWith('node_modules/zod/'));
  expect(zod).toContain('node_modules/zod/v4/core/schemas.js');
  // ...and shaken: `import { z } from 'zod'` (a namespace object) kept all of zod, its 60-odd locales with it.
  expect(zod.filter((s) => s.includes('/locales/') && !s.endsWith('/locales/en.js'))).toEqual([]);
  const bytes = (o: string) =>
    Object.entries(meta.outputs[o]!.inputs).reduce((n, [i, v]) => n + (i.startsWith('node_modules/zod/') ? v.bytesInOutput : 0), 0);
  expect(outputs.reduce((n, o) => n + bytes(o), 0)).toBeLessThan(300_000);
});

it('loads no AWS SDK package with the services: each is required the first time a call needs it (main/aws/sdk.ts)', async () => {
  const meta = await cliBundle();
  const outputs = Object.keys(meta.outputs).filter((f) => f.endsWith('.js'));
  const services = outputs.find((f) => Object.keys(meta.outputs[f]!.inputs).some((i) => i === 'main/services.ts'));
  expect(services, 'the services are in a chunk').toBeDefined();
  const s = staticClosure(meta, services!);
  // The services do load (the check is not vacuous) the case database and the AWS client code...
  expect([...s.packages]).toContain('better-sqlite3');
  expect([...s.sources]).toContain('main/aws/clients.ts');
  // ...but no SDK package: those ~15 packages cost every command 1.5-2 s of start-up when they were imported.
  expect([...s.packages].filter((p) => p.startsWith('@aws-sdk') || p.startsWith('@smithy'))).toEqual([]);
});
