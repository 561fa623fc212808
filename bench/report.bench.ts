// Report of a case with 10,000 timeline events (all printed) and 100 evidence
// items: HTML generation (gather + render + sanitize) and PDF (Chromium print,
// 100+ pages), printed beside references measured in the same run: dumping the
// same case data as JSON (the floor for "just serialising it") and Chromium
// printing the finished HTML on its own. LARIAT_BENCH_EVENTS shrinks it.
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { createServices } from '../main/services';
import { CHROMIUM_ARGS, CHROMIUM_PATH, footerHtml } from '../main/reports/render/pdf';

const quick = process.argv.includes('--quick');
const EVENTS = Number(process.env.LARIAT_BENCH_EVENTS ?? (quick ? 2000 : 10_000));
const ITEMS = Number(process.env.LARIAT_BENCH_ITEMS ?? 100);
const work = path.resolve('bench/.work/report');
fs.rmSync(work, { recursive: true, force: true });
fs.mkdirSync(work, { recursive: true });

const s = createServices({ dataDir: path.join(work, 'data'), env: {} });
s.custody.identity.create({ name: 'Bench Investigator', role: 'IR', organisation: 'Bench' });
const c = s.core.cases.create({ title: 'Report benchmark', severity: 'high', summary: 'Benchmark case.\n\n'.repeat(20) });
for (let i = 0; i < ITEMS; i++) {
  await s.custody.evidence.importBytes(c.number, `item-${i}.json`, Buffer.from(JSON.stringify({ i, pad: 'x'.repeat(1000) })), {
    kind: 'log-export',
    description: `Log export ${i}`,
    acquisition: { tool: 'aws-cli 2.15.0', method: 'export' },
  });
}
const batch = [];
for (let i = 0; i < EVENTS; i++) {
  batch.push({
    time: new Date(Date.parse('2026-11-20T00:00:00Z') + i * 1000).toISOString(),
    source: 'cloudtrail' as const,
    action: ['ConsoleLogin', 'AssumeRole', 'GetObject', 'RunInstances'][i % 4]!,
    actor: `arn:aws:iam::111122223333:user/user${i % 97}`,
    resource: `arn:aws:s3:::bucket-${i % 13}/key-${i}`,
    region: 'eu-west-1',
    account: '111122223333',
    raw: { i },
  });
}
s.timeline.timeline.appendEvents(c.number, batch);
console.log(
  `case ${c.number}: ${EVENTS} timeline events, ${ITEMS} evidence items, ${s.custody.ledger.list(c.number).length} custody entries`,
);

const options = { caseNumber: c.number, timelineScope: 'all' as const, timelineLimit: EVENTS };
await s.reports.reports.generate(options); // warm-up (module loading, statement preparation)

let t = performance.now();
const report = await s.reports.reports.generate(options);
const htmlMs = performance.now() - t;

t = performance.now();
const json = JSON.stringify(s.reports.bundles.caseData(c.number));
const jsonMs = performance.now() - t;

// Best of two rounds each, alternating, so neither side profits from a warm font cache or a quiet moment.
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
const chromeAlone = async (): Promise<number> => {
  const t0 = performance.now();
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.setContent(report.html, { waitUntil: 'load' });
  await page.pdf({
    format: 'A4',
    printBackground: true,
    displayHeaderFooter: true,
    headerTemplate: '<span></span>',
    footerTemplate: footerHtml(report.reportId, 'TLP:AMBER'),
  });
  await context.close();
  return performance.now() - t0;
};
let pdfMs = Infinity;
let chromeMs = Infinity;
let pdf: Buffer = Buffer.alloc(0);
for (let round = 0; round < 2; round++) {
  t = performance.now();
  pdf = await s.reports.reports.pdf(report);
  pdfMs = Math.min(pdfMs, performance.now() - t);
  chromeMs = Math.min(chromeMs, await chromeAlone());
}
await browser.close();
fs.writeFileSync(path.join(work, 'report.pdf'), pdf);

const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
console.log(
  `HTML report: ${fmt(htmlMs)} (${(report.html.length / 1e6).toFixed(1)} MB)   reference JSON dump of the same case data: ${fmt(jsonMs)} (${(json.length / 1e6).toFixed(1)} MB)   ratio ${(htmlMs / jsonMs).toFixed(1)}x`,
);
console.log(
  `PDF report (launches Chromium):  ${fmt(pdfMs)} (${pages} pages, ${(pdf.length / 1e6).toFixed(1)} MB)   reference Chromium printing the finished HTML alone (browser already running): ${fmt(chromeMs)}   ratio ${(pdfMs / chromeMs).toFixed(2)}x`,
);
s.close();
fs.rmSync(path.join(work, 'data'), { recursive: true, force: true });
