/// <reference lib="dom" />
import { afterAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { closeBrowser, hasChromium, startApp } from './harness';

afterAll(closeBrowser);

const tab = (page: Page, name: string) => page.getByRole('navigation', { name: 'Case sections' }).getByRole('link', { name, exact: true });
const countText = (page: Page) => page.getByTestId('timeline-count').innerText();
const rows = (page: Page) => page.locator('[data-event-id]');

describe.skipIf(!hasChromium)('timeline, findings and IOCs in Chromium', () => {
  it('imports the demo, pivots, searches, opens raw JSON, acts on a finding and an IOC', async () => {
    const app = await startApp();
    const { page, url } = app;
    try {
      const { caseRecord, report } = await app.services.timeline.demo();
      const n = caseRecord.number;
      expect(report.rejected).toBe(0);
      await page.goto(`${url}#/case/${n}/timeline`);
      await rows(page).first().waitFor();
      await expect.poll(() => countText(page)).toBe(`${report.imported.toLocaleString('en-US')} events`);
      // Virtualized: far fewer rows in the DOM than events.
      expect(await rows(page).count()).toBeLessThan(120);
      await app.screenshot('timeline-01-demo-timeline');

      // Highlight rule as a filter.
      await page.getByLabel('Highlight rule').selectOption('logging-tampered');
      await expect.poll(() => page.url()).toContain('highlight=logging-tampered');
      await page.getByText('CloudTrail, GuardDuty or flow logging was stopped').waitFor();
      // The table re-renders after the filter: wait until the rows shown are only the rule's events.
      const tampering = [
        'StopLogging',
        'DeleteTrail',
        'UpdateTrail',
        'PutEventSelectors',
        'DeleteFlowLogs',
        'DeleteDetector',
        'UpdateDetector',
      ];
      await expect
        .poll(async () => {
          const actions = await page.locator('[data-event-id] [data-col="action"]').allInnerTexts();
          return actions.length > 0 && actions.every((a) => tampering.includes(a.trim()));
        })
        .toBe(true);

      // Pivot: click a source IP value; it becomes a filter in the route.
      const firstIp = rows(page).first().locator('[data-col="sourceIp"] button.v');
      const ip = (await firstIp.innerText()).trim();
      await firstIp.click();
      await expect.poll(() => decodeURIComponent(page.url())).toContain(`sourceIp=${ip}`);
      await page.getByRole('button', { name: 'Remove filter Source IP' }).waitFor();
      const ipCount = app.services.timeline.events.count({
        caseNumber: n,
        highlight: 'logging-tampered',
        where: [{ column: 'sourceIp', value: ip }],
      }).count;
      await expect.poll(() => rows(page).count()).toBe(ipCount);
      await app.screenshot('timeline-02-pivot-source-ip');

      // Full-text search focused with "/".
      await page.getByRole('button', { name: 'Clear filters' }).click();
      await page.locator('body').click({ position: { x: 5, y: 5 } });
      await page.keyboard.press('/');
      await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Full-text search');
      await page.keyboard.type('pedro');
      await page.keyboard.press('Enter');
      const pedro = app.services.timeline.events.count({ caseNumber: n, search: 'pedro' }).count;
      expect(pedro).toBeGreaterThan(0);
      await expect.poll(() => countText(page)).toBe(`${pedro} events match`);

      // Raw JSON side panel and flag.
      await rows(page).first().locator('[data-col="time"]').click();
      const panel = page.getByRole('complementary', { name: 'Event details' });
      await expect.poll(() => panel.getByLabel('Raw JSON').innerText()).toContain('pedro');
      await panel.getByRole('button', { name: '⚐ Flag' }).click();
      await panel.getByRole('button', { name: '⚑ Unflag' }).waitFor();
      expect(app.services.timeline.events.count({ caseNumber: n, flagged: true }).count).toBe(1);
      await app.screenshot('timeline-03-search-raw-json');

      // Findings: most severe first; add a finding's assets and IOCs.
      await tab(page, 'Findings').click();
      await page.getByRole('table', { name: 'Findings' }).waitFor();
      await page.getByRole('cell', { name: 'Trojan:EC2/DGADomainRequest.B' }).click();
      const side = page.getByRole('complementary', { name: 'Finding details' });
      await side.getByRole('button', { name: 'Add assets & IOCs' }).click();
      await side.getByText(/Added \d+ asset\(s\) and \d+ IOC\(s\)/).waitFor();
      await app.screenshot('timeline-04-findings');

      // IOCs: add one with the keyboard, then "where does this appear".
      await tab(page, 'IOCs').click();
      await page.getByLabel('IOC value').waitFor();
      await page.locator('body').click({ position: { x: 5, y: 5 } });
      await page.keyboard.press('n');
      await page.keyboard.type('1.2.3.4');
      await page.keyboard.press('Enter');
      await page.getByRole('cell', { name: '1.2.3.4', exact: true }).waitFor();
      const hits = app.services.timeline.events.count({ caseNumber: n, search: '1.2.3.4' }).count;
      const row = page.getByRole('row').filter({ has: page.getByRole('cell', { name: '1.2.3.4', exact: true }) });
      await row.getByRole('button', { name: `${hits} events →` }).waitFor();
      await app.screenshot('timeline-05-iocs');
      await row.getByRole('button', { name: `${hits} events →` }).click();
      await expect.poll(() => decodeURIComponent(page.url())).toContain('/timeline?search=1.2.3.4');
      await expect.poll(() => countText(page)).toBe(`${hits} events match`);
    } finally {
      await app.close();
    }
  });
});
