import * as z from 'zod';
import { AwsRegion, CaseNumber, Id, text } from './common';
import type { CaseRecord } from './cases';
import { AccountScope, TimeWindow } from './acquire-scope';

/** The findings inbox: pulling GuardDuty and Security Hub findings, triage, and turning a finding into a case. */

export const FindingSource = z.enum(['guardduty', 'securityhub']);
export type FindingSource = z.infer<typeof FindingSource>;
export const FindingSeverity = z.enum(['informational', 'low', 'medium', 'high', 'critical']);
export type FindingSeverity = z.infer<typeof FindingSeverity>;
export const TriageState = z.enum(['new', 'triaged', 'in-case', 'dismissed']);
export type TriageState = z.infer<typeof TriageState>;

export const PullFindingsInput = z
  .object({
    /** The case whose regions (and accounts) are pulled from; optional when regions are given. */
    caseNumber: CaseNumber.optional(),
    regions: z.array(AwsRegion).min(1).max(40).optional(),
    sources: z.array(FindingSource).min(1).max(2).optional(),
    /** Minimum severity. */
    severity: FindingSeverity.optional(),
    types: z.array(text().trim().min(1).max(256)).max(20).optional(),
    /** Resource id or ARN the finding must name (instance id, bucket, access key id, ARN). */
    resource: text().trim().min(1).max(2048).optional(),
    /** Only findings updated in this window. */
    window: TimeWindow.optional(),
    scope: AccountScope.optional(),
  })
  .strict()
  .refine((v) => v.caseNumber || v.regions?.length, 'give a case (its regions are pulled) or regions');
export type PullFindingsInput = z.output<typeof PullFindingsInput>;

export interface PullFindingsResult {
  pulled: number;
  new: number;
  updated: number;
  /** Per account and region: how many, or why nothing could be pulled there. */
  places: { account: string; region: string; source: FindingSource; found: number; error: string | null }[];
}

/** What identifies a finding and what a list shows of it: the inbox's rows and what a pull brings in. */
export interface FindingSummary {
  source: FindingSource;
  findingId: string;
  account: string;
  region: string;
  type: string;
  title: string;
  severityLabel: FindingSeverity;
  severityScore: number;
  resource: string | null;
  firstSeen: string | null;
  lastSeen: string | null;
}

export interface InboxItem extends FindingSummary {
  id: number;
  /** Changed in AWS since the investigator last triaged it. */
  updatedSinceTriage: boolean;
  state: TriageState;
  cases: string[];
  note: string | null;
  pulledAt: string;
  triagedBy: string | null;
  triagedAt: string | null;
}

export const ListInboxInput = z
  .object({
    states: z.array(TriageState).max(4).optional(),
    severity: FindingSeverity.optional(),
    source: FindingSource.optional(),
    search: text().trim().min(1).max(200).optional(),
    limit: z.number().int().min(1).max(5000).optional(),
  })
  .strict();

export const TriageInput = z
  .object({
    inboxId: Id,
    state: z.enum(['new', 'triaged', 'dismissed']),
    note: text().max(2000).optional(),
  })
  .strict();

export const OpenCaseFromInboxInput = z.object({ inboxId: Id, title: text().trim().min(1).max(200).optional() }).strict();
export const AttachInboxInput = z.object({ inboxId: Id, caseNumber: CaseNumber }).strict();

export interface InboxCaseResult {
  item: InboxItem;
  case: CaseRecord;
  evidenceId: number;
}
