import * as z from 'zod';
import { FileToken } from './files';
import { channel, type ChannelDef } from './define';
import { CaseNumber, Id, NoInput, text } from './common';

export const DetectionLevel = z.enum(['informational', 'low', 'medium', 'high', 'critical']);
export type DetectionLevel = z.infer<typeof DetectionLevel>;

/** A rule as listed: Sigma metadata, where it came from, whether it runs, and its hits per case. */
export interface DetectionRuleInfo {
  id: string;
  name: string | null;
  title: string;
  level: DetectionLevel;
  status: string | null;
  /** The rule's author: every hit shown or reported names it (Detection Rule License 1.1). */
  author: string;
  description: string;
  falsepositives: string[];
  references: string[];
  tags: string[];
  techniques: string[];
  tactics: string[];
  kind: 'detection' | 'correlation';
  origin: 'sigmahq' | 'lariat' | 'investigator';
  path: string;
  enabled: boolean;
  /** Only feeds correlation rules (Sigma `generate: false`): its hits link events but are not listed as detections. */
  supporting: boolean;
  hits: { caseNumber: string; count: number }[];
}

/** A rule file (or one rule in it) that could not be loaded, and why. */
export interface RuleNotLoaded {
  path: string;
  origin: 'sigmahq' | 'lariat' | 'investigator';
  id: string | null;
  title: string | null;
  error: string;
}

export interface DetectionRulesList {
  rules: DetectionRuleInfo[];
  notLoaded: RuleNotLoaded[];
  /** The investigator's rule folders (settings). */
  folders: string[];
  loaded: number;
}

/** A rule that matched an event, with what the event panel shows about it. */
export interface EventDetection {
  ruleId: string;
  title: string;
  level: DetectionLevel;
  author: string;
  tags: string[];
  techniques: string[];
  description: string;
  falsepositives: string[];
  references: string[];
  origin: 'sigmahq' | 'lariat' | 'investigator';
  /** Set for a correlation detection the event belongs to. */
  correlationId: number | null;
}

export interface CorrelationDetection {
  id: number;
  ruleId: string;
  title: string;
  level: DetectionLevel;
  author: string;
  tags: string[];
  techniques: string[];
  /** The group-by values it fired for (e.g. `{ "sourceIPAddress": "203.0.113.9" }`). */
  group: Record<string, string | null>;
  firstSeen: string;
  lastSeen: string;
  events: number;
  /** Linked event ids (the first 1000). */
  eventIds: number[];
}

export interface CaseDetections {
  caseNumber: string;
  scan: { kind: 'import' | 'rescan'; startedAt: string; finishedAt: string | null; rules: number } | null;
  rules: {
    ruleId: string;
    title: string;
    level: DetectionLevel;
    author: string;
    techniques: string[];
    count: number;
    supporting: boolean;
  }[];
  correlations: CorrelationDetection[];
}

export interface AttackTechniqueCell {
  id: string;
  name: string;
  /** False when the id is not in Lariat's offline ATT&CK table (shown as is). */
  known: boolean;
  events: number;
  findings: number;
  /** Rules (ids and titles) whose hits put the technique here. */
  rules: { id: string; title: string; author: string }[];
  /** GuardDuty finding types that map to it. */
  findingTypes: string[];
  /** Up to 100 event ids and finding ids to link to. */
  eventIds: number[];
  findingIds: number[];
}

export interface AttackMatrix {
  caseNumber: string;
  /** ATT&CK version of the offline table and its terms of use. */
  attackVersion: string;
  terms: string;
  tactics: { id: string | null; shortName: string; name: string; techniques: AttackTechniqueCell[] }[];
}

export const IndicatorType = z.enum(['ip', 'access-key-id', 'arn', 'account-id', 'user-agent', 'hash', 'domain']);
export type IndicatorType = z.infer<typeof IndicatorType>;

export interface IndicatorLookup {
  value: string;
  type: IndicatorType;
  cases: {
    caseNumber: string;
    title: string;
    readOnly: boolean;
    events: number;
    findings: number;
    iocs: number;
    /** Events, findings and IOCs of a received bundle's case data. */
    bundle: number;
    firstSeen: string | null;
    lastSeen: string | null;
  }[];
}

export interface RulesTestReport {
  rules: {
    id: string;
    title: string;
    path: string;
    origin: 'sigmahq' | 'lariat' | 'investigator';
    /** The fixture file used, relative to the fixtures folder; null when the rule has none. */
    fixture: string | null;
    /** Positive example fired, negative example did not. */
    positive: boolean;
    negative: boolean;
    passed: boolean;
    problem: string | null;
  }[];
  passed: number;
  failed: number;
  notLoaded: RuleNotLoaded[];
}

const RuleId = text().trim().min(1).max(400);
const Folder = text().trim().min(1).max(4096);

export const ListRulesInput = z.object({ caseNumber: CaseNumber.optional() }).strict();
export const SetRuleEnabledInput = z.object({ ruleId: RuleId, enabled: z.boolean() }).strict();
/**
 * The investigator's rule folders: new ones arrive as tokens from the folder dialog (never as paths from the
 * renderer); `keep` names folders already in the list that stay (anything else is dropped).
 */
export const SetRuleFoldersInput = z
  .object({ add: z.array(FileToken).max(50).default([]), keep: z.array(Folder).max(50).default([]) })
  .strict();
export const CaseInput = z.object({ caseNumber: CaseNumber }).strict();
export const EventDetectionsInput = z.object({ caseNumber: CaseNumber, eventId: Id }).strict();
export const SearchIndicatorInput = z.object({ value: text().trim().min(1).max(2048) }).strict();

export const detectionContract = {
  listDetectionRules: channel<DetectionRulesList>()(
    ListRulesInput,
    'Every rule (shipped and the investigator folders) with author, level, enabled, hits per case, and the rules that did not load with why.',
  ),
  setDetectionRuleEnabled: channel<DetectionRuleInfo>()(SetRuleEnabledInput, 'Turn a rule on or off for future matching and rescans.'),
  setDetectionRuleFolders: channel<DetectionRulesList>()(SetRuleFoldersInput, "Set the investigator's own Sigma rule folders."),
  testDetectionRules: channel<RulesTestReport>()(NoInput, 'Run every shipped rule against its positive and negative fixture events.'),
  rescanCaseDetections: channel<{ jobId: string }>()(CaseInput, "Match a case's stored events against the current rules again (a job)."),
  listCaseDetections: channel<CaseDetections>()(CaseInput, 'Hits per rule and correlation detections of a case.'),
  getEventDetections: channel<EventDetection[]>()(
    EventDetectionsInput,
    'The rules an event matched, with description and false positives.',
  ),
  getAttackMatrix: channel<AttackMatrix>()(
    CaseInput,
    'The ATT&CK matrix of a case: tactics as columns, techniques seen with their events and findings.',
  ),
  searchIndicator: channel<IndicatorLookup>()(
    SearchIndicatorInput,
    'Find an IP, key id, ARN, account, user agent, hash or domain in every case.',
  ),
} satisfies Record<string, ChannelDef>;
