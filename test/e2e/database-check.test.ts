/// <reference lib="dom" />
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { closeBrowser, hasChromium, startApp } from './harness';
import { seriousA11yProblems } from './a11y';
import { ensureTestIdentity } from '../helpers/identity';
import { damageTree } from '../helpers/damage';

afterAll(closeBrowser);

const FIX = path.resolve(__dirname, '../fixtures/timeline');

/** Clicks "Check the database" and returns the result region once the check it started has shown its verdict. */
async function runCheck(page: Page) {
  const panel = page.getByRole('region', { name: 'Database check' });
  const result = panel.getByRole('status', { name: 'Database check result' });
  const before = (await result.count()) ? await result.innerText() : null;
  await panel.getByRole('button', { name: 'Check the database' }).click();
  await expect
    .poll(async () => (await result.count()) > 0 && (before === null || (await result.innerText()) !== before), { timeout: 30_000 })
    .toBe(true);
  return result;
}

describe.skipIf(!hasChromium)('the database check in Settings, in Chromium over the loopback transport', () => {
  it('says an intact database is intact; a search over a damaged search index says to run the check, which rebuilds it without a restart', async () => {
    const app = await startApp();
    const { page } = app;
    try {
      ensureTestIdentity(app.services);
      const caseNumber = app.services.core.cases.create({ title: 'db check', severity: 'low' }).number;
      await app.services.timeline.imports.importPaths(caseNumber, [path.join(FIX, 'lookup-events.json'), path.join(FIX, 'insights.json')]);
      await page.goto(`${app.url}#/settings`);
      let result = await runCheck(page);
      expect(await result.getAttribute('data-ok')).toBe('true');
      expect(await result.innerText()).toMatch(/Intact: SQLite found no damage[\s\S]*Case database\s+ok[\s\S]*Search index\s+ok/);

      // A bad sector in the search index while the app runs: a search says so, and what to do.
      const searchFile = path.join(app.dataDir, 'lariat-search.db');
      damageTree(searchFile, 'timeline_fts_data');
      const searchPage = `${app.url}#/case/${caseNumber}/timeline?search=StopLogging`;
      await page.goto(searchPage);
      const error = page.getByRole('alert').filter({ hasText: 'The search index at' });
      await expect.poll(() => error.count(), { timeout: 30_000 }).toBeGreaterThan(0);
      expect(await error.first().innerText()).toContain('Settings → Database check');
      // The failed query is not shown as still loading.
      await expect.poll(() => page.getByTestId('timeline-count').innerText()).toBe('Events not counted (see the error below)');
      expect(await page.getByRole('table', { name: 'Timeline events' }).innerText()).not.toContain('Loading more');
      await app.screenshot('database-check-01-search-over-damaged-index');

      // The check finds it in the right file, sets it aside (kept) and rebuilds it: nothing left to do.
      await page.goto(`${app.url}#/settings`);
      result = await runCheck(page);
      expect(await result.getAttribute('data-ok')).toBe('false');
      expect(await result.innerText()).toContain(
        'Damage found in the search index: it was set aside and rebuilt from the case database, which is intact. Searches work again.',
      );
      expect(await result.innerText()).toMatch(/moved to .*lariat-search\.db\.damaged-.* \(kept\) and rebuilt/);
      expect(await result.getByRole('alert').count()).toBe(0);
      expect(fs.readdirSync(app.dataDir).some((f) => f.startsWith('lariat-search.db.damaged-'))).toBe(true);
      expect(await seriousA11yProblems(page)).toEqual([]);
      await app.screenshot('database-check-02-search-index-rebuilt');

      // The same app, no restart: the search answers, as many events as the column filter finds.
      const expected = app.services.timeline.events.count({ caseNumber, where: [{ column: 'action', value: 'StopLogging' }] }).count;
      expect(expected).toBeGreaterThan(0);
      await page.goto(searchPage);
      await expect.poll(() => page.getByTestId('timeline-count').innerText(), { timeout: 30_000 }).toBe(`${expected} events match`);
      await page.goto(`${app.url}#/settings`);
      result = await runCheck(page);
      expect(await result.getAttribute('data-ok')).toBe('true');
    } finally {
      await app.close();
    }
  });
});
