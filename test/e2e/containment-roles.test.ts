/// <reference lib="dom" />
import { afterAll, describe, expect, it } from 'vitest';
import { closeBrowser, hasChromium } from './harness';
import { confirmAndRun, go, guardDutyEvent, noSeriousA11y } from './containment-steps';
import { importFinding, inContainmentApp, openCase, seededModel } from './containment-setup';
import { ACCOUNT, REGION } from '../aws-model/scenario';
import { seedCredentials } from '../aws-model/scenario-iam';
import type { IamState } from '../aws-model/modules/iam';

afterAll(closeBrowser);

const ROLE = 'web-role';
const POLICY = 'AWSRevokeOlderSessions';
const TITLE = `Credentials of role ${ROLE} used from outside AWS`;

/** GuardDuty's InstanceCredentialExfiltration finding: an AccessKey of an AssumedRole session. */
const exfiltrationFinding = () =>
  guardDutyEvent(
    { account: ACCOUNT, region: REGION },
    {
      eventId: 'c0ffee00-0000-4000-8000-000000000016',
      id: 'e2e-role-exfil-0001',
      type: 'UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS',
      title: TITLE,
      description: `Credentials created for the instance role ${ROLE} were used from an address outside AWS.`,
      resource: {
        ResourceType: 'AccessKey',
        AccessKeyDetails: {
          AccessKeyId: 'ASIAEXAMPLESTOLEN001',
          PrincipalId: 'AROAEXAMPLEWEBROLE01:i-0abc',
          UserName: ROLE,
          UserType: 'AssumedRole',
        },
      },
    },
  );

/** The cut-off of the deny-before policy the model holds: every session issued before it is denied. */
function cutOff(doc: string): number {
  const p = JSON.parse(decodeURIComponent(doc)) as {
    Statement: { Effect: string; Action: string[]; Resource: string[]; Condition: { DateLessThan: { 'aws:TokenIssueTime': string } } }[];
  };
  expect(p.Statement).toHaveLength(1);
  expect(p.Statement[0]).toMatchObject({ Effect: 'Deny', Action: ['*'], Resource: ['*'] });
  return Date.parse(p.Statement[0]!.Condition.DateLessThan['aws:TokenIssueTime']);
}

