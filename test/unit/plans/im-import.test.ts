import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call } from '../../helpers/call';
import * as op from '../../../main/plans/operations';
import { awsError } from '../response/aws-mock';
import { ACCOUNT, PLAN_ARN, REGION } from '../incidents/fake-im';
import { setup, type Env } from '../incidents/fixture';

let e: Env;
const contact = (alias: string) => `arn:aws:ssm-contacts:${REGION}:${ACCOUNT}:contact/${alias}`;

beforeEach(() => {
  e = setup();
  e.mock
    .on('ssm-incidents', 'GetResponsePlan', {
      arn: PLAN_ARN,
      name: 'ec2-compromise',
      displayName: 'EC2 compromise',
      incidentTemplate: { title: 'EC2 compromise', impact: 2, summary: 'An instance is compromised.', incidentTags: { team: 'sec' } },
      chatChannel: { chatbotSns: [`arn:aws:sns:${REGION}:${ACCOUNT}:ir-chat`] },
      engagements: [contact('oncall')],
      actions: [
        {
          ssmAutomation: {
            roleArn: 'arn:aws:iam::1:role/a',
            documentName: 'AWSSupport-ContainEC2Instance',
            parameters: { Action: ['Contain'] },
          },
        },
      ],
    })
    .on('ssm-contacts', 'GetContact', (i) =>
      String(i.ContactId).endsWith('/oncall')
        ? {
            ContactArn: contact('oncall'),
            Alias: 'oncall',
            Type: 'ESCALATION',
            Plan: {
              Stages: [
                { DurationInMinutes: 5, Targets: [{ ContactTargetInfo: { ContactId: contact('ada'), IsEssential: true } }] },
                { DurationInMinutes: 30, Targets: [{ ContactTargetInfo: { ContactId: contact('bob'), IsEssential: false } }] },
              ],
            },
          }
        : {
            ContactArn: i.ContactId,
            Alias: String(i.ContactId).split('/').pop(),
            DisplayName: 'Person',
            Type: 'PERSONAL',
            Plan: { Stages: [] },
          },
    )
    .on('ssm-contacts', 'ListContactChannels', (i) => ({
      ContactChannels: [
        { Name: 'mail', Type: 'EMAIL', DeliveryAddress: { SimpleAddress: `${String(i.ContactId).split('/').pop()}@example.com` } },
        { Name: 'phone', Type: 'VOICE', DeliveryAddress: { SimpleAddress: '+15555550100' } },
      ],
    }))
    .on('ssm-contacts', 'ListContacts', { Contacts: [{ ContactArn: contact('ada') }, { ContactArn: contact('oncall') }] });
});
afterEach(() => e.cleanup());

describe('importing from Incident Manager', () => {
  it('turns a response plan (GetResponsePlan) and its escalation plan (ssm-contacts) into a Lariat plan that starts incidents with it', async () => {
    const r = await call(e.handlers, 'importResponsePlan', { region: REGION, responsePlanArn: PLAN_ARN });
    expect(r).toMatchObject({ ok: true, value: { name: 'ec2-compromise', origin: 'incident-manager', kind: 'plan', steps: 1 } });
    const plan = e.s.plans.plans.get('ec2-compromise').plan;
    expect(plan.incident).toMatchObject({
      titleTemplate: 'EC2 compromise: {{title}}',
      impact: 2,
      severity: 'high',
      summaryTemplate: 'An instance is compromised.',
    });
    expect(plan.incidentManager).toEqual({ responsePlanArn: PLAN_ARN, region: REGION });
    expect(plan.chatChannel).toEqual([`arn:aws:sns:${REGION}:${ACCOUNT}:ir-chat`]);
    expect(plan.tags).toEqual(['team=sec']);
    expect(plan.runbooks).toEqual([{ documentName: 'AWSSupport-ContainEC2Instance', parameters: { Action: 'Contain' } }]);
    const byAlias = Object.fromEntries(plan.engagements.map((c) => [c.alias, c]));
    expect(byAlias.oncall).toMatchObject({
      type: 'escalation',
      stages: [
        { durationMinutes: 5, targets: [{ contact: 'ada', essential: true }] },
        { durationMinutes: 30, targets: [{ contact: 'bob', essential: false }] },
      ],
    });
    expect(byAlias.ada!.channels).toEqual([
      { type: 'email', address: 'ada@example.com', name: 'mail' },
      { type: 'voice', address: '+15555550100', name: 'phone' },
    ]);
    expect(e.mock.mutations()).toEqual([]);

    // A case from it starts its incident without being told the ARN.
    const c = e.s.plans.casePlaybooks.createCase({ plan: 'ec2-compromise', title: 'web-1' });
    expect(c).toMatchObject({ title: 'EC2 compromise: web-1', regions: [REGION] });
    const v = await e.incidents.incidents.start({ caseNumber: c.number });
    expect(v.linked).toBe(true);
    expect(e.mock.of('ssm-incidents', 'StartIncident')[0]).toMatchObject({ responsePlanArn: PLAN_ARN, impact: 2 });
  });

  it('imports every contact from ssm-contacts, and names the IAM action when refused', async () => {
    const list = await op.importContacts(e.s.plans, { region: REGION });
    expect(list.map((c) => [c.contact.alias, c.origin])).toEqual([
      ['ada', 'ssm-contacts'],
      ['bob', 'ssm-contacts'],
      ['oncall', 'ssm-contacts'],
    ]);
    e.mock.failNext('ssm-contacts', 'ListContacts', awsError('AccessDeniedException', 'no'));
    const r = await call(e.handlers, 'importContacts', { region: REGION });
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'aws-access-denied', message: expect.stringContaining('ssm-contacts:ListContacts') },
    });
    e.mock.failNext('ssm-incidents', 'GetResponsePlan', awsError('AccessDeniedException', 'no'));
    const p = await call(e.handlers, 'importResponsePlan', { region: REGION, responsePlanArn: PLAN_ARN, name: 'other' });
    expect(p).toMatchObject({ ok: false, error: { message: expect.stringContaining('ssm-incidents:GetResponsePlan') } });
  });
});
