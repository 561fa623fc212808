/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { REPORT_SECTIONS } from '../../../common/contract/reports';
import { ReportService } from '../../../main/reports/report-service';
import { emptySources } from '../../../main/reports/sources';
import { CHROMIUM_ARGS } from '../../../main/reports/render/pdf';
import { makeServices, seededCase, tempDir } from './fixture';
import type { TestServices } from '../../helpers/services';

let s: TestServices;
let caseNumber: string;
let browser: Browser;
let out: string;
const results = path.resolve('test-results');

beforeAll(async () => {
  s = makeServices();
  ({ caseNumber } = await seededCase(s));
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  out = tempDir('lariat-report-');
  fs.mkdirSync(results, { recursive: true });
});
afterAll(async () => {
  await browser.close();
  s.cleanup();
  fs.rmSync(out, { recursive: true, force: true });
});

/** Opens HTML in Chromium WITH JavaScript enabled and reports anything active that happened or exists. */
async function probe(html: string) {
  const page = await browser.newPage();
  const dialogs: string[] = [];
  const requests: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('request', (r) => {
    if (!r.url().startsWith('data:') && r.url() !== 'about:blank') requests.push(r.url());
  });
  await page.setContent(html, { waitUntil: 'load' });
  await page.waitForTimeout(200);
  const dom = await page.evaluate(() => {
    const all = [...document.querySelectorAll('*')];
    return {
      pwned: (window as unknown as { __pwned?: unknown }).__pwned ?? null,
      scripts: document.querySelectorAll('script, iframe, object, embed, img, svg, form, input, link, base, meta[http-equiv="refresh"]')
        .length,
      handlers: all.flatMap((el) => [...el.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `${el.tagName}.${a.name}`)),
      badUrls: all.flatMap((el) =>
        [...el.attributes].filter((a) => /^\s*(javascript|vbscript|data):/i.test(a.value) && a.name !== 'content').map((a) => a.value),
      ),
      styleAttrs: all.filter((el) => el.hasAttribute('style')).length,
      text: document.body.innerText,
    };
  });
  // Clicking the links that do not leave the page must not run anything either.
  for (const a of await page.$$('a:not([href^="http"]):not([href^="mailto"])'))
    await a.click({ timeout: 500, noWaitAfter: true }).catch(() => undefined);
  const pwnedAfterClicks = await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned ?? null);
  await page.close();
  return { ...dom, pwnedAfterClicks, dialogs, requests };
}

