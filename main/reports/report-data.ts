import type { ActivityRecord, CaseRecord, NoteRecord, TaskRecord } from '../../common/contract/cases';
import type { AssetRecord } from '../../common/contract/assets';
import type { CheckpointText, CustodyEntry, EvidenceItem, IdentityInfo, VerificationResult } from '../../common/contract/custody';
import type { FindingRecord, HighlightRule, IocRecord, TimelineEvent } from '../../common/contract/timeline';
import type { ReportSectionId } from '../../common/contract/reports';
import type { AnalysisView } from '../../common/contract/analysis';
import type { CloudTrailValidation } from '../../common/contract/acquire';

/** One acquisition from AWS as the report lists it: what, from where, how it ended, which evidence it made. */
export interface AcquisitionRow {
  id: number;
  kind: string;
  label: string;
  /** Where it came from, in AWS's terms (s3://bucket/prefix, cloudtrail:LookupEvents in regions, Athena query id). */
  source: string;
  state: string;
  objects: string;
  evidenceIds: number[];
  at: string;
}

/**
 * The case's detections as the report prints them (issue 17): the ATT&CK
 * techniques seen by tactic, the rule hits grouped by tactic in time order
 * (each naming the rule's author, as the Detection Rule License asks), and the
 * correlation detections. Built by the detection feature.
 */
export interface ReportDetections {
  attackVersion: string;
  terms: string;
  /** Tactics (ATT&CK order) with the techniques seen under them. */
  tactics: {
    tactic: string;
    techniques: { id: string; name: string; events: number; findings: number; rules: string[]; findingTypes: string[] }[];
  }[];
  /** Rule hits per tactic, by first time; the hits of one rule are one row (its commonest actions; actor and IP when only one). */
  byTactic: {
    tactic: string;
    hits: {
      time: string | null;
      until: string | null;
      count: number;
      rule: string;
      level: string;
      author: string;
      origin: string;
      techniques: string[];
      action: string | null;
      actor: string | null;
      sourceIp: string | null;
    }[];
  }[];
  correlations: {
    title: string;
    level: string;
    author: string;
    group: string;
    firstSeen: string;
    lastSeen: string;
    events: number;
  }[];
  /** Rule hits in the case, and how many the report lists (it stops at a limit and says so). */
  hits: number;
  listed: number;
}

/** Which timeline events a report prints: highlighted or flagged (default), flagged only, or all. */
export type TimelineScope = 'notable' | 'flagged' | 'all';

/** One response action as the report prints it: what was done, step by step, and how each step ended. */
export interface ResponseActionRow {
  id: string | number;
  kind: string;
  target: string;
  status: string;
  requestedBy: string;
  startedAt: string | null;
  finishedAt: string | null;
  steps: { name: string; status: string; at: string | null; detail: string }[];
}

export type Examiner = Pick<IdentityInfo, 'name' | 'role' | 'organisation' | 'fingerprint'> & { generatedReport: boolean };

/**
 * Everything a report shows, gathered from the features at generation time.
 * `null` means the feature that records it is not available in this build
 * (the section then says "not recorded in this case"); an empty list means it
 * is available and nothing was recorded.
 */
export interface ReportData {
  reportId: string;
  generatedAt: string;
  template: string;
  sections: ReportSectionId[];
  caseRecord: CaseRecord;
  lariatVersion: string;
  /** The investigator generating the report, or null before an identity exists. */
  author: Examiner | null;
  examiners: Examiner[] | null;
  evidence: EvidenceItem[] | null;
  /** `verification` is null in previews: the full check (which re-hashes the vault) runs when a report is written. */
  custody: { entries: CustodyEntry[]; verification: VerificationResult | null; checkpoint: CheckpointText | null } | null;
  timeline: { scope: TimelineScope; limit: number; total: number | null; events: TimelineEvent[] } | null;
  /**
   * The notable events (highlighted or flagged) whatever the timeline section shows: the executive page's
   * key timeline is built from them. Null without the timeline feature.
   */
  notable: { total: number | null; events: TimelineEvent[] } | null;
  /** Labels and explanations of the highlight rules events may carry. */
  highlightRules: HighlightRule[];
  findings: FindingRecord[] | null;
  iocs: IocRecord[] | null;
  assets: AssetRecord[];
  tasks: TaskRecord[];
  activity: { limit: number; entries: ActivityRecord[] };
  notes: NoteRecord[];
  response: ResponseActionRow[] | null;
  /** The post-incident analysis, when the case has one. */
  analysis: AnalysisView | null;
  /** Detections and ATT&CK (null when the section is left out or detection is not part of this build). */
  detections: ReportDetections | null;
  /** Acquisitions from AWS (issue 18); null when the feature is not part of this build. */
  acquisitions: AcquisitionRow[] | null;
  /**
   * The offline CloudTrail validation at generation time; null in previews (it re-hashes every log in
   * the vault, like the custody verification) and when nothing was acquired with digests.
   */
  cloudtrail: CloudTrailValidation | null;
  /** True in a preview of a case with bucket acquisitions: the validation runs when the report is written. */
  cloudtrailPending: boolean;
  /** Tools beyond Lariat itself, from evidence acquisition records. */
  tools: { name: string; version: string; use: string }[];
}

/** Notes whose title names a special report section feed that section instead of "Findings and notes". */
export const NOTE_ROUTES: { section: ReportSectionId; pattern: RegExp }[] = [
  { section: 'scope', pattern: /^\s*(scope|authori[sz]ation)\b/i },
  { section: 'postIncident', pattern: /^\s*(post[- ]incident|lessons learned)\b/i },
  { section: 'limitations', pattern: /^\s*limitations?\b/i },
];

/** Which section a note belongs to, by its title. */
export function noteSection(note: Pick<NoteRecord, 'title'>): ReportSectionId {
  return NOTE_ROUTES.find((r) => r.pattern.test(note.title))?.section ?? 'findings';
}
