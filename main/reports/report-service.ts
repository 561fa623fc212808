import crypto from 'node:crypto';
import path from 'node:path';
import type { Core } from '../core/core';
import type { TaskService } from '../tasks/task-service';
import type { NoteService } from '../notes/note-service';
import { REPORT_SECTIONS, type ReportExportResult, type ReportOptions, type ReportSectionId } from '../../common/contract/reports';
import type { ReportData, Examiner } from './report-data';
import type { ReportSources } from './sources';
import { buildView } from './render/view-model';
import { renderDocument } from './render/document';
import { defaultTemplateDir, loadTemplate } from './render/template-loader';
import { footerHtml, htmlToPdf } from './render/pdf';
import { recordExport, writeFileAtomic, refuseOverwrite } from './export-record';

export interface GenerateOptions extends ReportOptions {
  /** A template folder; the shipped default when omitted. */
  templateDir?: string;
  /**
   * Skip the custody verification (which re-hashes every vault file): for the on-screen preview, and for
   * the report inside a bundle, whose verification checks the ledger and every evidence file itself.
   */
  preview?: boolean;
}

export interface GeneratedReport {
  reportId: string;
  generatedAt: string;
  template: string;
  html: string;
  body: string;
  tlpLabel: string;
  /** The custody checkpoint in one line (entry, hash, signer), printed in the footer of every PDF page; null without one. */
  custodyNote: string | null;
}

const DEFAULT_TIMELINE_LIMIT = 1000;
const DEFAULT_ACTIVITY_LIMIT = 500;

/** A report id that is unique, sortable and names its case: RPT-IR-2026-0001-20261127T100000Z-3fa2. */
export function newReportId(caseNumber: string, at: Date): string {
  const stamp = at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  return `RPT-${caseNumber}-${stamp}-${crypto.randomBytes(2).toString('hex')}`;
}

/**
 * Case reports: gathers the case from every feature, renders the chosen
 * template into one self-contained HTML document, prints it to PDF, and
 * records every exported file as evidence with an `exported` custody entry.
 */
export class ReportService {
  constructor(private readonly deps: { core: Core; tasks: TaskService; notes: NoteService; sources: ReportSources }) {}

  /** Everything the report will show, read at one moment. */
  async gather(options: GenerateOptions, reportId: string, generatedAt: Date, templateName: string): Promise<ReportData> {
    const { core, sources } = this.deps;
    const caseRecord = core.cases.get(options.caseNumber);
    const n = caseRecord.number;
    const sections = normaliseSections(options.sections);
    const current = sources.currentInvestigator();
    const entries = sources.custodyEntries(n);
    const verification = entries && !options.preview ? await sources.verifyCustody(n) : null;
    const evidence = sources.evidence(n);
    const timelineScope = options.timelineScope ?? 'notable';
    const timelineLimit = options.timelineLimit ?? DEFAULT_TIMELINE_LIMIT;
    const timeline = sections.includes('timeline') ? sources.timeline(n, timelineScope, timelineLimit) : null;
    // The executive page's key timeline needs the notable events even when the section shows another scope.
    const notable =
      timeline && timelineScope === 'notable'
        ? timeline
        : sections.includes('summary')
          ? sources.timeline(n, 'notable', DEFAULT_TIMELINE_LIMIT)
          : null;
    const activityLimit = options.activityLimit ?? DEFAULT_ACTIVITY_LIMIT;
    const acquisitions = sections.includes('evidence') ? sources.acquisitions(n) : null;
    return {
      reportId,
      generatedAt: generatedAt.toISOString(),
      template: templateName,
      sections,
      caseRecord,
      lariatVersion: core.version,
      author: current && { ...current, generatedReport: true },
      examiners: examinersOf(current && { ...current, generatedReport: true }, entries, sources.investigators()),
      evidence,
      custody: entries ? { entries, verification, checkpoint: sources.custodyCheckpoint(n) } : null,
      timeline: timeline && { scope: timelineScope, limit: timelineLimit, ...timeline },
      notable,
      highlightRules: sources.highlightRules(),
      // Always read: the executive page counts threats and names what they touched.
      findings: sources.findings(n),
      iocs: sections.includes('iocs') ? sources.iocs(n) : null,
      assets: core.assets.list(n),
      tasks: this.deps.tasks.list(n),
      activity: { limit: activityLimit, entries: core.activity.list(n, activityLimit) },
      notes: this.deps.notes.list(n).reverse(),
      response: sections.includes('response') ? sources.responseActions(n) : null,
      analysis: sections.includes('postIncident') ? sources.analysis(n) : null,
      detections: sections.includes('attack') ? sources.detections(n) : null,
      acquisitions,
      cloudtrail: sections.includes('evidence') && !options.preview ? await (sources.cloudTrailValidation(n) ?? null) : null,
      cloudtrailPending: Boolean(options.preview && acquisitions?.some((a) => a.kind === 'bucket')),
      tools: toolsOf(evidence),
    };
  }

