import { build, type Metafile } from 'esbuild';
import { expect, it } from 'vitest';

/**
 * Every `lariat` command pays for what the CLI's entry loads before it runs: a query at a million
 * events has a 300 ms budget from process start to exit, most of it start-up. The entry and the
 * timeline query's chunk must load no YAML parser, AWS SDK or rule engine; a constant imported from
 * the wrong module (the plan size limit, from the plan parser) once brought the YAML library into
 * every start. Bundled here the way scripts/build.mjs bundles the CLI, and the static imports walked.
 */
async function cliBundle(): Promise<Metafile> {
  const out = await build({
    entryPoints: { lariat: 'main/cli/entry.ts' },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    splitting: true,
    outdir: 'out-not-written',
    chunkNames: 'chunks/[name]-[hash]',
    packages: 'external',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
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
  expect([...start.packages].sort()).toEqual(['commander', 'zod']);
  expect([...start.sources].filter((s) => /^main\/(plans\/plan-codec\.ts|detection\/engine\/rule-|services\.ts$)/.test(s))).toEqual([]);

  const query = outputs.find((f) => Object.keys(meta.outputs[f]!.inputs).some((i) => i.endsWith('main/cli/timeline-query.ts')));
  expect(query, 'the timeline query is a chunk of its own').toBeDefined();
  const q = staticClosure(meta, query!);
  expect([...q.packages].filter((p) => p === 'yaml' || p.startsWith('@aws-sdk'))).toEqual([]);
  expect(
    [...q.sources].filter((s) => /^main\/(services\.ts$|(response|reports|plans|acquire)\/|detection\/engine\/rule-)/.test(s)),
  ).toEqual([]);
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
