import type { AwsClients } from '../aws/clients';
import type { EngagementView } from '../../common/contract/incidents';

const iso = (d: Date | string | undefined): string | null => (d ? new Date(d).toISOString() : null);
/** Engagements of one incident are few; the cap only stops a runaway page loop. */
const MAX = 100;

/** Who was engaged for the incident and each page sent (ssm-contacts, read-only). */
export async function readEngagements(clients: AwsClients, region: string, incidentArn: string): Promise<EngagementView[]> {
  const out: EngagementView[] = [];
  let token: string | undefined;
  do {
    const page = await clients.call<{
      NextToken?: string;
      Engagements?: { EngagementArn?: string; ContactArn?: string; Sender?: string; StartTime?: Date; StopTime?: Date }[];
    }>('ssm-contacts', region, 'ListEngagements', { IncidentId: incidentArn, MaxResults: 50, ...(token ? { NextToken: token } : {}) });
    for (const e of page.Engagements ?? []) {
      if (!e.EngagementArn || out.length >= MAX) continue;
      out.push({
        engagementArn: e.EngagementArn,
        contactArn: e.ContactArn ?? '',
        sender: e.Sender ?? '',
        startTime: iso(e.StartTime),
        stopTime: iso(e.StopTime),
        pages: [],
      });
    }
    token = out.length < MAX ? page.NextToken : undefined;
  } while (token);
  for (const e of out) {
    let pt: string | undefined;
    do {
      const page = await clients.call<{
        NextToken?: string;
        Pages?: { ContactArn?: string; SentTime?: Date; DeliveryTime?: Date; ReadTime?: Date }[];
      }>('ssm-contacts', region, 'ListPagesByEngagement', {
        EngagementId: e.engagementArn,
        MaxResults: 50,
        ...(pt ? { NextToken: pt } : {}),
      });
      for (const p of page.Pages ?? [])
        if (e.pages.length < MAX)
          e.pages.push({
            contactArn: p.ContactArn ?? '',
            sentTime: iso(p.SentTime),
            deliveryTime: iso(p.DeliveryTime),
            readTime: iso(p.ReadTime),
          });
      pt = e.pages.length < MAX ? page.NextToken : undefined;
    } while (pt);
  }
  return out;
}