  async generate(options: GenerateOptions): Promise<GeneratedReport> {
    const { core } = this.deps;
    const template = loadTemplate(options.templateDir ?? defaultTemplateDir(core.paths.resourcesDir));
    const now = core.clock.now();
    const reportId = newReportId(options.caseNumber, now);
    const data = await this.gather(options, reportId, now, template.name);
    const view = buildView(data);
    const { html, body } = renderDocument(template, view, {
      title: `Case report ${data.caseRecord.number}: ${data.caseRecord.title}`,
      reportId,
      generator: `Lariat ${core.version}`,
    });
    return {
      reportId,
      generatedAt: data.generatedAt,
      template: template.name,
      html,
      body,
      tlpLabel: view.tlp.label,
      custodyNote: view.custodyFront?.footer ?? null,
    };
  }

  /** Renders and prints the report to PDF bytes. */
  async pdf(report: GeneratedReport): Promise<Buffer> {
    return htmlToPdf(this.deps.core, report.html, footerHtml(report.reportId, report.tlpLabel, report.custodyNote));
  }

  /**
   * Writes the report to `outPath`, hashes it and records it as evidence of
   * kind `report` with an `exported` custody entry (when the vault is
   * available and the case is writable).
   */
  async export(options: GenerateOptions & { format: 'html' | 'pdf'; outPath: string; overwrite?: boolean }): Promise<ReportExportResult> {
    refuseOverwrite(path.resolve(options.outPath), options.overwrite ?? false);
    const report = await this.generate(options);
    const bytes = options.format === 'pdf' ? await this.pdf(report) : Buffer.from(report.html, 'utf8');
    const outPath = path.resolve(options.outPath);
    writeFileAtomic(outPath, bytes);
    const sha256 = crypto.createHash('sha256').update(bytes).digest('hex');
    const evidenceId = await recordExport(this.deps.core, this.deps.sources, {
      caseNumber: options.caseNumber,
      exportId: `${report.reportId}.${options.format}`,
      kind: options.format,
      path: outPath,
      bytes,
      sha256,
      options: {
        sections: options.sections ?? null,
        template: report.template,
        timelineScope: options.timelineScope ?? 'notable',
        timelineLimit: options.timelineLimit ?? DEFAULT_TIMELINE_LIMIT,
      },
      description: `Case report ${report.reportId} (${options.format.toUpperCase()})`,
    });
    return { reportId: report.reportId, path: outPath, format: options.format, size: bytes.length, sha256, evidenceId };
  }
}

function normaliseSections(chosen: ReportSectionId[] | undefined): ReportSectionId[] {
  const set = new Set<ReportSectionId>(chosen ?? REPORT_SECTIONS.map((s) => s.id));
  set.add('cover');
  return REPORT_SECTIONS.map((s) => s.id).filter((id) => set.has(id));
}

function examinersOf(
  current: ReportData['author'],
  entries: ReturnType<ReportSources['custodyEntries']>,
  known: ReturnType<ReportSources['investigators']>,
): Examiner[] | null {
  if (!entries && !current) return null;
  const byFp = new Map<string, Examiner>();
  const info = new Map((known ?? []).map((k) => [k.fingerprint, k]));
  if (current) byFp.set(current.fingerprint, current);
  for (const e of entries ?? []) {
    for (const p of [e.actor, e.counterparty]) {
      if (!p || byFp.has(p.fingerprint)) continue;
      const k = info.get(p.fingerprint);
      byFp.set(p.fingerprint, {
        name: p.name,
        role: k?.role ?? '',
        organisation: k?.organisation ?? '',
        fingerprint: p.fingerprint,
        generatedReport: false,
      });
    }
  }
  return [...byFp.values()];
}

function toolsOf(evidence: ReportData['evidence']): ReportData['tools'] {
  const seen = new Map<string, ReportData['tools'][number]>();
  for (const e of evidence ?? []) {
    const tool = e.acquisition.tool.trim();
    if (!tool || /^lariat\b/i.test(tool) || seen.has(tool)) continue;
    const m = /^(.*?)\s+v?(\d[\w.+-]*)$/.exec(tool);
    seen.set(tool, { name: m ? m[1]! : tool, version: m ? m[2]! : 'not recorded', use: `Acquisition (${e.acquisition.method || e.kind})` });
  }
  return [...seen.values()];
}
