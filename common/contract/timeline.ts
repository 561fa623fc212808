import { z } from 'zod';
import { FileToken } from './files';
import { channel, event, type ChannelDef, type EventDef } from './define';
import { CaseNumber, Id, NoInput, Tag, Tlp, type Tlp as TlpT, text } from './common';
import type { CaseRecord } from './cases';

export const EventSourceName = z.enum(['cloudtrail', 'guardduty', 'securityhub', 'vpcflow', 'lariat']);
export type EventSourceName = z.infer<typeof EventSourceName>;

/** Timeline columns an investigator may filter on with `column = value` (a fixed whitelist mapped to SQL columns in main). */
export const TimelineColumn = z.enum([
  'source',
  'actor',
  'accessKeyId',
  'action',
  'eventSource',
  'resource',
  'sourceIp',
  'userAgent',
  'region',
  'account',
  'errorCode',
  'severity',
]);
export type TimelineColumn = z.infer<typeof TimelineColumn>;

/** One row of the case timeline, without the raw record (fetched on demand). */
export interface TimelineEvent {
  id: number;
  /** ISO-8601 UTC; null when the record carried no usable time (see `issues`). */
  time: string | null;
  source: EventSourceName;
  actor: string | null;
  accessKeyId: string | null;
  /** eventName for CloudTrail, finding type for findings, ACCEPT/REJECT for flow logs. */
  action: string | null;
  /** AWS service (eventSource) for CloudTrail; product for findings. */
  eventSource: string | null;
  resource: string | null;
  sourceIp: string | null;
  userAgent: string | null;
  region: string | null;
  account: string | null;
  errorCode: string | null;
  severity: string | null;
  flagged: boolean;
  tags: string[];
  /** Import problems kept on the record, e.g. `missing-eventTime`, `missing-userIdentity`. */
  issues: string[];
  /** Id of the built-in highlight rule the event matches, if any. */
  highlight: string | null;
  evidenceId: number | null;
  file: string | null;
  recordNo: number | null;
}

export interface TimelineEventDetail extends TimelineEvent {
  raw: unknown;
}

const IsoTime = text().trim().min(4).max(40);

export const TimelineFilter = z
  .object({
    caseNumber: CaseNumber,
    from: IsoTime.optional(),
    to: IsoTime.optional(),
    where: z
      .array(z.object({ column: TimelineColumn, value: text().max(2048) }).strict())
      .max(20)
      .optional(),
    search: text().max(500).optional(),
    errorsOnly: z.boolean().optional(),
    flagged: z.boolean().optional(),
    highlight: text().max(64).optional(),
  })
  .strict();
export type TimelineFilter = z.infer<typeof TimelineFilter>;

export const TimelineQuery = TimelineFilter.extend({
  /** Opaque keyset cursor from the previous page. */
  cursor: text().max(200).optional(),
  limit: z.number().int().min(1).max(1000).optional(),
}).strict();
export type TimelineQuery = z.infer<typeof TimelineQuery>;

export interface TimelinePage {
  events: TimelineEvent[];
  nextCursor: string | null;
}

export interface HighlightRule {
  id: string;
  label: string;
  /** One line: why an investigator looks at this. */
  explanation: string;
}

/** Per-file outcome of an import. */
export interface ImportFileReport {
  file: string;
  format: string | null;
  evidenceId: number | null;
  duplicate: boolean;
  imported: number;
  flagged: number;
  rejected: number;
  findings: number;
  /** First errors, each naming the file and record number. */
  errors: string[];
}

export interface ImportReport {
  caseNumber: string;
  files: ImportFileReport[];
  imported: number;
  flagged: number;
  rejected: number;
}

export interface FindingRecord {
  id: number;
  caseNumber: string;
  source: 'guardduty' | 'securityhub';
  findingId: string;
  type: string;
  title: string;
  severityLabel: 'informational' | 'low' | 'medium' | 'high' | 'critical';
  severityScore: number;
  account: string | null;
  region: string | null;
  resources: { type: string; id: string }[];
  firstSeen: string | null;
  lastSeen: string | null;
  /** Case numbers this finding has been attached to or opened as. */
  linkedCases: string[];
}

