/// <reference lib="dom" />
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { tempDir } from '../helpers/services';
import { ensureTestIdentity } from '../helpers/identity';
import { closeBrowser, hasChromium, startApp, type App } from './harness';
import { seriousA11yProblems } from './a11y';
import { columnsInView, cutCells } from './screen-checks';
import { AppError } from '../../main/core/errors';

afterAll(closeBrowser);

const VIEWPORTS = [
  ['1440', { width: 1440, height: 900 }],
  ['1024', { width: 1024, height: 700 }],
] as const;
const rows = (page: Page) => page.locator('[data-event-id]');
const countText = (page: Page) => page.getByTestId('timeline-count').innerText();
const table = (page: Page) => page.getByRole('table', { name: 'Timeline events' });

async function shoot(app: App, name: string, size: string) {
  await app.screenshot(`timeline-ui-${name}-${size}`);
}

/** A small CloudTrail delivery file: two IAM-user calls from one IPv4 and one IPv6 address (`indent` changes the bytes, not the records). */
function trailFile(dir: string, name: string, indent = 0): string {
  const rec = (i: number, ip: string) => ({
    eventVersion: '1.08',
    userIdentity: {
      type: 'IAMUser',
      principalId: 'AIDAEXAMPLE',
      arn: 'arn:aws:iam::123456789012:user/division/ada.lovelace',
      accountId: '123456789012',
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      userName: 'ada.lovelace',
    },
    eventTime: `2026-11-20T10:0${i}:00Z`,
    eventSource: 'iam.amazonaws.com',
    eventName: 'CreateAccessKey',
    awsRegion: 'us-east-1',
    sourceIPAddress: ip,
    userAgent: 'aws-cli/2.15.0',
    requestParameters: { userName: 'backdoor' },
    responseElements: null,
    eventID: `0b3c8a9e-1111-4a6e-9e0c-00000000000${i}`,
    eventType: 'AwsApiCall',
    recipientAccountId: '123456789012',
  });
  const file = path.join(dir, name);
  fs.writeFileSync(
    file,
    JSON.stringify({ Records: [rec(1, '157.130.196.214'), rec(2, '2001:db8:85a3:1234:5678:8a2e:370:7334')] }, null, indent),
  );
  return file;
}

