/// <reference lib="dom" />
// Issue 13's "done when", checked on screen: a 100,000-event case built in this file's setup through the real
// import service (CloudTrail deliveries from the generator the import benchmark uses, plus the GuardDuty samples),
// and the demo case beside it. At 1440x900 and 1024x700: the timeline newest first, the event panel open, a
// GuardDuty finding with its actions (the isolation plan one click away) and the report's first pages, each
// asserted (nothing cut, enough columns beside the panel, ARNs whole in the report) and scanned with axe.
// Pictures go to test-results/timeline-100k-*.png (never committed).
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { closeBrowser, hasChromium, resultsDir, startApp, type App } from './harness';
import { scrollsSideways, seriousA11yProblems } from './a11y';
import { columnsInView, cutCells, cutTexts } from './screen-checks';
import { tempDir } from '../helpers/services';
import { writeCloudTrailDeliveries } from '../support/cloudtrail-generator';

const RECORDS = 100_000;
const SIZES = [
  ['1440', { width: 1440, height: 900 }],
  ['1024', { width: 1024, height: 700 }],
] as const;
const GUARDDUTY = path.resolve(import.meta.dirname, '../../resources/demo/guardduty/blu371ck-samples');

const rows = (page: Page) => page.locator('[data-event-id]');
const countText = (page: Page) => page.getByTestId('timeline-count').innerText();
const focused = (page: Page, attribute: string) => page.evaluate((a) => document.activeElement?.getAttribute(a) ?? null, attribute);

let app: App;
let input: string;
let big: string;
let demo: string;

async function noSeriousA11y(page: Page, screen: string): Promise<void> {
  const problems = (await seriousA11yProblems(page)).map((p) => `${screen}: ${p.impact} ${p.id} (${p.help}) ${p.targets.join(' | ')}`);
  expect(problems).toEqual([]);
}

