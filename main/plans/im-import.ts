import type { AwsClients } from '../aws/clients';
import { AppError } from '../core/errors';
import type { Severity } from '../../common/contract/common';
import type { Contact, Plan } from '../../common/contract/plan-schema';
import { validatePlan } from './plan-codec';

/** Incident Manager impact to Lariat severity, for plans and incidents imported from AWS. */
export const SEVERITY_OF_IMPACT: Record<number, Severity> = { 1: 'critical', 2: 'high', 3: 'medium', 4: 'low', 5: 'low' };

/** Most contacts read in one import: a page loop can never run away. */
const MAX_CONTACTS = 200;

interface AwsContact {
  ContactArn?: string;
  Alias?: string;
  DisplayName?: string;
  Type?: string;
  Plan?: {
    Stages?: {
      DurationInMinutes?: number;
      Targets?: { ContactTargetInfo?: { ContactId?: string; IsEssential?: boolean }; ChannelTargetInfo?: { ContactChannelId?: string } }[];
    }[];
  };
}

const aliasOf = (s: string): string =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '-')
    .slice(0, 255) || 'contact';

/**
 * Reads one contact (and, for an escalation plan, the contacts its stages
 * name) from ssm-contacts: GetContact, then ListContactChannels for people.
 * Channel-only stage targets are kept out (a plan engages contacts).
 */
export async function fetchContacts(clients: AwsClients, region: string, ids: string[]): Promise<Contact[]> {
  const out = new Map<string, Contact>();
  const queue = [...ids];
  const seen = new Set<string>();
  while (queue.length && seen.size < MAX_CONTACTS) {
    const id = queue.shift()!;
    if (seen.has(id)) continue;
    seen.add(id);
    const c = await clients.call<AwsContact>('ssm-contacts', region, 'GetContact', { ContactId: id });
    const alias = aliasOf(c.Alias ?? id.split('/').pop() ?? id);
    if (c.Type === 'ESCALATION') {
      const stages = (c.Plan?.Stages ?? []).map((s) => ({
        durationMinutes: Math.min(30, Math.max(0, s.DurationInMinutes ?? 0)),
        targets: (s.Targets ?? [])
          .filter((t) => t.ContactTargetInfo?.ContactId)
          .map((t) => {
            const target = t.ContactTargetInfo!.ContactId!;
            queue.push(target);
            return { contact: aliasOf(target.split('/').pop() ?? target), essential: t.ContactTargetInfo!.IsEssential ?? false };
          }),
      }));
      out.set(alias, {
        alias,
        type: 'escalation',
        channels: [],
        stages: stages.filter((s) => s.targets.length > 0),
        ...(c.DisplayName ? { displayName: c.DisplayName.slice(0, 255) } : {}),
        ...(c.ContactArn ? { arn: c.ContactArn } : {}),
      });
    } else {
      const channels = await listChannels(clients, region, c.ContactArn ?? id);
      out.set(alias, {
        alias,
        type: 'personal',
        channels,
        stages: [],
        ...(c.DisplayName ? { displayName: c.DisplayName.slice(0, 255) } : {}),
        ...(c.ContactArn ? { arn: c.ContactArn } : {}),
      });
    }
  }
  return [...out.values()];
}

async function listChannels(clients: AwsClients, region: string, contactId: string): Promise<Contact['channels']> {
  const channels: Contact['channels'] = [];
  let token: string | undefined;
  do {
    const page = await clients.call<{
      NextToken?: string;
      ContactChannels?: { Name?: string; Type?: string; DeliveryAddress?: { SimpleAddress?: string } }[];
    }>('ssm-contacts', region, 'ListContactChannels', { ContactId: contactId, ...(token ? { NextToken: token } : {}) });
    for (const ch of page.ContactChannels ?? []) {
      const type = ch.Type === 'EMAIL' ? 'email' : ch.Type === 'SMS' ? 'sms' : ch.Type === 'VOICE' ? 'voice' : null;
      const address = ch.DeliveryAddress?.SimpleAddress;
      if (type && address && channels.length < 10) channels.push({ type, address, ...(ch.Name ? { name: ch.Name.slice(0, 200) } : {}) });
    }
    token = page.NextToken;
  } while (token);
  return channels;
}