export interface FindingDetail extends FindingRecord {
  raw: unknown;
  indicators: { type: IocType; value: string }[];
}

export const IocType = z.enum(['ip', 'domain', 'access-key-id', 'arn', 'hash', 'user-agent']);
export type IocType = z.infer<typeof IocType>;

export interface IocRecord {
  id: number;
  caseNumber: string;
  type: IocType;
  value: string;
  tlp: TlpT;
  notes: string;
  source: string;
  createdAt: string;
  updatedAt: string;
}

const FindingRef = z.object({ caseNumber: CaseNumber, findingId: Id }).strict();
const EventRef = z.object({ caseNumber: CaseNumber, eventId: Id }).strict();

export const timelineContract = {
  queryTimeline: channel<TimelinePage>()(TimelineQuery, 'One page of the case timeline (keyset paginated), filtered.'),
  countTimeline: channel<{ count: number; exact: boolean }>()(
    TimelineFilter,
    'How many events match a filter (exact below 100 000, estimated above).',
  ),
  getTimelineEvent: channel<TimelineEventDetail>()(EventRef, 'One event with its raw record.'),
  flagEvent: channel<TimelineEvent>()(
    EventRef.extend({ flagged: z.boolean() }).strict(),
    'Set or clear the investigator flag on an event.',
  ),
  tagEvent: channel<TimelineEvent>()(EventRef.extend({ tags: z.array(Tag).max(20) }).strict(), 'Replace the tags of an event.'),
  listHighlightRules: channel<HighlightRule[]>()(NoInput, 'Built-in highlight rules with their one-line explanation.'),
  importLogs: channel<{ jobId: string }>()(
    z.object({ caseNumber: CaseNumber, files: z.array(FileToken).min(1).max(1000) }).strict(),
    'Import chosen or dropped files and folders (tokens from chooseFiles or a drop) as a job; the report arrives with timelineImported.',
  ),
  listImports: channel<ImportFileReport[]>()(z.object({ caseNumber: CaseNumber }).strict(), 'Per-file import log of a case, newest first.'),
  listFindings: channel<FindingRecord[]>()(
    z.object({ caseNumber: CaseNumber, severity: text().max(20).optional(), type: text().max(300).optional() }).strict(),
    'Findings of a case, most severe first.',
  ),
  getFinding: channel<FindingDetail>()(FindingRef, 'One finding with its raw record and the indicators it names.'),
  caseFromFinding: channel<CaseRecord>()(
    FindingRef,
    'Open a new case from a finding; the finding, its assets and IOCs are copied into it.',
  ),
  attachFinding: channel<FindingRecord>()(
    FindingRef.extend({ targetCaseNumber: CaseNumber }).strict(),
    'Attach a finding to another case (copied with its assets and IOCs).',
  ),
  addFindingAssets: channel<{ assets: number; iocs: number }>()(
    FindingRef,
    "Add a finding's resources as assets and its indicators as IOCs.",
  ),
  listIocs: channel<IocRecord[]>()(z.object({ caseNumber: CaseNumber }).strict(), 'IOCs of a case.'),
  addIoc: channel<IocRecord>()(
    z
      .object({
        caseNumber: CaseNumber,
        type: IocType,
        value: text().trim().min(1).max(2048),
        tlp: Tlp.optional(),
        notes: text().max(10_000).optional(),
      })
      .strict(),
    'Add an IOC (or update the existing one with the same type and value).',
  ),
  updateIoc: channel<IocRecord>()(
    z.object({ caseNumber: CaseNumber, iocId: Id, tlp: Tlp.optional(), notes: text().max(10_000).optional() }).strict(),
    'Change the TLP or notes of an IOC.',
  ),
  deleteIoc: channel<{ deleted: true }>()(z.object({ caseNumber: CaseNumber, iocId: Id }).strict(), 'Remove an IOC.'),
  createDemoCase: channel<{ caseRecord: CaseRecord; report: ImportReport }>()(
    NoInput,
    'Create a demo case from the bundled public samples; returns the case and its import report.',
  ),
} satisfies Record<string, ChannelDef>;

/** Events of the timeline feature. */
export const timelineEvents = {
  timelineImported: event<ImportReport>('An import finished; the report lists each file.'),
} satisfies Record<string, EventDef>;
