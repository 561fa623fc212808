/// <reference lib="dom" />
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { closeBrowser, hasChromium, resultsDir, startApp, type App } from './harness';
import { scrollsSideways, seriousA11yProblems } from './a11y';
import { tempDir } from '../helpers/services';

afterAll(closeBrowser);

const WIDE = { width: 1440, height: 900 };
const NARROW = { width: 1024, height: 700 };
const tab = (page: Page, name: string) => page.getByRole('navigation', { name: 'Case sections' }).getByRole('link', { name, exact: true });

/** Screenshots of the current screen at both sizes, with no sideways scrolling at either. */
async function shoot(app: App, name: string): Promise<void> {
  for (const [size, viewport] of [
    ['1440', WIDE],
    ['1024', NARROW],
  ] as const) {
    await app.page.setViewportSize(viewport);
    await expect.poll(() => scrollsSideways(app.page), { message: `${name} at ${size}px` }).toBeNull();
    await app.screenshot(`ux-${name}-${size}`);
  }
  await app.page.setViewportSize(WIDE);
}

describe.skipIf(!hasChromium)('a newcomer, clicking what a newcomer clicks', () => {
  it('sets up, loads the demo, opens evidence and a finding, acts on its instance, in both themes, with no serious axe violation', async () => {
    const app = await startApp();
    const { page } = app;
    const screens: Record<string, () => Promise<void>> = {};
    try {
      await page.setViewportSize(WIDE);
      // First run: the identity form, with the cursor in its first field.
      const setup = page.getByRole('form', { name: 'Investigator identity' });
      await setup.waitFor();
      await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('name');
      await page.keyboard.type('Ada Investigator');
      await setup.locator('input[name=role]').fill('Incident responder');
      await setup.getByRole('button', { name: 'Create identity and key' }).click();
      await page.getByRole('heading', { name: 'No cases yet' }).waitFor();
      await shoot(app, '01-case-list-empty');
      screens['case list'] = () =>
        page
          .getByRole('heading', { name: /No cases yet|Cases/ })
          .first()
          .waitFor();

      // `n` opens the new-case dialog with the cursor in the title: a space types a space, it does not close it.
      await page.keyboard.press('n');
      const form = page.getByRole('form', { name: 'New case' });
      await form.waitFor();
      await page.keyboard.type('Miner on web');
      await expect.poll(() => form.locator('input[name=title]').inputValue()).toBe('Miner on web');
      await app.screenshot('ux-02-new-case-dialog-1440');
      await page.keyboard.press('Escape');
      await form.waitFor({ state: 'hidden' });

      // The demo button opens the demo case.
      await page.getByRole('button', { name: 'Load the demo case' }).click();
      await page.waitForURL(/#\/case\/IR-\d{4}-\d{4}\/overview$/, { timeout: 60_000 });
      const caseNumber = /#\/case\/(IR-\d{4}-\d{4})\//.exec(page.url())![1]!;
      await page.getByRole('heading', { name: /^Demo: compromised root credentials/ }).waitFor();
      await page.getByText('demo', { exact: true }).first().waitFor();
      await shoot(app, '03-demo-overview');
      screens.overview = async () => {
        await page.goto(`${app.url}#/case/${caseNumber}/overview`);
        await page.getByRole('heading', { name: 'Summary' }).waitFor();
      };

      // Evidence: the details of an item far down the list open where the click was, in view.
      await tab(page, 'Evidence').click();
      const rows = page.getByRole('table', { name: 'Evidence items' }).locator('tbody tr.clickable');
      await rows.nth(99).waitFor();
      await rows.nth(99).scrollIntoViewIfNeeded();
      await rows.nth(99).click();
      const details = page.getByRole('region', { name: /^Evidence item \d+$/ });
      await details.getByRole('heading', { name: /^#\d+ / }).waitFor();
      await expect
        .poll(async () => {
          const box = await details.boundingBox();
          return box !== null && box.y >= 0 && box.y < WIDE.height - 100;
        })
        .toBe(true);
      await details.getByText('SHA-256').first().waitFor();
      await shoot(app, '04-evidence-details');
      screens['evidence with details'] = async () => {
        await page.goto(`${app.url}#/case/${caseNumber}/evidence?item=3`);
        await page.getByRole('region', { name: 'Evidence item 3' }).getByText('SHA-256').first().waitFor();
      };

      // Findings: active threats above compliance checks, a source filter, and the instance's actions on the panel.
      await tab(page, 'Findings').click();
      const table = page.getByRole('table', { name: 'Findings' });
      await table.waitFor();
      const findingRows = table.locator('tbody tr');
      await expect.poll(() => findingRows.first().innerText()).toContain('Threat');
      await expect.poll(() => findingRows.last().innerText()).toContain('Compliance');
      await page.getByLabel('Source').selectOption('securityhub');
      await expect.poll(async () => (await findingRows.allInnerTexts()).every((t) => t.includes('Security Hub'))).toBe(true);
      await page.getByLabel('Source').selectOption('');
      await findingRows.filter({ hasText: 'DropPoint' }).first().click();
      const side = page.getByRole('complementary', { name: 'Finding details' });
      const respond = side.getByRole('group', { name: 'Respond on i-99999999' });
      await respond.getByRole('button', { name: 'Isolate…' }).waitFor();
      await expect
        .poll(async () => {
          const box = await table.boundingBox();
          return box !== null && box.x + box.width <= WIDE.width;
        })
        .toBe(true);
      await shoot(app, '05-finding-with-actions');
      screens['finding with actions'] = async () => {
        await page.goto(`${app.url}#/case/${caseNumber}/findings`);
        await page.getByRole('table', { name: 'Findings' }).locator('tbody tr').filter({ hasText: 'DropPoint' }).first().click();
        await respond.getByRole('button', { name: 'Isolate…' }).waitFor();
      };

      // The finding's assets carry its instance facts.
      await side.getByRole('button', { name: 'Add assets & IOCs' }).click();
      await side.getByText(/Added \d+ asset\(s\)/).waitFor();
      await tab(page, 'Assets').click();
      // Within the assets list: right after the click the findings table (whose rows name the instance too) may still be on screen.
      await page.getByRole('region', { name: 'Assets of the case' }).getByRole('row').filter({ hasText: 'i-99999999' }).click();
      const asset = page.getByRole('complementary', { name: 'Asset i-99999999' });
      await asset.getByText(/running/).waitFor();
      await asset.getByText('10.0.0.1', { exact: false }).first().waitFor();
      await asset.getByText('vpc-generatedvpcid1', { exact: false }).first().waitFor();
      await shoot(app, '06-asset-from-finding');

      // One click from the finding to the filled-in isolation plan.
      await tab(page, 'Findings').click();
      await findingRows.filter({ hasText: 'DropPoint' }).first().click();
      await respond.getByRole('button', { name: 'Isolate…' }).click();
      await page.waitForURL(/\/actions\?.*kind=isolate/);
      const plan = page.getByRole('form', { name: 'New response plan' });
      await expect.poll(() => plan.getByPlaceholder('i-0123456789abcdef0').inputValue()).toBe('i-99999999');
      await shoot(app, '07-isolate-plan-from-finding');
      screens['plan form'] = async () => {
        await page.goto(`${app.url}#/case/${caseNumber}/actions?kind=isolate&instance=i-99999999&region=us-east-1`);
        await plan.waitFor();
      };

      await tab(page, 'Report').click();
      await page.frameLocator('iframe.report-preview').getByRole('heading', { name: 'Key timeline' }).waitFor({ timeout: 60_000 });
      await shoot(app, '08-report-tab');
      screens['report tab'] = async () => {
        await page.goto(`${app.url}#/case/${caseNumber}/report`);
        await page.frameLocator('iframe.report-preview').getByRole('heading', { name: 'Key timeline' }).waitFor({ timeout: 60_000 });
      };

      // A case that does not exist: a plain page, no raw backticks.
      await page.goto(`${app.url}#/case/IR-2099-9999/overview`);
      await page.getByRole('heading', { name: 'No case IR-2099-9999 here' }).waitFor();
      await expect.poll(() => page.locator('main').innerText()).not.toContain('`');
      await shoot(app, '09-case-not-found');
      screens['case not found'] = async () => {
        await page.goto(`${app.url}#/case/IR-2099-9999/overview`);
        await page.getByRole('heading', { name: 'No case IR-2099-9999 here' }).waitFor();
      };
      screens.settings = async () => {
        await page.goto(`${app.url}#/settings`);
        await page.getByText('About this installation').waitFor();
      };
      screens['case list'] = async () => {
        await page.goto(`${app.url}#/`);
        await page.getByRole('table', { name: 'Cases' }).waitFor();
      };

      // The other tabs: no sideways scrolling at 1024 px either.
      for (const name of ['Custody', 'IOCs', 'Tasks', 'Notes', 'Timeline', 'Actions']) {
        await page.goto(`${app.url}#/case/${caseNumber}/overview`);
        await tab(page, name).click();
        await page.getByRole('region', { name }).waitFor();
        await page.setViewportSize(NARROW);
        await expect.poll(() => scrollsSideways(page), { message: `${name} at 1024px` }).toBeNull();
        await page.setViewportSize(WIDE);
      }
      screens.custody = async () => {
        await page.goto(`${app.url}#/case/${caseNumber}/custody`);
        await page.getByRole('region', { name: 'Custody' }).getByRole('button').first().waitFor();
      };
      screens.timeline = async () => {
        await page.goto(`${app.url}#/case/${caseNumber}/timeline`);
        await page.locator('[data-event-id]').first().waitFor();
      };

      // Every main screen, in both themes: no serious or critical accessibility violation (contrast included).
      const problems: string[] = [];
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        for (const [name, open] of Object.entries(screens)) {
          await open();
          await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe(scheme);
          for (const p of await seriousA11yProblems(page))
            problems.push(`${scheme} ${name}: ${p.impact} ${p.id} (${p.help}) ${p.targets.join(' | ')}`);
        }
      }
      await page.emulateMedia({ colorScheme: 'dark' });
      await screens['finding with actions']!();
      await app.screenshot('ux-10-finding-dark-1440');
      expect(problems).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('while the demo identity acts (after `lariat demo`), says so and leads to a real identity', async () => {
    const app = await startApp();
    const { page } = app;
    try {
      const { caseRecord } = await app.services.timeline.demo(); // no identity yet: the demo investigator signs the demo case
      await page.setViewportSize(WIDE);
      // The page opened before the demo existed: load it afresh, as an investigator opening the app after `lariat demo`.
      await page.goto(`${app.url}#/case/${caseRecord.number}/overview`);
      await page.reload();
      const banner = page.getByRole('status', { name: 'Acting as the demo investigator' });
      await banner.getByText('can only work in the demo case').waitFor();
      await app.screenshot('ux-11-demo-identity-banner-1440');
      await banner.getByRole('button', { name: 'Create my identity…' }).click();
      await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('name');
      await page.keyboard.type('Ada Investigator');
      await page.getByRole('button', { name: 'Create identity and key' }).click();
      await banner.waitFor({ state: 'detached' });
      await expect.poll(() => app.services.custody.identity.current()?.name).toBe('Ada Investigator');
    } finally {
      await app.close();
    }
  });

  it('prints a demo report under 30 pages, its first pages rendered as pictures', async () => {
    const app = await startApp();
    const out = tempDir('lariat-e2e-report-');
    try {
      const { caseRecord } = await app.services.timeline.demo();
      const file = path.join(out, 'demo.pdf');
      const r = await app.services.reports.reports.export({ caseNumber: caseRecord.number, format: 'pdf', outPath: file });
      expect(r.size).toBeGreaterThan(0);
      const info = spawnSync('pdfinfo', [file], { encoding: 'utf8' });
      if (info.status !== 0) {
        console.warn('pdfinfo is not installed (apt-get install poppler-utils): page count and pictures skipped');
        return;
      }
      const pages = Number(/Pages:\s+(\d+)/.exec(info.stdout)![1]);
      expect(pages).toBeLessThan(30);
      const text = spawnSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).stdout;
      // The executive first page, then everything else (headings print in capitals, hence the case-blind match).
      const first = text.split('\f')[0]!;
      for (const must of ['What happened', 'Impact', 'Containment', 'Key timeline', 'Open actions'])
        expect(first).toMatch(new RegExp(must, 'i'));
      for (const must of ['Chain of custody', 'Appendix A. Custody ledger', 'Appendix B. Activity log']) expect(text).toContain(must);
      spawnSync('pdftoppm', ['-png', '-r', '70', '-f', '1', '-l', '4', file, path.join(resultsDir, 'ux-report-page')]);
      expect(fs.readdirSync(resultsDir).filter((f) => f.startsWith('ux-report-page')).length).toBeGreaterThanOrEqual(4);
      console.log(`demo report: ${pages} pages`);
    } finally {
      await app.close();
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});
