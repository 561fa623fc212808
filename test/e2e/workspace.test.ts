/// <reference lib="dom" />
import { afterAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { closeBrowser, hasChromium, startApp } from './harness';
import { ensureTestIdentity } from '../helpers/identity';

afterAll(closeBrowser);

const tab = (page: Page, name: string) => page.getByRole('navigation', { name: 'Case sections' }).getByRole('link', { name, exact: true });

describe.skipIf(!hasChromium)('case workspace in Chromium over the loopback transport', () => {
  it('creates a case, finds it, adds a task and a note, and sees them again after a restart', async () => {
    const app = await startApp();
    const { page } = app;
    try {
      const setup = page.getByRole('form', { name: 'Investigator identity' });
      await setup.waitFor();
      await app.screenshot('00-first-run-identity');
      await setup.locator('input[name=name]').fill('Ada Investigator');
      await setup.locator('input[name=role]').fill('Incident responder');
      await setup.locator('input[name=organisation]').fill('Example Corp CSIRT');
      await setup.getByRole('button', { name: 'Create identity and key' }).click();
      await page.getByRole('heading', { name: 'No cases yet' }).waitFor();
      await app.screenshot('01-empty-case-list');

      await page.keyboard.press('n');
      const form = page.getByRole('form', { name: 'New case' });
      await form.getByRole('button', { name: 'Open case' }).click();
      await form.locator('.field-error').first().waitFor();
      await form.locator('input[name=title]').fill('Crypto-miner on web-1');
      await form.locator('select[name=severity]').selectOption('high');
      await form.locator('input[name=regions]').fill('eu-west-1');
      await app.screenshot('02-new-case-form');
      await form.getByRole('button', { name: 'Open case' }).click();

      await page.getByRole('heading', { name: 'Crypto-miner on web-1' }).waitFor();
      expect(page.url()).toContain('/case/IR-2026-0001/overview'.replace('2026', String(new Date().getUTCFullYear())));
      await app.screenshot('03-case-overview');

      await page.getByRole('button', { name: 'Edit details' }).click();
      const edit = page.getByRole('form', { name: 'Edit case' });
      await edit.locator('input[name=lead]').fill('A. Investigator');
      await edit.locator('select[name=tlp]').selectOption('red');
      await edit.getByRole('button', { name: 'Save changes' }).click();
      await page.getByText('Lead: A. Investigator').waitFor();
      await page.getByText('TLP:RED').waitFor();

      await tab(page, 'Tasks').click();
      await page.getByLabel('Task title').waitFor();
      await page.keyboard.press('n');
      await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Task title');
      await page.keyboard.type('Snapshot web-1 volumes');
      await page.keyboard.press('Enter');
      await page.getByRole('cell', { name: 'Snapshot web-1 volumes' }).waitFor();
      await app.screenshot('04-tasks');

      await tab(page, 'Notes').click();
      await page.getByLabel('Note title').fill('First look');
      await page
        .getByLabel('Note body')
        .fill(
          'Miner talks to **pool.example**.\n\n<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>[click](javascript:window.__pwned=3)',
        );
      await page.getByRole('button', { name: 'Save note' }).click();
      const note = page.getByRole('article', { name: 'First look' });
      await note.locator('strong', { hasText: 'pool.example' }).waitFor();
      // The note has rendered (the bold text above waited for it): nothing hostile is in it.
      await expect.poll(() => note.locator('script, [onerror], a[href^="javascript"]').count()).toBe(0);
      expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      await app.screenshot('05-notes');

      await app.restart();
      await page.goto(app.url);
      await page.getByRole('searchbox', { name: 'Search cases' }).fill('miner');
      const row = page.getByRole('row', { name: /Crypto-miner on web-1/ });
      // One open task (the count cell, right-aligned), once the list has loaded.
      await expect.poll(() => row.locator('td.right').innerText()).toBe('1');
      await row.click();
      await tab(page, 'Tasks').click();
      await page.getByRole('cell', { name: 'Snapshot web-1 volumes' }).waitFor();
      await tab(page, 'Notes').click();
      await page.getByRole('article', { name: 'First look' }).waitFor();
      await tab(page, 'Overview').click();
      await page.getByText('note.added').first().waitFor();
      await page
        .getByText(/Ada Investigator/)
        .first()
        .waitFor();
      await app.screenshot('06-overview-after-restart');
      await page.getByRole('button', { name: 'Full log' }).click();
      const log = page.getByRole('table', { name: 'Activity log' });
      await log.getByText('case.updated').waitFor();
      await log.getByText('"from":"amber","to":"red"', { exact: false }).waitFor();
      await app.screenshot('07-activity-log');
      await page.keyboard.press('Escape');
      await page.getByRole('link', { name: 'Settings' }).click();
      await page.getByText('About this installation').waitFor();
      await expect.poll(() => page.getByText(app.dataDir).count()).toBe(1);
      await page.getByText('Ada Investigator').first().waitFor();
      await app.screenshot('08-settings');
    } finally {
      await app.close();
    }
  });

  it('renders the dark theme', async () => {
    const app = await startApp({ theme: 'dark' });
    try {
      ensureTestIdentity(app.services);
      app.services.core.cases.create({ title: 'Leaked access key AKIA…', severity: 'critical', tlp: 'red', lead: 'A. Investigator' });
      await app.page.reload();
      await app.page.getByRole('row', { name: /Leaked access key/ }).waitFor();
      expect(await app.page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
      await app.page.context().setOffline(true);
      await app.page.getByRole('status').filter({ hasText: 'offline' }).waitFor();
      await app.screenshot('09-case-list-dark');
    } finally {
      await app.close();
    }
  });
});