describe.skipIf(!hasChromium)('role session revocation in Chromium (AWS played by the stateful model in test/aws-model)', () => {
  it('revokes the sessions of the role a GuardDuty finding names, shows the custody of the saved role, then releases it', async () => {
    const model = seededModel(seedCredentials);
    const roles = model.slice<IamState>('iam').roles;
    const before = structuredClone(roles[ROLE]);
    await inContainmentApp(model, async (app, page) => {
      const c = openCase(app, 'Instance role credentials used outside AWS');
      await importFinding(app, c.number, 'guardduty-role-exfiltration.json', exfiltrationFinding());

      await go(page, `#/case/${c.number}/findings`);
      await page.getByRole('table', { name: 'Findings' }).locator('tbody tr').filter({ hasText: TITLE }).first().click();
      const offer = page.getByRole('complementary', { name: 'Finding details' }).getByRole('group', { name: `Contain ${ROLE}` });
      await offer.getByText(`GuardDuty names a session of role ${ROLE}.`).waitFor();
      await offer.getByRole('button', { name: 'Revoke role sessions…' }).click();
      await page.waitForURL(/\/actions/);

      // The finding opens the one picker on role-sessions, with the role filled in.
      expect(await page.getByRole('combobox', { name: 'Action' }).inputValue()).toBe('role-sessions');
      const form = page.getByRole('form', { name: 'Role session revocation' });
      await expect.poll(() => form.getByRole('textbox', { name: 'Role name or ARN' }).inputValue()).toBe(ROLE);
      await noSeriousA11y(app, 'role sessions form from a finding');
      await app.screenshot('containment-roles-01-form-from-finding');
      await form.getByRole('button', { name: 'Build plan' }).click();

      const steps = page.getByRole('table', { name: 'Plan steps' });
      await steps.getByText('iam:PutRolePolicy', { exact: false }).first().waitFor();
      await steps.getByText('iam:GetRole', { exact: false }).first().waitFor();
      await page.getByLabel('Plan warnings').getByText('Sessions issued after', { exact: false }).waitFor();
      expect(model.mutations()).toEqual([]);
      expect(roles[ROLE]!.inline).toEqual({});
      await noSeriousA11y(app, 'role sessions plan');
      await app.screenshot('containment-roles-02-plan');

      const t0 = Date.now();
      await confirmAndRun(page);
      const t1 = Date.now();
      expect(await steps.locator('tr[data-step-state="succeeded"]').count()).toBe(await steps.locator('tbody tr').count());
      // In the model: the deny-before policy, its cut-off the moment the step ran (sessions issued later keep working).
      expect(Object.keys(roles[ROLE]!.inline)).toEqual([POLICY]);
      const at = cutOff(roles[ROLE]!.inline[POLICY]!);
      expect(at).toBeGreaterThanOrEqual(t0 - 1000);
      expect(at).toBeLessThanOrEqual(t1 + 1000);
      await app.screenshot('containment-roles-03-revoked');

      // The role as it was is evidence, with its custody entry visible on the evidence tab.
      const action = app.services.response.response.list(c.number).find((a) => a.kind === 'role-sessions')!;
      expect(action.state).toBe('succeeded');
      const item = app.services.custody.vault.list(c.number).find((i) => i.description.includes(ROLE))!;
      expect(item).toBeDefined();
      const entries = app.services.custody.ledger.list(c.number, item.id);
      expect(entries.length).toBeGreaterThan(0);
      await go(page, `#/case/${c.number}/evidence`);
      await page
        .getByRole('table', { name: 'Evidence items' })
        .getByRole('row', { name: new RegExp(ROLE) })
        .first()
        .click();
      const ledger = page.getByRole('region', { name: `Evidence item ${item.id}` }).getByRole('list', { name: 'Custody ledger' });
      await ledger
        .getByRole('listitem')
        .filter({ hasText: new RegExp(`acquired\\s+#${item.id} IAM role ${ROLE} before containment`) })
        .first()
        .waitFor();
      await noSeriousA11y(app, 'role evidence custody');
      await app.screenshot('containment-roles-04-custody');

      // The release is planned from the revocation; it removes the policy, leaving the role as it was.
      await go(page, `#/case/${c.number}/actions?action=${action.id}`);
      await page.getByRole('button', { name: 'Plan release' }).click();
      await page.getByRole('heading', { name: /role-sessions-release of #/ }).waitFor();
      await steps.getByText('iam:DeleteRolePolicy', { exact: false }).first().waitFor();
      await confirmAndRun(page);
      expect(roles[ROLE]).toEqual(before);
      await noSeriousA11y(app, 'role sessions released');
      await app.screenshot('containment-roles-05-released');
    });
  });

  it('plans a revocation from New plan… on a role the console had revoked before; release puts the earlier revocation back', async () => {
    const model = seededModel(seedCredentials);
    const roles = model.slice<IamState>('iam').roles;
    const earlier = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Deny', Action: ['*'], Resource: ['*'], Condition: { DateLessThan: { 'aws:TokenIssueTime': '2026-01-01T00:00:00Z' } } },
      ],
    });
    roles[ROLE]!.inline[POLICY] = earlier;
    const before = structuredClone(roles[ROLE]);
    await inContainmentApp(model, async (app, page) => {
      const c = openCase(app, 'Assumed role abused');
      await go(page, `#/case/${c.number}/actions`);
      await page.getByRole('button', { name: 'New plan…' }).click();
      await page.getByRole('combobox', { name: 'Action' }).selectOption('role-sessions');
      const form = page.getByRole('form', { name: 'Role session revocation' });
      await form.getByRole('textbox', { name: 'Role name or ARN' }).fill(`arn:aws:iam::${ACCOUNT}:role/${ROLE}`);
      await form.getByRole('button', { name: 'Build plan' }).click();

      const steps = page.getByRole('table', { name: 'Plan steps' });
      await steps.getByText('iam:PutRolePolicy', { exact: false }).first().waitFor();
      // The plan says the role already carries a revocation, and that release puts it back.
      await page.getByText(`The role already has ${POLICY}`, { exact: false }).waitFor();
      expect(model.mutations()).toEqual([]);
      await app.screenshot('containment-roles-06-plan-over-earlier');

      await confirmAndRun(page);
      expect(cutOff(roles[ROLE]!.inline[POLICY]!)).toBeGreaterThan(Date.parse('2026-01-01T00:00:00Z'));

      await page.getByRole('button', { name: 'Plan release' }).click();
      await page.getByRole('heading', { name: /role-sessions-release of #/ }).waitFor();
      await steps.getByText(`Put back the ${POLICY} policy`, { exact: false }).first().waitFor();
      await confirmAndRun(page);
      // Exactly the earlier (console) revocation again, document for document.
      expect(JSON.parse(roles[ROLE]!.inline[POLICY]!)).toEqual(JSON.parse(earlier));
      expect(Object.keys(roles[ROLE]!.inline)).toEqual(Object.keys(before!.inline));
      await app.screenshot('containment-roles-07-earlier-put-back');
    });
  });
});