describe.skipIf(!hasChromium)('timeline view at 1440x900 and 1024x700', () => {
  it('shows whole IPs and principals, sorts newest first, filters by the histogram, keeps columns beside the panel, passes axe', async () => {
    const app = await startApp();
    const { page, url } = app;
    try {
      const { caseRecord } = await app.services.timeline.demo();
      const n = caseRecord.number;
      const newest = app.services.timeline.events.query({ caseNumber: n, sort: 'newest', limit: 1 }).events[0]!;
      const oldest = app.services.timeline.events.query({ caseNumber: n, from: '1970-01-01T00:00:00.001Z', limit: 1 }).events[0]!;
      for (const [size, viewport] of VIEWPORTS) {
        await page.setViewportSize(viewport);
        await page.goto(`${url}#/case/${n}/timeline`);
        await rows(page).first().waitFor();
        await expect.poll(() => rows(page).first().getAttribute('data-event-id')).toBe(String(oldest.id));
        // Who and from where, whole: the Principal and Source IP columns are on screen and no IP is cut.
        await expect.poll(() => columnsInView(page)).toEqual(expect.arrayContaining(['Time (UTC)', 'Action', 'Principal', 'Source IP']));
        await expect.poll(() => page.locator('[data-event-id] [data-col="sourceIp"] button').count()).toBeGreaterThan(0);
        expect(await cutCells(page, 'sourceIp')).toEqual([]);
        expect(await cutCells(page, 'principal')).toEqual([]);
        expect(await cutCells(page, 'time')).toEqual([]);
        // The actor column shows the name; the whole ARN is on hover.
        const actor = page.locator('[data-event-id] [data-col="actor"] button').first();
        if (await actor.count()) expect(await actor.getAttribute('title')).toMatch(/^arn:/);
        await shoot(app, '01-oldest-first', size);

        // Newest first: the newest event leads.
        await page.getByLabel('Sort order').selectOption('newest');
        await expect.poll(() => page.url()).toContain('sort=newest');
        await expect.poll(() => rows(page).first().getAttribute('data-event-id')).toBe(String(newest.id));
        await shoot(app, '02-newest-first', size);

        // The histogram: clicking a bar narrows the time range to it, and the table and count follow.
        const bar = page
          .getByRole('group', { name: /Events over time/ })
          .getByRole('button', { name: /: [1-9]\d* events?$/ })
          .first();
        await bar.click();
        await expect.poll(() => page.url()).toMatch(/from=.*&to=|to=.*from=/);
        const params = new URLSearchParams(page.url().split('?')[1]);
        const range = { from: params.get('from')!, to: params.get('to')! };
        const expected = app.services.timeline.events.count({ caseNumber: n, ...range }).count;
        expect(expected).toBeGreaterThan(0);
        await expect.poll(() => countText(page)).toBe(`${expected.toLocaleString('en-US')} events match`);
        await expect.poll(() => page.getByLabel('From time (UTC)').inputValue()).toBe(range.from);
        await shoot(app, '03-histogram-range', size);

        // An open event leaves at least six whole columns of the table in view.
        await page.getByRole('button', { name: 'Clear filters' }).click();
        await rows(page).first().locator('[data-col="time"]').click();
        const panel = page.getByRole('complementary', { name: 'Event details' });
        await panel.getByLabel('Raw JSON').waitFor();
        await shoot(app, '04-event-open', size);
        // Six data columns and the flag column, whole and in view.
        await expect.poll(async () => (await columnsInView(page)).length).toBeGreaterThanOrEqual(7);
        expect(await columnsInView(page)).toEqual(expect.arrayContaining(['Time (UTC)', 'Action', 'Principal', 'Source IP']));
        expect(await cutCells(page, 'sourceIp')).toEqual([]);
      }

      // Accessibility, event rows included, in both themes (a row selected and its panel open).
      const problems: string[] = [];
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe(scheme);
        await rows(page).first().waitFor();
        for (const p of await seriousA11yProblems(page))
          problems.push(`${scheme}: ${p.impact} ${p.id} (${p.help}) ${p.targets.join(' | ')}`);
      }
      expect(problems).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it("opens a link's filter by CloudTrail's own field name, and names a field that is no column instead of ignoring it", async () => {
    const app = await startApp();
    const { page, url } = app;
    try {
      const { caseRecord } = await app.services.timeline.demo();
      const n = caseRecord.number;
      const first = app.services.timeline.events.query({ caseNumber: n, from: '1970-01-01T00:00:00.001Z', limit: 1 }).events[0]!;
      const action = first.action!;
      const all = app.services.timeline.events.count({ caseNumber: n }).count;
      const expected = app.services.timeline.events.count({ caseNumber: n, where: [{ column: 'action', value: action }] }).count;
      expect(expected).toBeGreaterThan(0);
      expect(expected).toBeLessThan(all);
      await page.setViewportSize({ width: 1440, height: 900 });
      const open = (where: string) => page.goto(`${url}#/case/${n}/timeline?where=${encodeURIComponent(where)}`);

      // `eventName` is the Action column: the link narrows the timeline as the CLI's --where does.
      await open(`eventName=${action}`);
      await expect.poll(() => countText(page)).toBe(`${expected.toLocaleString('en-US')} events match`);
      expect(await page.getByTestId('timeline-unapplied').count()).toBe(0);

      // A mistyped field: named above the table, and the count does not claim a narrowed timeline.
      await open(`eventNme=${action}`);
      const notice = page.getByTestId('timeline-unapplied');
      await expect.poll(() => notice.innerText()).toContain('"eventNme"');
      await expect.poll(() => countText(page)).toBe(`${all.toLocaleString('en-US')} events`);
      await app.screenshot('timeline-ui-08-unapplied-link-1440');
      await notice.getByRole('button', { name: 'Remove it from the link' }).click();
      await expect.poll(() => notice.count()).toBe(0);
      expect(page.url()).not.toContain('eventNme');
      // The same for a detection level that is none.
      await page.goto(`${url}#/case/${n}/timeline?level=severe`);
      await expect.poll(() => notice.innerText()).toContain('level "severe" (not one of informational, low, medium, high, critical)');
    } finally {
      await app.close();
    }
  });

  it('shows a record that reuses a held event’s id as flagged, and its issue code filters the timeline to every such record', async () => {
    const app = await startApp();
    const { page, url } = app;
    const dir = tempDir('lariat-e2e-reused-');
    try {
      ensureTestIdentity(app.services);
      const n = app.services.core.cases.create({ title: 'Reused event ids', severity: 'high' }).number;
      const held = trailFile(dir, 'account-trail.json');
      // The same ids, times and calls from another address: not copies of the held events.
      const other = path.join(dir, 'other.json');
      fs.writeFileSync(other, fs.readFileSync(held, 'utf8').replaceAll('157.130.196.214', '198.51.100.66'));
      await app.services.timeline.imports.importPaths(n, [held]);
      await page.setViewportSize({ width: 1440, height: 900 });
      await page.goto(`${url}#/case/${n}/timeline`);
      await rows(page).first().waitFor();

      // Imported from the button: the summary, the file's line and the import history all count the record kept.
      app.dialogs.openQueue.push([other]);
      await page.getByRole('button', { name: 'Import files…' }).click();
      const report = page.getByTestId('import-report');
      await expect
        .poll(() => report.locator('summary').innerText())
        .toBe(
          'Last import: 1 event(s) imported, 1 duplicate(s) skipped, 1 kept though their eventID was held (event-id-reused), 0 file(s) rejected from 1 file(s)',
        );
      await report.locator('summary').click();
      await expect
        .poll(() => report.getByRole('listitem').first().innerText())
        .toContain('1 imported, 1 duplicate(s) skipped, 1 kept though the case held their eventID (flagged event-id-reused)');
      const history = page.getByTestId('import-history').locator('summary');
      await expect.poll(() => history.innerText()).toContain('1 kept though their eventID was held (event-id-reused)');
      expect(await history.innerText()).toContain('3 event(s) imported, 1 duplicate(s) skipped');
      const reused = app.services.timeline.events.query({ caseNumber: n, where: [{ column: 'sourceIp', value: '198.51.100.66' }] })
        .events[0]!;
      expect(reused.issues).toEqual(['event-id-reused']);
      // The flagged row says so in the row itself; the others carry no mark.
      const marks = page.getByRole('img', { name: 'Import issues: event-id-reused' });
      await expect.poll(() => marks.count()).toBe(1);
      expect(
        await page
          .locator(`[data-event-id="${reused.id}"]`)
          .getByRole('img', { name: /^Import issues/ })
          .count(),
      ).toBe(1);
      // The mark widens the time column rather than cutting the time short.
      expect(await cutCells(page, 'time')).toEqual([]);
      await app.screenshot('timeline-ui-10-import-reused-1440');
      // From the report, one click lists them.
      await page.getByRole('button', { name: 'Show the records flagged event-id-reused →' }).click();
      await expect.poll(() => countText(page)).toBe('1 events match');
      expect(decodeURIComponent(page.url())).toContain('where=issue=event-id-reused');

      await page.goto(`${url}#/case/${n}/timeline?event=${reused.id}`);
      const panel = page.getByRole('complementary', { name: 'Event details' });
      await panel.getByRole('button', { name: 'event-id-reused' }).click();
      await expect.poll(() => countText(page)).toBe('1 events match');
      expect(decodeURIComponent(page.url())).toContain('where=issue=event-id-reused');
      await expect.poll(() => rows(page).evaluateAll((r) => r.map((x) => x.getAttribute('data-event-id')))).toEqual([String(reused.id)]);
      await app.screenshot('timeline-ui-09-issue-filter-1440');
    } finally {
      await app.close();
    }
  });

  it('imports from the button with an honest count, leaves the jobs drawer closed, offers IOC candidates', async () => {
    const app = await startApp();
    const { page, url } = app;
    const dir = tempDir('lariat-e2e-tlui-');
    try {
      const { caseRecord } = await app.services.timeline.demo();
      const n = caseRecord.number;
      await page.setViewportSize({ width: 1440, height: 900 });
      await page.goto(`${url}#/case/${n}/timeline`);
      await rows(page).first().waitFor();
      const before = app.services.timeline.events.count({ caseNumber: n }).count;

      // The demo case keeps duplicates on purpose (its samples repeat); this case setting is the investigator's to change.
      const keep = page.getByLabel('Keep duplicates');
      await expect.poll(() => keep.isChecked()).toBe(true);
      await keep.click();
      await expect.poll(() => app.services.timeline.imports.settings(n).keepDuplicates).toBe(false);

      const importFiles = async (files: string[]): Promise<Locator> => {
        app.dialogs.openQueue.push(files);
        await page.getByRole('button', { name: 'Import files…' }).click();
        return page.getByTestId('import-report').locator('summary');
      };
      // One good file and one that is not a log: the report counts both and names the refusal.
      fs.writeFileSync(path.join(dir, 'notes.txt'), 'not a log at all\n');
      const summary = await importFiles([trailFile(dir, 'trail-a.json'), path.join(dir, 'notes.txt')]);
      await expect.poll(() => summary.innerText()).toContain('2 event(s) imported, 0 duplicate(s) skipped');
      expect(await summary.innerText()).toContain('1 file(s) rejected from 2 file(s)');
      await expect.poll(() => countText(page)).toBe(`${(before + 2).toLocaleString('en-US')} events`);
      // The import succeeded (a file refused is reported, not a failed job): the jobs drawer stayed closed.
      expect(await page.locator('#jobs-drawer').count()).toBe(0);
      await expect.poll(() => page.getByRole('button', { name: /^Jobs/ }).getAttribute('aria-expanded')).toBe('false');

      // The same records in another file: skipped as duplicates and said so, with where they already were.
      const again = await importFiles([trailFile(dir, 'trail-copy.json', 2)]);
      await expect.poll(() => again.innerText()).toContain('0 event(s) imported, 2 duplicate(s) skipped');
      await again.click();
      await page.getByTestId('import-report').getByText('Already in the case from: trail-a.json (2)').waitFor();
      expect(await page.locator('#jobs-drawer').count()).toBe(0);
      await app.screenshot('timeline-ui-05-import-report-1440');

      // The IPv6 address is whole in its column.
      await page.getByLabel('Full-text search').fill('ada.lovelace');
      await page.getByLabel('Full-text search').press('Enter');
      await expect.poll(() => countText(page)).toBe('2 events match');
      await table(page).getByRole('button', { name: '2001:db8:85a3:1234:5678:8a2e:370:7334', exact: true }).waitFor();
      expect(await cutCells(page, 'sourceIp')).toEqual([]);
      await page.getByRole('cell', { name: 'ada.lovelace', exact: true }).first().waitFor();

      // IOC candidates: the IP seen in the logs becomes an IOC only when asked.
      await page.getByRole('button', { name: 'IOC candidates' }).click();
      const candidates = page.getByRole('table', { name: 'IOC candidates' });
      await candidates.getByRole('button', { name: 'Add 157.130.196.214 as IOC' }).click();
      await candidates.getByRole('row').filter({ hasText: '157.130.196.214' }).getByText('IOC ✓').waitFor();
      expect(app.services.timeline.iocs.list(n).some((i) => i.value === '157.130.196.214' && i.type === 'ip')).toBe(true);
      await app.screenshot('timeline-ui-06-ioc-candidates-1440');

      // A job that fails opens the drawer by itself, with what happened and what to do.
      const failing = app.services.core.jobs.start({ kind: 'test', label: 'Copy that fails', caseNumber: n }, async () => {
        throw new AppError('io-error', 'The disk is full.', 'Free some space, then try again.');
      });
      await failing.result.catch(() => undefined);
      const drawer = page.getByRole('complementary', { name: 'Jobs' });
      await drawer.getByText('The disk is full.').waitFor();
      await expect.poll(() => drawer.locator('[data-job-state="failed"]').first().innerText()).toContain('Copy that fails');
      await app.screenshot('timeline-ui-07-failed-job-drawer-1440');
    } finally {
      await app.close();
    }
  });
});
