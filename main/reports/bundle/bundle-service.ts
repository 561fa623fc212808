import fs from 'node:fs';
import path from 'node:path';
import type { Core } from '../../core/core';
import { AppError } from '../../core/errors';
import type { TaskService } from '../../tasks/task-service';
import type { NoteService } from '../../notes/note-service';
import type { BundleExportResult, BundleImportResult, BundleVerification } from '../../../common/contract/reports';
import type { ReportService } from '../report-service';
import type { ReportSources } from '../sources';
import { recordExport, refuseOverwrite } from '../export-record';
import type { CaseData } from './case-data';
import { exportBundle } from './export-bundle';
import { importBundle } from './import-bundle';
import { verifyBundle } from './verify';
import type { ZipLimits } from './format';
import type { CustodyFeature } from '../../custody';

const CASE_DATA_TIMELINE_LIMIT = 100_000;
const CASE_DATA_ACTIVITY_LIMIT = 50_000;

/** Signed `.lariat` case bundles: export, verify (writing nothing) and import as a read-only case. */
export class BundleService {
  constructor(
    private readonly deps: {
      core: Core;
      reports: ReportService;
      tasks: TaskService;
      notes: NoteService;
      sources: ReportSources;
      custody: CustodyFeature;
      limits?: Partial<ZipLimits>;
    },
  ) {}

  /** Everything recorded about the case, as `case.json` carries it. */
  caseData(caseNumber: string): CaseData {
    const { core, sources } = this.deps;
    const c = core.cases.get(caseNumber);
    const data = {
      format: 'lariat-case-data',
      version: 1,
      case: c,
      tasks: this.deps.tasks.list(c.number),
      notes: this.deps.notes.list(c.number).reverse(),
      assets: core.assets.list(c.number),
      evidence: sources.evidence(c.number) ?? [],
      activity: core.activity.list(c.number, CASE_DATA_ACTIVITY_LIMIT).reverse(),
      timeline: sources.timeline(c.number, 'all', CASE_DATA_TIMELINE_LIMIT),
      findings: sources.findings(c.number),
      iocs: sources.iocs(c.number),
      response: sources.responseActions(c.number),
      analysis: sources.analysis(c.number),
    };
    // The records are the contract's own interfaces; the schema only checks them on the receiving side.
    return data as unknown as CaseData;
  }

  async export(input: { caseNumber: string; outPath: string; overwrite?: boolean; withEvidence?: boolean }): Promise<BundleExportResult> {
    const { core } = this.deps;
    const outPath = path.resolve(input.outPath);
    refuseOverwrite(outPath, input.overwrite ?? false);
    let folder: fs.Stats | null = null;
    try {
      folder = fs.statSync(path.dirname(outPath));
    } catch {
      folder = null;
    }
    if (!folder?.isDirectory())
      throw new AppError(
        'folder-missing',
        `The folder ${path.dirname(outPath)} does not exist${folder ? ' (it is a file)' : ''}; nothing was written or recorded.`,
        'Choose an existing folder for the bundle.',
      );
    const result = await core.jobs.run(
      { kind: 'bundle-export', label: `Export ${input.caseNumber} as a signed bundle`, caseNumber: input.caseNumber, unit: 'bytes' },
      (job) =>
        exportBundle(
          { core, reports: this.deps.reports, sources: this.deps.sources, custody: this.deps.custody, caseData: (n) => this.caseData(n) },
          { caseNumber: input.caseNumber, outPath, withEvidence: input.withEvidence ?? false },
          job,
        ),
    );
    await recordExport(core, this.deps.sources, {
      caseNumber: input.caseNumber,
      exportId: `BUNDLE-${result.bundleId}`,
      kind: 'bundle',
      path: result.path,
      bytes: null,
      size: result.size,
      sha256: result.sha256,
      options: { withEvidence: result.withEvidence, files: result.files },
      description: `Case bundle ${result.bundleId}`,
      custody: false,
    });
    const { bundleId: _id, ...rest } = result;
    return rest;
  }

  /**
   * Verifies a bundle, writing nothing. Trust starts from `trust` (fingerprints confirmed by another channel) when
   * given, else from this data folder's trust list; `checkpoints` kept from earlier must be extended by its ledger.
   */
  async verify(file: string, options: { trust?: string[]; checkpoints?: string[] } = {}): Promise<BundleVerification> {
    return (
      await verifyBundle(path.resolve(file), {
        ...(this.deps.limits ? { limits: this.deps.limits } : {}),
        roots: this.deps.custody.trust.roots(options.trust),
        checkpoints: options.checkpoints ?? [],
      })
    ).verification;
  }

  /** Imports a bundle whose sender is in the trust list, or whose fingerprint the investigator confirmed (`trust`). */
  async import(file: string, options: { trust?: string[] } = {}): Promise<BundleImportResult> {
    const { core } = this.deps;
    return core.jobs.run({ kind: 'bundle-import', label: `Import bundle ${path.basename(file)}`, unit: 'bytes' }, (job) =>
      importBundle(
        { core, sources: this.deps.sources, custody: this.deps.custody },
        path.resolve(file),
        { ...(this.deps.limits ? { limits: this.deps.limits } : {}), ...(options.trust ? { trust: options.trust } : {}) },
        job,
      ),
    );
  }
}
