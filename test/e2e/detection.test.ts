/// <reference lib="dom" />
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { closeBrowser, hasChromium, startApp } from './harness';
import { seriousA11yProblems } from './a11y';
import { ensureTestIdentity } from '../helpers/identity';
import { tempDir } from '../helpers/services';
import { timelineOperations } from '../../main/timeline/operations';

afterAll(closeBrowser);

const tab = (page: Page, name: string) => page.getByRole('navigation', { name: 'Case sections' }).getByRole('link', { name, exact: true });
const countText = (page: Page) => page.getByTestId('timeline-count').innerText();

/** Six failed console logins from one IP and then a success: what the brute-force correlation rule looks for. */
function bruteForce(ip: string): { Records: Record<string, unknown>[] } {
  const login = (i: number, ok: boolean) => ({
    eventVersion: '1.09',
    userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/alice', accountId: '111122223333', userName: 'alice' },
    eventTime: `2026-11-20T10:0${i}:00Z`,
    eventSource: 'signin.amazonaws.com',
    eventName: 'ConsoleLogin',
    awsRegion: 'us-east-1',
    sourceIPAddress: ip,
    userAgent: 'Mozilla/5.0',
    requestParameters: null,
    responseElements: { ConsoleLogin: ok ? 'Success' : 'Failure' },
    ...(ok ? {} : { errorMessage: 'Failed authentication' }),
    eventID: `e2e-${ok ? 'ok' : 'fail'}-${i}`,
    eventType: 'AwsConsoleSignIn',
    recipientAccountId: '111122223333',
  });
  return { Records: [0, 1, 2, 3, 4, 5].map((i) => login(i, false)).concat(login(7, true)) };
}

describe.skipIf(!hasChromium)('detection in Chromium: ATT&CK, rule hits, search across cases', () => {
  it('shows the demo ATT&CK matrix, filters the timeline by technique, opens a rule hit, finds an indicator in two cases', async () => {
    const app = await startApp();
    const { page, url } = app;
    const work = tempDir('lariat-e2e-det-');
    try {
      ensureTestIdentity(app.services);
      const { caseRecord } = await app.services.timeline.demo();
      const demo = caseRecord.number;
      // A second case sharing a source IP with the demo, whose logins make a correlation detection.
      const ip = app.services.timeline.events
        .query({ caseNumber: demo, where: [{ column: 'eventSource', value: 'iam.amazonaws.com' }], limit: 1000 })
        .events.map((e) => e.sourceIp)
        .find((v): v is string => !!v && /^\d+\.\d+\.\d+\.\d+$/.test(v))!;
      expect(ip).toBeTruthy();
      const other = app.services.core.cases.create({ title: 'Console brute force', severity: 'high' }).number;
      const file = path.join(work, 'logins.json');
      fs.writeFileSync(file, JSON.stringify(bruteForce(ip)));
      await app.services.timeline.imports.importPaths(other, [file]);
      app.services.timeline.iocs.add({ caseNumber: other, type: 'ip', value: ip });

      // The ATT&CK matrix of the demo case: tactics as columns, techniques with their counts.
      await page.goto(`${url}#/case/${demo}/attack`);
      const matrix = page.getByRole('table', { name: 'ATT&CK matrix' });
      await matrix.waitFor();
      await matrix.getByRole('columnheader', { name: /Defense Evasion/ }).waitFor();
      const logs = matrix.locator('[data-technique="T1562.008"]');
      await logs.getByText('Impair Defenses: Disable or Modify Cloud Logs').waitFor();
      expect(await seriousA11yProblems(page)).toEqual([]);
      await app.screenshot('detection-01-attack-matrix');

      // A technique opens the timeline filtered on it.
      const want = (await timelineOperations(app.services).countTimeline({ caseNumber: demo, technique: 'T1562.008', exact: true })).count;
      expect(want).toBeGreaterThan(0);
      await logs.getByRole('button', { name: /^\d+ events →$/ }).click();
      await expect.poll(() => decodeURIComponent(page.url())).toContain('/timeline?technique=T1562.008');
      await page.getByRole('button', { name: 'Remove technique filter' }).waitFor();
      await expect.poll(() => countText(page)).toBe(`${want} events match`);
      await app.screenshot('detection-02-timeline-by-technique');

      // An event of it: the panel names the rule, its level and its author.
      await page.locator('[data-event-id]').first().locator('[data-col="time"]').click();
      const panel = page.getByRole('complementary', { name: 'Event details' });
      const hits = panel.getByRole('region', { name: 'Detections' });
      await hits.waitFor();
      await expect.poll(() => hits.innerText()).toMatch(/by \S/);
      await expect.poll(() => hits.innerText()).toContain('T1562.008');
      // A SigmaHQ rule's hit states its licence (Detection Rule License 1.1) beside its author.
      await expect.poll(() => hits.innerText()).toContain('Detection Rule License 1.1');
      await app.screenshot('detection-03-event-rule-hit');

      // The case list search finds the IP in both cases.
      await page.goto(`${url}#/`);
      await page.getByLabel('Search cases').fill(ip);
      const found = page.getByRole('table', { name: 'Cases holding the value' });
      await found.getByRole('cell', { name: demo }).waitFor();
      await found.getByRole('cell', { name: other }).waitFor();
      await app.screenshot('detection-04-case-list-search-across-cases');

      // The other case: its IOC is "also seen in" the demo; its ATT&CK tab lists the correlation detection.
      await page.goto(`${url}#/case/${other}/iocs`);
      await expect.poll(() => page.getByTestId('also-seen').innerText()).toMatch(new RegExp(`also seen in ${demo} \\(\\d+ events?`));
      await app.screenshot('detection-05-ioc-also-seen');
      await tab(page, 'ATT&CK').click();
      const corr = page.getByRole('table', { name: 'Correlation detections' });
      const success = corr.getByRole('row').filter({ hasText: 'Console login failures then success from one IP' });
      await expect.poll(() => success.innerText()).toContain(`sourceIPAddress ${ip}`);
      await app.screenshot('detection-06-correlation-detections');
      await success.getByRole('button', { name: '7 events →' }).click();
      await expect.poll(() => countText(page)).toBe('7 events match');

      // Settings: the rules, each with a switch, and none that failed to load.
      await page.goto(`${url}#/settings`);
      const rules = page.getByRole('region', { name: 'Detection rules' });
      await rules.getByRole('table', { name: 'Rules' }).waitFor();
      expect(await rules.getByRole('region', { name: 'Rules not loaded' }).count()).toBe(0);
      await rules.getByLabel('Filter rules').fill('Console login failure');
      await rules.getByRole('checkbox', { name: 'Disable Console login failure', exact: true }).click();
      await rules.getByRole('checkbox', { name: 'Enable Console login failure', exact: true }).waitFor();
      expect(app.services.detection.service.disabledIds()).toHaveLength(1);
      // The correlations built on it cannot load now, and say so.
      const notLoaded = rules.getByRole('region', { name: 'Rules not loaded' });
      await expect.poll(() => notLoaded.innerText()).toContain('names "console-login-failure", which is not a loaded rule');
      await app.screenshot('detection-07-settings-rules');
      await rules.getByRole('checkbox', { name: 'Enable Console login failure', exact: true }).click();
      await expect.poll(() => notLoaded.count()).toBe(0);
    } finally {
      await app.close();
      fs.rmSync(work, { recursive: true, force: true });
    }
  });
});
