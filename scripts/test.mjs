// `npm test`: every tier, then one summary line.
//   1. checks: typecheck (node and web halves), lint, format (Prettier), build, Electronegativity
//   2. vitest project "unit": services, migrations, contract, CLI, AWS mocks
//   3. vitest project "fault": every response plan against the AWS model, faults and kills at each step
//   4. vitest project "e2e": built renderer in Debian's Chromium over the loopback transport
// Ends with "N passed, N failed" (checks count as one test each) and exits non-zero on any failure.
// Extra arguments go to vitest (e.g. `npm test -- test/unit/cases`).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';

const vitestArgs = process.argv.slice(2);
const checks = [
  ['typecheck (node)', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']],
  ['typecheck (web)', 'npx', ['tsc', '-p', 'tsconfig.web.json', '--noEmit']],
  ['lint', 'npx', ['eslint', '.', '--max-warnings=0']],
  ['format', 'npx', ['prettier', '--check', '.', '--log-level=warn']],
  ['build', 'node', ['scripts/build.mjs']],
  // Doyensec's Electron security scanner over main/electron, preload and renderer: zero findings, or it fails.
  ['electronegativity', 'node', ['scripts/electronegativity.mjs']],
];
const tiers = {};
const add = (tier, ok) => {
  tiers[tier] ??= { passed: 0, failed: 0, skipped: 0 };
  tiers[tier][ok === true ? 'passed' : ok === false ? 'failed' : 'skipped']++;
};

for (const [name, cmd, args] of checks) {
  console.log(`\n▶ ${name}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  add('checks', r.status === 0);
  if (r.status !== 0) console.log(`✗ ${name} failed`);
}

mkdirSync('test-results', { recursive: true });
const report = 'test-results/vitest.json';
rmSync(report, { force: true });
console.log('\n▶ vitest (unit, fault, e2e)');
const v = spawnSync('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...vitestArgs], {
  stdio: 'inherit',
});
try {
  const json = JSON.parse(readFileSync(report, 'utf8'));
  for (const file of json.testResults) {
    const tier = file.name.includes('/test/e2e/') ? 'e2e' : file.name.includes('/test/fault/') ? 'fault' : 'unit';
    for (const t of file.assertionResults) add(tier, t.status === 'passed' ? true : t.status === 'failed' ? false : null);
    if (file.assertionResults.length === 0 && file.status === 'failed') add(tier, false); // a file that failed to load
  }
} catch {
  add('unit', false);
  console.log('✗ vitest produced no report');
}
if (v.status !== 0 && Object.values(tiers).every((t) => t.failed === 0)) add('unit', false);

let passed = 0;
let failed = 0;
let skipped = 0;
console.log('\nSummary by tier:');
for (const [tier, t] of Object.entries(tiers)) {
  console.log(`  ${tier.padEnd(7)} ${t.passed} passed, ${t.failed} failed${t.skipped ? `, ${t.skipped} skipped` : ''}`);
  passed += t.passed;
  failed += t.failed;
  skipped += t.skipped;
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exitCode = failed > 0 ? 1 : 0;
