/// <reference lib="dom" />
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { closeBrowser, hasChromium, startApp, type App } from './harness';

afterAll(closeBrowser);

const tab = (page: Page, name: string) => page.getByRole('navigation', { name: 'Case sections' }).getByRole('link', { name, exact: true });

/** Uses the first-run form when the app shows it; otherwise creates the identity through the services. */
async function ensureIdentity(app: App): Promise<void> {
  const form = app.page.getByRole('form', { name: 'Investigator identity' });
  // A fresh data folder has no identity, so the first-run form comes (waited for, not sampled once).
  if (
    await form.waitFor({ timeout: 15_000 }).then(
      () => true,
      () => false,
    )
  ) {
    await form.locator('input[name=name]').fill('Ada Analyst');
    await form.locator('input[name=role]').fill('Incident responder');
    await form.locator('input[name=organisation]').fill('ACME CSIRT');
    await form.locator('input[name=contact]').fill('ada@acme.example');
    await app.screenshot('custody-01-identity-setup');
    await form.getByRole('button', { name: 'Create identity and key' }).click();
    await form.waitFor({ state: 'detached' });
  } else if (!app.services.custody.identity.current()) {
    app.services.custody.identity.create({
      name: 'Ada Analyst',
      role: 'Incident responder',
      organisation: 'ACME CSIRT',
      contact: 'ada@acme.example',
    });
  }
}

describe.skipIf(!hasChromium)('evidence and custody in Chromium over the loopback transport', () => {
  it('imports a file with the picker, shows its hashes and custody, transfers it and verifies the case', async () => {
    const app = await startApp();
    const { page } = app;
    try {
      await ensureIdentity(app);
      expect(app.services.custody.identity.current()?.name).toBe('Ada Analyst');
      const c = app.services.core.cases.create({ title: 'Stolen keys on web-1', severity: 'high' });
      await page.goto(`${app.url}#/case/${c.number}/evidence`);
      await page.getByText('No evidence yet: drop files here or acquire from an instance').waitFor();
      await app.screenshot('custody-02-evidence-empty');

      const file = path.join(app.dataDir, 'auth.log');
      fs.writeFileSync(file, 'Nov 27 10:00:01 web-1 sshd[811]: Accepted publickey for ubuntu from 203.0.113.7\n'.repeat(20000));
      app.dialogs.openQueue.push([file]);
      await page.getByRole('button', { name: 'Import files…' }).click();
      const table = page.getByRole('table', { name: 'Evidence items' });
      const row = table.getByRole('row', { name: /auth\.log/ });
      await row.waitFor();
      const item = app.services.custody.vault.list(c.number)[0]!;
      await expect.poll(() => row.textContent()).toContain(item.sha256!.slice(0, 12));
      await expect.poll(() => row.textContent()).toContain('held');
      await row.click();
      const details = page.getByRole('region', { name: `Evidence item ${item.id}` });
      await details.getByText(item.md5!, { exact: true }).waitFor();
      await details.getByText(item.sha1!, { exact: true }).waitFor();
      await details
        .getByRole('list', { name: 'Custody ledger' })
        .getByRole('listitem')
        .filter({ hasText: /Ada Analyst imported\s+#1 auth\.log/ })
        .waitFor();
      await app.screenshot('custody-03-evidence-details');

      // Drag and drop: the bridge maps the dropped File to a path as the preload's webUtils does.
      const dropped = path.join(app.dataDir, 'cloudtrail.json');
      fs.writeFileSync(dropped, '{"Records":[]}');
      await page.evaluate((p) => {
        (window as unknown as { __lariatTestPaths: Record<string, string> }).__lariatTestPaths = { 'cloudtrail.json': p };
        const dt = new DataTransfer();
        dt.items.add(new File(['{"Records":[]}'], 'cloudtrail.json'));
        const zone = document.querySelector('.evidence-tab')!;
        zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
        zone.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
      }, dropped);
      await table.getByRole('row', { name: /cloudtrail\.json/ }).waitFor();
      expect(app.services.custody.vault.list(c.number).map((i) => i.description)).toEqual(['auth.log', 'cloudtrail.json']);

      // A second identity on this laptop receives the item.
      const me = app.services.custody.identity.current()!;
      const bob = app.services.custody.identity.create({ name: 'Bob Receiver', organisation: 'ACME Legal' });
      app.services.custody.identity.use(me.fingerprint);
      await tab(page, 'Custody').click();
      await page.getByRole('button', { name: 'Transfer…' }).click();
      const dialog = page.getByRole('form', { name: 'Transfer custody' });
      await dialog.getByLabel('Received by').selectOption(bob.fingerprint);
      await dialog.getByLabel('Purpose (required)').fill('legal hold');
      await dialog.getByLabel('Location').fill('HQ evidence room');
      await app.screenshot('custody-04-transfer-dialog');
      await dialog.getByRole('button', { name: 'Sign and transfer' }).click();
      const ledger = page.getByRole('list', { name: 'Custody ledger' });
      await ledger.getByText('Bob Receiver').waitFor();

      await page.getByRole('button', { name: 'Verify' }).click();
      const result = page.getByRole('status', { name: 'Verification result' });
      await result.getByText('Intact').waitFor();
      await expect.poll(() => result.textContent()).toContain('3 custody entries');
      await app.screenshot('custody-05-verified');

      // Tamper with the vault file: the next verification names it.
      const stored = path.join(app.services.core.paths.vaultDir, item.vaultPath!);
      fs.chmodSync(stored, 0o644);
      fs.appendFileSync(stored, 'tampered\n');
      await page.getByRole('button', { name: 'Verify' }).click();
      await result.getByText('Broken').waitFor();
      await expect.poll(() => result.textContent()).toContain(`file changed: ${item.vaultPath}`);
      await app.screenshot('custody-06-broken');
    } finally {
      await app.close();
    }
  });
});
