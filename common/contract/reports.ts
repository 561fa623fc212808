import * as z from 'zod';
import { FileToken, type FileRef } from './files';
import { channel, type ChannelDef, type EventDef } from './define';
import { CaseNumber } from './common';
import { VerifyAnchorsInput, type CheckpointInfo, type CheckpointReport, type SignerReport } from './custody';

/**
 * The sections a case report can hold, in report order. Shared with the
 * renderer so the Report tab offers exactly what the generator knows.
 * `cover` is always included: it carries the case number, TLP and report id.
 */
export const REPORT_SECTIONS = [
  { id: 'cover', title: 'Cover' },
  { id: 'summary', title: 'Executive summary' },
  { id: 'details', title: 'Case details and examiners' },
  { id: 'scope', title: 'Scope and authorisation' },
  { id: 'evidence', title: 'Evidence inventory' },
  { id: 'custody', title: 'Chain of custody' },
  { id: 'tools', title: 'Tools and versions' },
  { id: 'timeline', title: 'Timeline' },
  { id: 'attack', title: 'MITRE ATT&CK and detections' },
  { id: 'iocs', title: 'Indicators of compromise and assets' },
  { id: 'tasks', title: 'Tasks and activity log' },
  { id: 'findings', title: 'Findings and notes' },
  { id: 'response', title: 'Response actions' },
  { id: 'postIncident', title: 'Post-incident analysis' },
  { id: 'limitations', title: 'Limitations' },
  { id: 'signoff', title: 'Sign-off' },
] as const;

export type ReportSectionId = (typeof REPORT_SECTIONS)[number]['id'];
export const ReportSectionId = z.enum(REPORT_SECTIONS.map((s) => s.id) as [ReportSectionId, ...ReportSectionId[]]);

/** What the investigator chooses for one report. */
export const ReportOptions = z
  .object({
    caseNumber: CaseNumber,
    /** Sections to include; all when omitted. The cover is always included. */
    sections: z.array(ReportSectionId).max(REPORT_SECTIONS.length).optional(),
    /**
     * Timeline: the notable events (default: those a highlight rule matched or the investigator flagged),
     * only the flagged ones, or all.
     */
    timelineScope: z.enum(['notable', 'flagged', 'all']).optional(),
    /** Most timeline events printed (the report says when more were left out). */
    timelineLimit: z.number().int().min(1).max(100_000).optional(),
    /** Most activity-log entries printed. */
    activityLimit: z.number().int().min(1).max(50_000).optional(),
  })
  .strict();
export type ReportOptions = z.infer<typeof ReportOptions>;

/** A report rendered for the in-app preview (sandboxed iframe). */
export interface ReportPreview {
  reportId: string;
  /** The full self-contained HTML document, exactly as it would be exported. */
  html: string;
  /** The report's `<body>` content only, for the preview frame, which styles it with the app's copy of the template CSS. */
  body: string;
  template: string;
  generatedAt: string;
}

/** A report written to disk and recorded as evidence. */
export interface ReportExportResult {
  reportId: string;
  path: string;
  format: 'html' | 'pdf';
  size: number;
  sha256: string;
  /** Evidence item holding the report, or null when the vault is not available. */
  evidenceId: number | null;
}

/** One check performed on a bundle, in the order performed. */
export interface BundleCheck {
  name: string;
  ok: boolean;
  detail: string;
}

/** The verdict on a `.lariat` bundle: intact, or the first failure and why. */
export interface BundleVerification {
  /** Intact AND anchored: every signer is trusted, or introduced by a trusted key. */
  ok: boolean;
  /** Every check passed except, possibly, trust: nothing was changed since the exporter signed it. */
  intact: boolean;
  /** Some signer of the bundle is a key the verifier trusts (its trust list, or the fingerprints given). */
  anchored: boolean;
  /** The exact reason for refusal, or null when intact. */
  reason: string | null;
  /** Stable code of the failure (e.g. `hash-mismatch`, `path-traversal`), or null. */
  code: string | null;
  checks: BundleCheck[];
  caseNumber: string | null;
  caseTitle: string | null;
  exporter: { name: string; fingerprint: string } | null;
  exportedAt: string | null;
  files: number;
  bytes: number;
  ledgerEntries: number | null;
  /** Every key of the bundled ledger, by name and fingerprint, and whether it is trusted. */
  signers: SignerReport[];
  /** The exporter's signed checkpoint of the ledger inside (format 2 bundles). */
  checkpoint: CheckpointInfo | null;
  /** Earlier checkpoints the verifier was given, and whether the bundle's ledger extends each. */
  checkpoints: CheckpointReport[];
  warnings: string[];
}

export interface BundleExportResult {
  path: string;
  size: number;
  sha256: string;
  files: number;
  withEvidence: boolean;
}

export interface BundleImportResult {
  /** The local case number: the sender's, or a new one when that number is taken here (see `originalCaseNumber`). */
  caseNumber: string;
  originalCaseNumber: string;
  verification: BundleVerification;
  folder: string;
}

/** Channels of the reports feature. */
export const reportsContract = {
  previewReport: channel<ReportPreview>()(ReportOptions, 'Render the case report for preview (nothing is written).'),
  exportReport: channel<ReportExportResult>()(
    ReportOptions.extend({ format: z.enum(['html', 'pdf']), out: FileToken }).strict(),
    'Write the report as HTML or PDF where the investigator chose (a token from chooseSaveLocation), and record it as evidence.',
  ),
  exportBundle: channel<BundleExportResult>()(
    z.object({ caseNumber: CaseNumber, withEvidence: z.boolean().optional(), out: FileToken }).strict(),
    'Write a signed .lariat case bundle where the investigator chose (a token from chooseSaveLocation).',
  ),
  verifyBundle: channel<{ verification: BundleVerification; file: FileRef }>()(
    z.object({ file: FileToken, trust: VerifyAnchorsInput.trust, checkpoints: VerifyAnchorsInput.checkpoints }).strict(),
    'Verify a chosen .lariat bundle without writing anything; returns a fresh token for importing it.',
  ),
  importBundle: channel<BundleImportResult>()(
    z.object({ file: FileToken, trust: VerifyAnchorsInput.trust }).strict(),
    "Verify a chosen .lariat bundle and, only if intact and its sender's fingerprint is trusted or confirmed (`trust`), open it as a read-only case.",
  ),
} satisfies Record<string, ChannelDef>;

/** Events of the reports feature. */
export const reportsEvents = {} satisfies Record<string, EventDef>;