/** Every contact of the account (ListContacts), with channels and escalation stages. */
export async function fetchAllContacts(clients: AwsClients, region: string): Promise<Contact[]> {
  const arns: string[] = [];
  let token: string | undefined;
  do {
    const page = await clients.call<{ NextToken?: string; Contacts?: { ContactArn?: string }[] }>('ssm-contacts', region, 'ListContacts', {
      MaxResults: 100,
      ...(token ? { NextToken: token } : {}),
    });
    for (const c of page.Contacts ?? []) if (c.ContactArn) arns.push(c.ContactArn);
    token = arns.length < MAX_CONTACTS ? page.NextToken : undefined;
  } while (token);
  return fetchContacts(clients, region, arns);
}

interface ResponsePlanOut {
  arn?: string;
  name?: string;
  displayName?: string;
  incidentTemplate?: { title?: string; impact?: number; summary?: string; incidentTags?: Record<string, string> };
  chatChannel?: { chatbotSns?: string[] };
  engagements?: string[];
  actions?: { ssmAutomation?: { documentName?: string; parameters?: Record<string, string[]> } }[];
}

/**
 * Turns an Incident Manager response plan (GetResponsePlan) into a Lariat
 * plan: incident template, engagements (resolved through ssm-contacts), chat
 * channel, runbooks (each also a task), and the ARN to start incidents with.
 */
export async function importResponsePlan(clients: AwsClients, region: string, arn: string, name?: string): Promise<Plan> {
  const rp = await clients.call<ResponsePlanOut>('ssm-incidents', region, 'GetResponsePlan', { arn });
  if (!rp.incidentTemplate)
    throw new AppError(
      'aws-error',
      `GetResponsePlan returned no incident template for ${arn}.`,
      'Check the response plan in Incident Manager.',
    );
  const engagements = rp.engagements?.length ? await fetchContacts(clients, region, rp.engagements) : [];
  const t = rp.incidentTemplate;
  const impact = t.impact && t.impact >= 1 && t.impact <= 5 ? t.impact : 3;
  const runbooks = (rp.actions ?? [])
    .map((a) => a.ssmAutomation)
    .filter((a): a is { documentName: string; parameters?: Record<string, string[]> } => Boolean(a?.documentName))
    .map((a) => ({
      documentName: a.documentName,
      ...(a.parameters ? { parameters: Object.fromEntries(Object.entries(a.parameters).map(([k, v]) => [k, v.join(',')])) } : {}),
    }));
  const planName =
    name ??
    aliasOf(rp.name ?? 'response-plan')
      .replace(/_/g, '-')
      .replace(/^-+/, '')
      .slice(0, 63);
  return validatePlan(
    {
      format: 'lariat-plan',
      version: 1,
      name: planName,
      kind: 'plan',
      title: (rp.displayName || rp.name || planName).slice(0, 200),
      description: `Imported from the Incident Manager response plan ${arn}.`,
      incident: {
        titleTemplate: t.title ? `${t.title.slice(0, 150)}: {{title}}` : '{{title}}',
        impact,
        severity: SEVERITY_OF_IMPACT[impact],
        summaryTemplate: t.summary ?? '',
        tlp: 'amber',
      },
      engagements,
      chatChannel: rp.chatChannel?.chatbotSns ?? [],
      tasks: runbooks.map((r, i) => ({
        id: `runbook-${i + 1}`,
        title: `Run ${r.documentName}`.slice(0, 200),
        binding: { type: 'runbook', documentName: r.documentName, ...(r.parameters ? { parameters: r.parameters } : {}) },
      })),
      runbooks,
      actions: [],
      tags: Object.entries(t.incidentTags ?? {})
        .map(([k, v]) => `${k}=${v}`.slice(0, 64))
        .slice(0, 50),
      incidentManager: { responsePlanArn: arn, region },
    },
    `The response plan ${arn}`,
  );
}
