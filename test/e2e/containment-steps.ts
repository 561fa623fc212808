/// <reference lib="dom" />
import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import type { App } from './harness';
import { seriousA11yProblems } from './a11y';

/** What the containment e2e files (containment*.test.ts) do the same way: navigate, confirm and run, check accessibility. */
export const go = (page: Page, hash: string) => page.evaluate((h) => void (window.location.hash = h), hash);

/**
 * Types the confirmation the action asks for (the target shown in bold) and
 * runs or resumes it (`verb`); a wrong target keeps the button disabled.
 * Waits for the action to succeed.
 */
export async function confirmAndRun(page: Page, verb = 'Run'): Promise<void> {
  const form = page.locator('.confirm-form');
  const target = await form.locator('strong.mono').innerText();
  const button = form.getByRole('button', { name: new RegExp(`^${verb} `) });
  await form.getByRole('textbox').fill(`${target}x`);
  expect(await button.isDisabled()).toBe(true);
  await form.getByRole('textbox').fill(target);
  await button.click();
  await page.locator('.action-view .chip.action-succeeded').waitFor({ timeout: 20_000 });
}

export async function noSeriousA11y(app: App, screen: string): Promise<void> {
  expect({ screen, problems: await seriousA11yProblems(app.page) }).toEqual({ screen, problems: [] });
}

/** A GuardDuty finding as EventBridge delivers it (the shape of the demo's GuardDuty samples), in the model's account and region. */
export function guardDutyEvent(
  where: { account: string; region: string },
  f: { eventId: string; id: string; type: string; title: string; description: string; resource: Record<string, unknown> },
): unknown {
  const now = new Date().toISOString();
  const { account, region } = where;
  return {
    version: '0',
    id: f.eventId,
    'detail-type': 'GuardDuty Finding',
    source: 'aws.guardduty',
    account,
    time: now,
    region,
    resources: [],
    detail: {
      SchemaVersion: '2.0',
      AccountId: account,
      Region: region,
      Partition: 'aws',
      Id: f.id,
      Arn: `arn:aws:guardduty:${region}:${account}:detector/d0/finding/${f.id}`,
      Type: f.type,
      Title: f.title,
      Description: f.description,
      Severity: 8,
      CreatedAt: now,
      UpdatedAt: now,
      Resource: f.resource,
      Service: { ServiceName: 'guardduty', DetectorId: 'd0', Archived: false, Count: 1, EventFirstSeen: now, EventLastSeen: now },
    },
  };
}