describe('case report', () => {
  it('contains every section, numbered, with examiners, hashes, custody verdict and TLP', async () => {
    const r = await s.reports.reports.generate({ caseNumber });
    for (const sec of REPORT_SECTIONS.filter((x) => x.id !== 'cover'))
      expect(r.html, sec.title).toMatch(new RegExp(`<h2>\\d+\\. ${sec.title.replace(/&/g, '&amp;')}</h2>`));
    const item = s.custody.vault.list(caseNumber)[0]!;
    expect(r.html).toContain(item.sha256!);
    expect(r.html).toContain(item.md5!);
    expect(r.html).toContain(s.custody.identity.current()!.fingerprint);
    expect(r.html).toContain('Verification at generation time: INTACT');
    expect(r.html).toContain('TLP:AMBER');
    expect(r.html).toContain(r.reportId);
    expect(r.html).toContain('Root cause: an exposed access key.');
    // Response actions, step by step with their outcome.
    expect(r.html).toMatch(/isolate — <span class="mono">i-0abc1234def567890/);
    expect(r.html).toContain('Create isolation security group — ec2:CreateSecurityGroup</strong> — succeeded');
    expect(r.html).toContain('sg-0123456789abcdef0');
    expect(r.html).toContain('Detach from Auto Scaling group — autoscaling:DetachInstances</strong> — failed');
    expect(r.html).toContain('denied &lt;script&gt;x&lt;/script&gt;');
    expect(r.html).not.toMatch(/<link|@import|https?:\/\/(?!aws\.amazon\.com)/);
  });

  it('includes only the chosen sections (the cover always)', async () => {
    const r = await s.reports.reports.generate({ caseNumber, sections: ['summary', 'signoff'] });
    expect(r.html).toContain('<h2>1. Executive summary</h2>');
    expect(r.html).toContain('<h2>2. Sign-off</h2>');
    expect(r.html).not.toContain('Evidence inventory');
    expect(r.html).toContain('class="cover"');
  });

  it('says "not recorded in this case" for features that are not available, without failing', async () => {
    const bare = new ReportService({ core: s.core, tasks: s.tasks, notes: s.notes, sources: emptySources });
    const r = await bare.generate({ caseNumber });
    expect(r.html.match(/Not recorded in this case\./g)!.length).toBeGreaterThanOrEqual(4);
    expect(r.html).toContain(
      'The following were not available to this report: evidence vault, custody ledger, timeline, response actions.',
    );
  });

  it('(control) the Chromium probe does see active content when there is some', async () => {
    const p = await probe('<img src="data:," onerror="window.__pwned=1"><a href="javascript:window.__pwned=2">x</a>');
    expect(p.pwned).toBe(1);
    expect(p.handlers).toEqual(['IMG.onerror']);
    expect(p.badUrls.length).toBeGreaterThan(0);
  });

  it('escapes and sanitizes everything typed: no active content runs in Chromium', async () => {
    const r = await s.reports.reports.generate({ caseNumber });
    const p = await probe(r.html);
    expect(p.pwned).toBeNull();
    expect(p.pwnedAfterClicks).toBeNull();
    expect(p.dialogs).toEqual([]);
    expect(p.scripts).toBe(0);
    expect(p.handlers).toEqual([]);
    expect(p.badUrls).toEqual([]);
    expect(p.styleAttrs).toBe(0);
    expect(p.requests).toEqual([]);
    expect(p.text).toContain('<script>window.__pwned = "script"</script>');
    expect(p.text).toContain('Crypto miner on web-1 <b>bold</b>');
  });

  it('exports HTML, hashes it and records it as report evidence with an exported custody entry', async () => {
    const file = path.join(out, 'report.html');
    const r = await s.reports.reports.export({ caseNumber, format: 'html', outPath: file });
    const bytes = fs.readFileSync(file);
    expect(r.sha256).toBe(crypto.createHash('sha256').update(bytes).digest('hex'));
    const item = s.custody.vault.list(caseNumber).find((e) => e.id === r.evidenceId)!;
    expect(item.kind).toBe('report');
    expect(item.sha256).toBe(r.sha256);
    const entries = s.custody.ledger.list(caseNumber, r.evidenceId!);
    expect(entries.map((e) => e.action)).toContain('exported');
    expect(entries.find((e) => e.action === 'exported')!.details).toMatchObject({ path: file, sha256: r.sha256 });
    const row = s.core.db.prepare('SELECT kind, sha256, evidence_id FROM report_exports WHERE export_id = ?').get(`${r.reportId}.html`);
    expect(row).toEqual({ kind: 'html', sha256: r.sha256, evidence_id: r.evidenceId });
  });

  it('prints a PDF with every section, the report id and "page X of Y" on every page, and no active content', async () => {
    const file = path.join(out, 'report.pdf');
    const r = await s.reports.reports.export({ caseNumber, format: 'pdf', outPath: file });
    const pdf = fs.readFileSync(file);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.toString('latin1')).not.toMatch(/\/JavaScript|\/JS\s*\(|\/Launch|javascript:/i);
    const text = execFileSync('pdftotext', ['-layout', file, '-']).toString();
    for (const sec of REPORT_SECTIONS.filter((x) => x.id !== 'cover')) expect(text, sec.title).toContain(sec.title);
    expect(text).toContain('<script>window.__pwned = "script"</script>');
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file]).toString())![1]);
    expect(pages).toBeGreaterThan(3);
    for (let p = 1; p <= pages; p++) {
      const pageText = execFileSync('pdftotext', ['-f', String(p), '-l', String(p), '-layout', file, '-']).toString();
      expect(pageText).toContain(`Page ${p} of ${pages}`);
      expect(pageText).toContain(r.reportId);
    }
    for (const f of fs.readdirSync(results).filter((n) => n.startsWith('report-page-'))) fs.rmSync(path.join(results, f));
    execFileSync('pdftoppm', ['-r', '70', '-png', file, path.join(results, 'report-page')]);
    expect(fs.readdirSync(results).filter((n) => n.startsWith('report-page-')).length).toBe(pages);
  });
});
