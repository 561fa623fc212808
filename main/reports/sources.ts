import type { CheckpointText, CustodyEntry, EvidenceItem, IdentityInfo, VerificationResult } from '../../common/contract/custody';
import type { FindingRecord, HighlightRule, IocRecord, TimelineEvent } from '../../common/contract/timeline';
import type { AcquisitionRow, ReportDetections, ResponseActionRow, TimelineScope } from './report-data';
import type { CloudTrailValidation } from '../../common/contract/acquire';
import type { EvidenceApi } from '../custody/api';
import type { AnalysisView } from '../../common/contract/analysis';

/** Signs as the current investigator (Ed25519), without exposing the key. */
export interface BundleSigner {
  name: string;
  fingerprint: string;
  publicKeyPem: string;
  sign(message: Uint8Array): Buffer;
}

/**
 * What reports and bundles read from the other features, in one narrow
 * interface. Each getter returns null when the feature that records it is not
 * part of this build, so a report says "not recorded in this case" instead of
 * failing; `index.ts` binds it to the real features.
 */
export interface ReportSources {
  currentInvestigator(): IdentityInfo | null;
  /** Identities known in this data folder (to name examiners and export their public keys). */
  investigators(): IdentityInfo[] | null;
  signer(): BundleSigner | null;
  /** Remembers a sender's public key (from a verified bundle) so their signatures stay checkable here. */
  registerPublicKey(input: { name: string; publicKeyPem: string }): void;
  /** Refreshes the custody feature's out-of-database head marker after an outer transaction committed. */
  syncCustodyHead(caseNumber: string): void;
  /** The vault, to record exported files as evidence and hand-overs as custody entries. */
  vault(): Pick<EvidenceApi, 'importBytes' | 'recordCustody'> | null;
  evidence(caseNumber: string): EvidenceItem[] | null;
  /** Absolute path of an evidence item's vault file, or null when held by reference. */
  evidenceFile(item: EvidenceItem): string | null;
  custodyEntries(caseNumber: string): CustodyEntry[] | null;
  /** A signed checkpoint of the ledger now (every report carries one), or null when nobody can sign and no head exists. */
  custodyCheckpoint(caseNumber: string): CheckpointText | null;
  verifyCustody(caseNumber: string): Promise<VerificationResult> | null;
  timeline(caseNumber: string, scope: TimelineScope, limit: number): { total: number | null; events: TimelineEvent[] } | null;
  highlightRules(): HighlightRule[];
  findings(caseNumber: string): FindingRecord[] | null;
  iocs(caseNumber: string): IocRecord[] | null;
  responseActions(caseNumber: string): ResponseActionRow[] | null;
  /** The post-incident analysis (issue 16); null when the case has none. */
  analysis(caseNumber: string): AnalysisView | null;
  /** Rule hits, ATT&CK techniques and correlation detections (issue 17); null without the detection feature. */
  detections(caseNumber: string): ReportDetections | null;
  /** What was acquired from AWS (issue 18), or null without the acquisition feature. */
  acquisitions(caseNumber: string): AcquisitionRow[] | null;
  /** The offline CloudTrail validation (without recording it), or null when nothing has digests to validate. */
  cloudTrailValidation(caseNumber: string): Promise<CloudTrailValidation | null> | null;
}

/** The acquisition feature as reports read it (bound in services.ts, which builds that feature). */
export type AcquireReportSource = Pick<ReportSources, 'acquisitions' | 'cloudTrailValidation'>;

/** Sources with nothing but the foundation: every feature section reads "not recorded". */
export const emptySources: ReportSources = {
  currentInvestigator: () => null,
  investigators: () => null,
  signer: () => null,
  registerPublicKey: () => undefined,
  syncCustodyHead: () => undefined,
  vault: () => null,
  evidence: () => null,
  evidenceFile: () => null,
  custodyEntries: () => null,
  custodyCheckpoint: () => null,
  verifyCustody: () => null,
  timeline: () => null,
  highlightRules: () => [],
  findings: () => null,
  iocs: () => null,
  responseActions: () => null,
  analysis: () => null,
  detections: () => null,
  acquisitions: () => null,
  cloudTrailValidation: () => null,
};
