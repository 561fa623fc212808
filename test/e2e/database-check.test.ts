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
  it('says an intact database is intact, names a damaged search index and what to do, and is intact again after a restart', async () => {
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

      // A bad sector in the search index while the app runs: the check finds it, in the right file.
      const searchFile = path.join(app.dataDir, 'lariat-search.db');
      damageTree(searchFile, 'timeline_fts_data');
      result = await runCheck(page);
      expect(await result.getAttribute('data-ok')).toBe('false');
      expect(await result.innerText()).toContain('Damage found in the search index (the case database is intact).');
      const hint = result.getByRole('alert');
      expect(await hint.innerText()).toContain(`move ${searchFile} aside, and start Lariat again`);
      expect(await seriousA11yProblems(page)).toEqual([]);
      await app.screenshot('database-check-01-damaged-search-index');

      // The next start sets the damaged index aside itself and rebuilds it.
      await app.restart();
      await page.getByRole('region', { name: 'Database check' }).waitFor();
      result = await runCheck(page);
      expect(await result.getAttribute('data-ok')).toBe('true');
      expect(fs.readdirSync(app.dataDir).some((f) => f.startsWith('lariat-search.db.damaged-'))).toBe(true);
      await app.screenshot('database-check-02-intact-after-restart');
    } finally {
      await app.close();
    }
  });
});
