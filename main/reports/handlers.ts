import type { Services } from '../services';
import type { HandlersFor } from '../ipc/handler-types';
import type { reportsContract } from '../../common/contract/reports';

const LARIAT_FILTER = [{ name: 'Lariat case bundle', extensions: ['lariat'] }];

/** Report and bundle channels. File locations always come from the native dialogs, never from the renderer, except verify/import of a path the picker returned. */
export function reportsHandlers(s: Services): HandlersFor<typeof reportsContract> {
  const { core } = s;
  const { reports, bundles } = s.reports;
  return {
    previewReport: async (input) => {
      const r = await reports.generate({ ...input, preview: true });
      return { reportId: r.reportId, html: r.html, body: r.body, template: r.template, generatedAt: r.generatedAt };
    },
    exportReport: async ({ format, ...options }) => {
      const out = await core.dialogs.saveFile({
        title: `Save the ${format.toUpperCase()} report of ${options.caseNumber}`,
        defaultName: `${options.caseNumber}-report.${format}`,
        filters: [{ name: format === 'pdf' ? 'PDF document' : 'HTML document', extensions: [format] }],
      });
      return out ? reports.export({ ...options, format, outPath: out }) : null;
    },
    exportBundle: async (input) => {
      const out = await core.dialogs.saveFile({
        title: `Save case ${input.caseNumber} as a signed bundle`,
        defaultName: `${input.caseNumber}.lariat`,
        filters: LARIAT_FILTER,
      });
      return out ? bundles.export({ caseNumber: input.caseNumber, outPath: out, withEvidence: input.withEvidence ?? false }) : null;
    },
    pickBundle: async () => {
      const [file] = await core.dialogs.openFiles({ title: 'Open a Lariat case bundle', filters: LARIAT_FILTER });
      return file ? { path: file, verification: await bundles.verify(file) } : null;
    },
    verifyBundle: (input) => bundles.verify(input.path),
    importBundle: (input) => bundles.import(input.path),
  };
}
