// Bundle export (with evidence) and verification of 1 GiB of evidence, beside
// `zip` (store mode, as Lariat stores evidence) and `sha256sum` over the same
// vault files in the same run. LARIAT_BENCH_BUNDLE_MB shrinks it (or --quick:
// 128 MiB). Evidence is 8 files of random data imported into the vault first.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { createServices } from '../main/services';

const MB = Number(process.env.LARIAT_BENCH_BUNDLE_MB ?? (process.argv.includes('--quick') ? 128 : 1024));
const FILES = 8;
const work = path.resolve('bench/.work/bundle');
fs.rmSync(work, { recursive: true, force: true });
fs.mkdirSync(path.join(work, 'src'), { recursive: true });

const per = Math.floor((MB * 1024 * 1024) / FILES);
const chunk = crypto.randomBytes(8 * 1024 * 1024);
for (let f = 0; f < FILES; f++) {
  const fd = fs.openSync(path.join(work, 'src', `disk-${f}.img`), 'w');
  for (let done = 0; done < per; done += chunk.length) {
    chunk[0] = f;
    chunk[1] = done & 255;
    fs.writeSync(fd, chunk, 0, Math.min(chunk.length, per - done));
  }
  fs.closeSync(fd);
}
const s = createServices({ dataDir: path.join(work, 'data'), env: {} });
s.custody.identity.create({ name: 'Bench Investigator' });
const c = s.core.cases.create({ title: 'Bundle benchmark', severity: 'high' });
for (let f = 0; f < FILES; f++)
  await s.custody.evidence.importFile(c.number, path.join(work, 'src', `disk-${f}.img`), { description: `disk ${f}` });
fs.rmSync(path.join(work, 'src'), { recursive: true, force: true });
const vaultFiles = s.custody.vault.list(c.number).map((e) => path.join(s.core.paths.vaultDir, e.vaultPath!));
const total = vaultFiles.reduce((a, f) => a + fs.statSync(f).size, 0);
const gib = total / 1024 ** 3;
console.log(`evidence: ${FILES} files, ${(total / 1024 ** 2).toFixed(0)} MiB in the vault`);

const time = async (fn: () => unknown) => {
  const t = performance.now();
  await fn();
  return (performance.now() - t) / 1000;
};
const bundle = path.join(work, 'case.lariat');
const exportS = await time(() => s.reports.bundles.export({ caseNumber: c.number, outPath: bundle, withEvidence: true }));
let ok = false;
const verifyS = await time(async () => {
  ok = (await s.reports.bundles.verify(bundle)).ok;
});
const zipS = await time(() => spawnSync('zip', ['-0', '-q', '-j', path.join(work, 'ref.zip'), ...vaultFiles], { stdio: 'inherit' }));
const shaS = await time(() => spawnSync('sha256sum', vaultFiles, { stdio: 'ignore' }));
const rate = (sec: number) => `${(gib / sec).toFixed(2)} GiB/s`;
console.log(
  `export (hash + pack + sign): ${exportS.toFixed(2)} s (${rate(exportS)})   reference zip -0: ${zipS.toFixed(2)} s (${rate(zipS)})   ratio ${(exportS / zipS).toFixed(2)}x`,
);
console.log(
  `verify (every byte hashed):  ${verifyS.toFixed(2)} s (${rate(verifyS)})   reference sha256sum: ${shaS.toFixed(2)} s (${rate(shaS)})   ratio ${(verifyS / shaS).toFixed(2)}x   intact=${ok}`,
);
s.close();
fs.rmSync(work, { recursive: true, force: true });
