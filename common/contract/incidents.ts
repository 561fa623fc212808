import * as z from 'zod';
import { channel } from './define';
import { AwsRegion, CaseNumber, text } from './common';
import type { CaseRecord } from './cases';
import type { ErrorInfo } from './errors';
import { Impact, ResponsePlanArn } from './plan-schema';

export const IncidentArn = text().regex(
  /^arn:aws[\w-]*:ssm-incidents::\d{12}:incident-record\/[\w.-]{1,200}\/[\w-]{1,64}$/,
  'an incident ARN looks like arn:aws:ssm-incidents::123456789012:incident-record/plan/abc',
);

/** An Incident Manager incident as the open-incidents list shows it. */
export interface IncidentSummary {
  arn: string;
  title: string;
  status: 'OPEN' | 'RESOLVED' | string;
  impact: number | null;
  createdAt: string | null;
  resolvedAt: string | null;
  /** Who or what started it: `aws.cloudwatch` for an alarm, a principal ARN for a person. */
  source: string | null;
  createdBy: string | null;
  /** The Lariat case already linked to it, if any. */
  caseNumber: string | null;
}

export interface EngagementView {
  engagementArn: string;
  contactArn: string;
  sender: string;
  startTime: string | null;
  stopTime: string | null;
  pages: { contactArn: string; sentTime: string | null; deliveryTime: string | null; readTime: string | null }[];
}

/**
 * The incident linked to a case and how far the two-way sync got. `state`:
 * `not-linked`; `in-sync` (nothing owed either way at the last sync);
 * `pending` (items wait to be sent); `degraded` (the last sync failed:
 * `problem` says why and what to do; pending items are retried later and never
 * duplicated).
 */
export interface IncidentSyncView {
  caseNumber: string;
  linked: boolean;
  incidentArn: string | null;
  region: string | null;
  title: string | null;
  remoteStatus: string | null;
  remoteImpact: number | null;
  localStatus: 'OPEN' | 'RESOLVED' | null;
  localImpact: number | null;
  impactMeaning: string | null;
  createdAt: string | null;
  resolvedAt: string | null;
  lastModifiedBy: string | null;
  chatChannel: string[];
  engagements: EngagementView[];
  state: 'not-linked' | 'in-sync' | 'pending' | 'degraded';
  problem: (ErrorInfo & { stage: string }) | null;
  pending: { timelineEvents: number; relatedItems: number; unknown: number; statusUpdate: boolean; impactUpdate: boolean };
  sent: { timelineEvents: number; relatedItems: number };
  pulledEvents: number;
  lastAttemptAt: string | null;
  lastSuccessAt: string | null;
  nextRetryAt: string | null;
}

/** What one sync did. */
export interface IncidentSyncReport {
  view: IncidentSyncView;
  pushedEvents: number;
  reconciledEvents: number;
  pulledEvents: number;
  relatedItemsAdded: number;
  remoteChanges: string[];
  localChangesSent: string[];
}

const CaseRef = z.object({ caseNumber: CaseNumber }).strict();

export const StartIncidentInput = z
  .object({
    caseNumber: CaseNumber,
    /** Defaults to the case plan's Incident Manager response plan and region. */
    region: AwsRegion.optional(),
    responsePlanArn: ResponsePlanArn.optional(),
    impact: Impact.optional(),
  })
  .strict();

export const incidentsContract = {
  listOpenIncidents: channel<IncidentSummary[]>()(
    z.object({ region: AwsRegion }).strict(),
    'Open Incident Manager incidents in a region (ListIncidentRecords), including those started by alarms.',
  ),
  openIncidentAsCase: channel<CaseRecord>()(
    z.object({ region: AwsRegion, incidentArn: IncidentArn }).strict(),
    'Open a case linked to an incident (its title, impact, status, chat channel and engagements); the linked case if one exists.',
  ),
  startIncident: channel<IncidentSyncView>()(StartIncidentInput, 'Start an incident from the case with a response plan (idempotent).'),
  syncIncident: channel<IncidentSyncReport>()(
    CaseRef,
    "Two-way sync with the linked incident: push Lariat's events and related items, pull others' events, status and impact.",
  ),
  getIncidentSync: channel<IncidentSyncView>()(CaseRef, 'The linked incident and the sync state, from what was last synced.'),
  setIncidentImpact: channel<IncidentSyncView>()(
    z.object({ caseNumber: CaseNumber, impact: Impact }).strict(),
    "Change the incident's impact here; sent at the next sync.",
  ),
  resolveIncident: channel<IncidentSyncView>()(
    z
      .object({
        caseNumber: CaseNumber,
        /** Also resolve the linked Incident Manager incident (when linked). */
        resolveIncident: z.boolean().default(true),
      })
      .strict(),
    'Resolve the case (status closed) and, on request, the linked incident.',
  ),
};