beforeAll(async () => {
  if (!hasChromium) return;
  const t0 = performance.now();
  input = tempDir('lariat-e2e-100k-');
  const trail = path.join(input, 'cloudtrail');
  writeCloudTrailDeliveries(trail, RECORDS);
  app = await startApp();
  const s = app.services;
  s.custody.identity.create({ name: 'Ada Investigator', role: 'Incident responder', organisation: 'Lariat e2e', contact: '' });
  big = s.core.cases.create({ title: 'Keys used from 65,536 addresses', severity: 'high' }).number;
  const findings = fs
    .readdirSync(GUARDDUTY)
    .filter((n) => n.endsWith('.json'))
    .map((n) => path.join(GUARDDUTY, n));
  const report = await s.timeline.imports.importPaths(big, [trail, ...findings]);
  expect(report.imported).toBeGreaterThanOrEqual(RECORDS);
  demo = (await s.timeline.demo()).caseRecord.number;
  console.log(`100k case: ${report.imported.toLocaleString('en-US')} events imported in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}, 300_000);

afterAll(async () => {
  await app?.close();
  await closeBrowser();
  if (input) fs.rmSync(input, { recursive: true, force: true });
});

describe.skipIf(!hasChromium)('a 100,000-event case at 1440x900 and 1024x700', () => {
  it('lists the newest events first with whole IPs, principal names, seconds and a histogram, and scrolls and searches', async () => {
    const { page, url, services: s } = app;
    expect(s.timeline.events.count({ caseNumber: big, exact: true }).count).toBeGreaterThanOrEqual(RECORDS);
    // The toolbar counts up to a cap and says "+" past it, as the service's quick count does.
    const shown = s.timeline.events.count({ caseNumber: big });
    const total = `${shown.count.toLocaleString('en-US')}${shown.exact ? '' : '+'} events`;
    const newest = s.timeline.events.query({ caseNumber: big, sort: 'newest', limit: 1 }).events[0]!;
    for (const [size, viewport] of SIZES) {
      await page.setViewportSize(viewport);
      await page.goto(`${url}#/case/${big}/timeline?sort=newest`);
      await rows(page).first().waitFor();
      await expect.poll(() => countText(page)).toBe(total);
      await expect.poll(() => rows(page).first().getAttribute('data-event-id')).toBe(String(newest.id));
      await expect.poll(() => columnsInView(page)).toEqual(expect.arrayContaining(['Time (UTC)', 'Action', 'Principal', 'Source IP']));
      for (const col of ['sourceIp', 'principal', 'time']) expect(await cutCells(page, col), `${col} at ${size}`).toEqual([]);
      // The principal is the user's name (the whole ARN is on hover and in the panel), the time has its seconds.
      const principals = await page.locator('[data-event-id] [data-col="principal"]').allInnerTexts();
      expect(principals.filter((p) => /^user\d+$/.test(p.trim())).length).toBeGreaterThanOrEqual(3);
      expect(principals.some((p) => p.includes('arn:'))).toBe(false);
      expect(await rows(page).first().locator('[data-col="time"]').innerText()).toMatch(/\d{2}:\d{2}:\d{2}/);
      // A histogram of the whole range, and a virtualized table (a few dozen rows in the page, not 100,000).
      await page
        .getByRole('group', { name: /Events over time/ })
        .getByRole('button', { name: /: [1-9][\d,]* events?$/ })
        .first()
        .waitFor();
      expect(await rows(page).count()).toBeLessThan(150);
      await noSeriousA11y(page, `timeline ${size}`);
      await app.screenshot(`timeline-100k-01-newest-first-${size}`);
    }

    // Scrolling far keeps the page light; a search answers with the same count as the service.
    const scroller = page.locator('.tl-scroll');
    for (let i = 0; i < 10; i++) await scroller.evaluate((el) => (el.scrollTop = el.scrollHeight));
    await expect.poll(() => rows(page).first().getAttribute('data-event-id')).not.toBe(String(newest.id));
    expect(await rows(page).count()).toBeLessThan(150);
    await page.getByLabel('Full-text search').fill('user42');
    await page.getByLabel('Full-text search').press('Enter');
    const hits = s.timeline.events.count({ caseNumber: big, search: 'user42' });
    expect(hits.count).toBeGreaterThan(0);
    await expect.poll(() => countText(page)).toBe(`${hits.count.toLocaleString('en-US')}${hits.exact ? '' : '+'} events match`);
  });

  it('opens an event beside at least six whole columns, shows its full ARN; Esc gives the row (or the Jobs button) its focus back', async () => {
    const { page, url } = app;
    for (const [size, viewport] of SIZES) {
      await page.setViewportSize(viewport);
      await page.goto(`${url}#/case/${big}/timeline?sort=newest`);
      // A CloudTrail call (the newest rows are the GuardDuty findings, which carry no IAM user).
      const row = rows(page)
        .filter({ has: page.locator('[data-col="principal"]', { hasText: /^user\d+$/ }) })
        .first();
      await row.waitFor();
      const id = await row.getAttribute('data-event-id');
      await row.locator('[data-col="time"]').click();
      const panel = page.getByRole('complementary', { name: 'Event details' });
      await expect.poll(() => panel.getByLabel('Raw JSON').innerText()).toContain('arn:aws:iam::111122223333:user/user');
      await expect.poll(() => page.url()).toContain(`event=${id}`);
      // Six data columns and the flag column, whole and in view, nothing cut beside the panel.
      await expect.poll(async () => (await columnsInView(page)).length).toBeGreaterThanOrEqual(7);
      expect(await columnsInView(page)).toEqual(expect.arrayContaining(['Time (UTC)', 'Action', 'Principal', 'Source IP']));
      for (const col of ['sourceIp', 'principal', 'time']) expect(await cutCells(page, col), `${col} at ${size}`).toEqual([]);
      await noSeriousA11y(page, `event panel ${size}`);
      await app.screenshot(`timeline-100k-02-event-panel-${size}`);

      // Esc closes the panel and the keyboard is back on the row it was opened from.
      await page.keyboard.press('Escape');
      await panel.waitFor({ state: 'detached' });
      await expect.poll(() => page.url()).not.toContain('event=');
      await expect.poll(() => focused(page, 'data-event-id')).toBe(id);
    }

    // The jobs drawer too: Esc closes it and the keyboard is back on the title bar's Jobs button.
    await page.getByRole('button', { name: /^Jobs/ }).click();
    const drawer = page.getByRole('complementary', { name: 'Jobs' });
    await drawer.waitFor();
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'detached' });
    await expect.poll(() => focused(page, 'aria-controls')).toBe('jobs-drawer');
  });

  it('shows a GuardDuty finding with its instance actions, one click from the isolation plan; Esc closes it', async () => {
    const { page, url } = app;
    const table = page.getByRole('table', { name: 'Findings' });
    const side = page.getByRole('complementary', { name: 'Finding details' });
    const respond = side.getByRole('group', { name: 'Respond on i-99999999' });
    for (const [size, viewport] of SIZES) {
      await page.setViewportSize(viewport);
      await page.goto(`${url}#/case/${big}/findings`);
      const row = table.locator('tbody tr').filter({ hasText: 'DropPoint' }).first();
      await row.click();
      await respond.getByRole('button', { name: 'Isolate…' }).waitFor();
      await respond.getByRole('button', { name: /^Snapshot/ }).waitFor();
      // The table and the panel fit the window; no instance id, IP or ARN in the panel is cut.
      await expect.poll(() => scrollsSideways(page), { message: `findings at ${size}` }).toBeNull();
      await expect
        .poll(async () => {
          const box = await table.boundingBox();
          return box !== null && box.x + box.width <= viewport.width;
        })
        .toBe(true);
      expect(await cutTexts(page, '[aria-label="Finding details"]')).toEqual([]);
      await noSeriousA11y(page, `finding ${size}`);
      await app.screenshot(`timeline-100k-03-finding-actions-${size}`);

      const findingId = await row.getAttribute('data-finding-id');
      await page.keyboard.press('Escape');
      await side.waitFor({ state: 'detached' });
      await expect.poll(() => focused(page, 'data-finding-id')).toBe(findingId);
    }
    // One click from the finding to the isolation plan, filled in.
    await table.locator('tbody tr').filter({ hasText: 'DropPoint' }).first().click();
    await respond.getByRole('button', { name: 'Isolate…' }).click();
    await page.waitForURL(/\/actions\?.*kind=isolate/);
    const plan = page.getByRole('form', { name: 'New response plan' });
    await expect.poll(() => plan.getByPlaceholder('i-0123456789abcdef0').inputValue()).toBe('i-99999999');
    await app.screenshot('timeline-100k-04-isolate-plan-1024');
  });

  it("renders the demo report's first pages: the executive page, findings as blocks with their identifiers whole", async () => {
    const { page, url, services: s } = app;
    // In the app, at both sizes: the preview (a sandboxed frame of the exported document).
    for (const [size, viewport] of SIZES) {
      await page.setViewportSize(viewport);
      await page.goto(`${url}#/case/${demo}/report`);
      await page.frameLocator('iframe.report-preview').getByRole('heading', { name: 'Key timeline' }).waitFor({ timeout: 60_000 });
      await expect.poll(() => scrollsSideways(page), { message: `report tab at ${size}` }).toBeNull();
      await noSeriousA11y(page, `report tab ${size}`);
      await app.screenshot(`timeline-100k-05-report-tab-${size}`);
    }

    // The exported document laid out for print on an A4 page (210 mm less 2 x 16 mm margins = 673 px at 96 dpi).
    const report = await s.reports.reports.generate({ caseNumber: demo });
    const printed = await page.context().newPage();
    try {
      await printed.setViewportSize({ width: 673, height: 1123 });
      await printed.emulateMedia({ media: 'print' });
      await printed.setContent(report.html, { waitUntil: 'load' });
      const broken = await printed.evaluate(() => {
        // Each resource token of a finding (an ARN, instance id, IP...) on one line: a text range over it has one line box.
        const out: string[] = [];
        const tokens = [...document.querySelectorAll<HTMLElement>('#findings .finding .resources .mono')];
        for (const el of tokens) {
          const range = document.createRange();
          range.selectNodeContents(el);
          const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
          if (tops.size > 1) out.push(el.innerText);
        }
        return { count: tokens.length, broken: out };
      });
      expect(broken.count).toBeGreaterThan(0);
      expect(broken.broken).toEqual([]);
      await printed.screenshot({ path: path.join(resultsDir, 'timeline-100k-06-report-print-layout.png'), fullPage: false });
    } finally {
      await printed.close();
    }

    // The PDF itself, when poppler is here to read it: its first page is the executive summary, its ARNs whole.
    const pdf = await s.reports.reports.pdf(report);
    const file = path.join(input, 'demo.pdf');
    fs.writeFileSync(file, pdf);
    const text = spawnSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (text.status !== 0 || text.error) {
      console.warn('pdftotext is not installed (apt-get install poppler-utils): the PDF pages are not pictured');
      return;
    }
    const first = text.stdout.split('\f')[0]!;
    for (const must of ['What happened', 'Impact', 'Containment', 'Key timeline', 'Open actions'])
      expect(first).toMatch(new RegExp(must, 'i'));
    // An identifier broken across lines is not in the text whole: every resource of the threat findings' blocks is.
    const start = text.stdout.search(/^\s*Threat findings\s*$/im);
    const end = text.stdout.search(/^\s*Compliance findings\s*$/im);
    expect(start).toBeGreaterThan(0);
    const threats = text.stdout.slice(start, end > start ? end : undefined);
    const ids = [
      ...new Set(
        s.timeline.findings
          .list(demo)
          .filter((f) => f.source === 'guardduty')
          .flatMap((f) => f.resources.map((r) => r.id)),
      ),
    ];
    expect(ids.length).toBeGreaterThan(3);
    expect(ids.filter((id) => !threats.includes(id))).toEqual([]);
    spawnSync('pdftoppm', ['-png', '-r', '70', '-f', '1', '-l', '2', file, path.join(resultsDir, 'timeline-100k-07-report-page')]);
    expect(fs.readdirSync(resultsDir).filter((f) => f.startsWith('timeline-100k-07-report-page')).length).toBe(2);
  });
});
