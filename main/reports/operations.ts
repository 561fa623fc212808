import type { Services } from '../services';
import type { HandlersFor } from '../ipc/handler-types';
import { reportsContract } from '../../common/contract/reports';
import * as z from 'zod';

/** exportReport from the command line: the same input plus a template folder (a path the CLI may name). */
export const ExportReportCliInput = reportsContract.exportReport.input.extend({ templateDir: z.string().min(1).max(4096).optional() });
export type ExportReportCliInput = z.output<typeof ExportReportCliInput>;

/** Report and bundle operations. Files are named by tokens (chooseFiles, chooseSaveLocation, or paths granted by the CLI), never by the renderer. */
export function reportsOperations(s: Services): HandlersFor<typeof reportsContract> {
  const { core } = s;
  const { reports, bundles } = s.reports;
  return {
    previewReport: async (input) => {
      const r = await reports.generate({ ...input, preview: true });
      return { reportId: r.reportId, html: r.html, body: r.body, template: r.template, generatedAt: r.generatedAt };
    },
    /** The CLI may add a template folder (`ExportReportCliInput`); the app always uses the shipped template. */
    exportReport: ({ format, out, templateDir, ...options }: ExportReportCliInput) => {
      const target = core.grants.take(out, 'write');
      return reports.export({
        ...options,
        format,
        outPath: target.path,
        overwrite: target.overwrite,
        ...(templateDir ? { templateDir } : {}),
      });
    },
    exportBundle: (input) => {
      const target = core.grants.take(input.out, 'write');
      return bundles.export({
        caseNumber: input.caseNumber,
        outPath: target.path,
        overwrite: target.overwrite,
        withEvidence: input.withEvidence ?? false,
      });
    },
    /** Verifying uses up the choice; a fresh token for the same file lets the investigator import what they just saw verified. */
    verifyBundle: async (input) => {
      const file = core.grants.take(input.file, 'read').path;
      const options = { ...(input.trust ? { trust: input.trust } : {}), ...(input.checkpoints ? { checkpoints: input.checkpoints } : {}) };
      return { verification: await bundles.verify(file, options), file: core.grants.grant(file, 'read') };
    },
    importBundle: (input) => bundles.import(core.grants.take(input.file, 'read').path, input.trust ? { trust: input.trust } : {}),
  };
}
