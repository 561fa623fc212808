// `npm run bench`: runs every bench/*.bench.ts in turn (TypeScript through tsx).
// Each prints Lariat's figure beside a reference measured in the same run
// (sha256sum, cp, jq, zip...), as a ratio. Benchmarks are never tests: they
// print, they do not pass or fail. Work files go to bench/.work/ (git-ignored).
// Pass names to run a subset, and --quick for smaller inputs: npm run bench -- hashing ledger --quick
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
const flags = args.filter((a) => a.startsWith('--'));
const filter = args.filter((a) => !a.startsWith('--'));
const files = readdirSync('bench')
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filter.length === 0 || filter.some((n) => f.includes(n)))
  .sort();
let failed = 0;
for (const f of files) {
  console.log(`\n== ${f} ==`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', `bench/${f}`, ...flags], { stdio: 'inherit' });
  if (r.status !== 0) {
    failed++;
    console.log(`(${f} exited with ${r.status})`);
  }
}
process.exitCode = failed ? 1 : 0;
