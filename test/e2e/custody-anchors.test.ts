/// <reference lib="dom" />
import crypto from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { closeBrowser, hasChromium, startApp } from './harness';

afterAll(closeBrowser);

const tab = (page: Page, name: string) => page.getByRole('navigation', { name: 'Case sections' }).getByRole('link', { name, exact: true });

describe.skipIf(!hasChromium)('trusted keys and external anchors in Chromium over the loopback transport', () => {
  it('pins and revokes a colleague key, records a checkpoint placed in a ticket, and verifies against it and against pasted fingerprints', async () => {
    const app = await startApp();
    const { page } = app;
    try {
      const s = app.services;
      const ada = s.custody.identity.create({ name: 'Ada Analyst', role: 'Incident responder', organisation: 'ACME CSIRT' });
      const carolPem = crypto.generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
      const carol = s.custody.identity.addPublicKey({ name: 'Carol Counsel', organisation: 'ACME Legal', publicKeyPem: carolPem });
      const c = s.core.cases.create({ title: 'Stolen keys on web-1', severity: 'high' });
      s.custody.actions.note({ caseNumber: c.number, evidenceId: null, note: 'seal 7 checked', location: '' });

      // Settings: own key trusted, the colleague known but not trusted until checked and pinned.
      await page.goto(`${app.url}#/settings`);
      const trust = page.getByRole('region', { name: 'Trusted keys' });
      const list = trust.getByRole('table', { name: 'Trusted key list' });
      await list.getByRole('row', { name: new RegExp(`Ada Analyst\\s*${ada.fingerprint}.*your own key`) }).waitFor();
      await trust.getByRole('button', { name: 'Check and trust Carol Counsel' }).click();
      await expect.poll(() => trust.getByLabel('Fingerprint to trust').inputValue()).toBe(carol.fingerprint);
      await trust.getByRole('button', { name: 'Trust this key' }).click();
      await list.getByRole('row', { name: new RegExp(`Carol Counsel\\s*${carol.fingerprint}.*pinned`) }).waitFor();
      expect(s.custody.trust.list().map((k) => [k.name, k.source])).toEqual([
        ['Ada Analyst', 'own'],
        ['Carol Counsel', 'pinned'],
      ]);
      const anchorsPanel = page.getByRole('region', { name: 'External anchors' });
      await anchorsPanel.getByText('Now: S3 off; time-stamps off.').waitFor();
      await trust.scrollIntoViewIfNeeded();
      await app.screenshot('custody-anchors-01-trusted-keys');
      await trust.getByRole('button', { name: 'Remove Carol Counsel' }).click();
      await list.getByRole('row', { name: /Carol Counsel/ }).waitFor({ state: 'detached' });
      expect(s.custody.trust.list().map((k) => k.name)).toEqual(['Ada Analyst']);
      await anchorsPanel.scrollIntoViewIfNeeded();
      await app.screenshot('custody-anchors-02-anchor-settings');

      // Custody tab: sign the head, record where it was placed, verify against it.
      await page.goto(`${app.url}#/case/${c.number}/evidence`);
      await tab(page, 'Custody').click();
      const box = page.getByRole('region', { name: 'Checkpoint and anchors' });
      await box.getByText('No S3 Object Lock bucket or time-stamp authority is configured').waitFor();
      await box.getByRole('button', { name: 'Sign the current head' }).click();
      const head = box.getByRole('group', { name: 'Signed head' });
      const entry1 = s.custody.ledger.list(c.number)[0]!;
      await head.getByText(`${c.number} custody entry 1 sha256:${entry1.hash}`).waitFor();
      await head.getByText(ada.fingerprint, { exact: true }).waitFor();
      await box.getByLabel('Where the checkpoint was placed').fill('ServiceNow INC0012345');
      await box.getByRole('button', { name: 'Record anchor (signed)' }).click();
      const anchors = box.getByRole('table', { name: 'Anchors' });
      await anchors.getByRole('row', { name: /placed by hand\s*1\s*.*ServiceNow INC0012345/ }).waitFor();
      expect(s.custody.manualAnchors.list(c.number)).toEqual([
        expect.objectContaining({ kind: 'manual', seq: 1, hash: entry1.hash, location: 'ServiceNow INC0012345' }),
      ]);
      await page.getByRole('list', { name: 'Custody ledger' }).getByText('placed outside Lariat: ServiceNow INC0012345').waitFor();
      await box.scrollIntoViewIfNeeded();
      await app.screenshot('custody-anchors-03-anchor-recorded');

      await anchors.getByRole('button', { name: 'Verify against it' }).click();
      const result = page.getByRole('status', { name: 'Verification result' });
      await result.getByText('Intact').waitFor();
      const checked = result.getByRole('list', { name: 'Checkpoints checked' });
      await expect
        .poll(() => checked.textContent())
        .toContain(`✔ the ledger extends the checkpoint of ${c.number} at entry 1 (signed by Ada Analyst, key ${ada.fingerprint}`);
      await result
        .getByRole('table', { name: 'Signers' })
        .getByRole('row', { name: new RegExp(`Ada Analyst\\s*${ada.fingerprint}`) })
        .waitFor();
      await result.scrollIntoViewIfNeeded();
      await app.screenshot('custody-anchors-04-verified-against-anchor');

      // Fingerprints given for this verification replace the trust list: a stranger's key anchors nothing.
      const options = page.getByText('Verify against fingerprints or checkpoints from outside…');
      await options.click();
      const form = page.getByRole('form', { name: 'Verify with' });
      await form.getByLabel('Trusted fingerprints').fill('f'.repeat(64));
      await form.getByRole('button', { name: 'Verify with these' }).click();
      await result.getByText('Broken').waitFor();
      await expect.poll(() => result.textContent()).toContain('not anchored');
      await result.getByRole('row', { name: new RegExp(`Ada Analyst\\s*${ada.fingerprint}.*NOT trusted`) }).waitFor();
      await result.scrollIntoViewIfNeeded();
      await app.screenshot('custody-anchors-05-verified-with-pasted-fingerprint');
    } finally {
      await app.close();
    }
  });
});
