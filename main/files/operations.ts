import path from 'node:path';
import type { Services } from '../services';
import type { HandlersFor } from '../ipc/handler-types';
import type { filesContract, OpenPurpose, preloadContract, SavePurpose } from '../../common/contract/files';

type Filters = { name: string; extensions: string[] }[];

const OPEN: Record<OpenPurpose, { title: (c?: string) => string; filters?: Filters; single?: boolean }> = {
  evidence: { title: (c) => `Import evidence${c ? ` into ${c}` : ''}` },
  timeline: {
    title: (c) => `Import logs and findings${c ? ` into ${c}` : ''}`,
    filters: [{ name: 'CloudTrail, GuardDuty, Security Hub, VPC Flow Logs', extensions: ['json', 'gz', 'jsonl', 'ndjson', 'log', 'txt'] }],
  },
  bundle: { title: () => 'Open a Lariat case bundle', filters: [{ name: 'Lariat case bundle', extensions: ['lariat'] }], single: true },
  rules: { title: () => 'Add a folder of Sigma rules' },
};

const SAVE: Record<SavePurpose, { title: (c: string) => string; name: (c: string) => string; filters?: Filters }> = {
  'report-pdf': {
    title: (c) => `Save the PDF report of ${c}`,
    name: (c) => `${c}-report.pdf`,
    filters: [{ name: 'PDF document', extensions: ['pdf'] }],
  },
  'report-html': {
    title: (c) => `Save the HTML report of ${c}`,
    name: (c) => `${c}-report.html`,
    filters: [{ name: 'HTML document', extensions: ['html'] }],
  },
  bundle: {
    title: (c) => `Save case ${c} as a signed bundle`,
    name: (c) => `${c}.lariat`,
    filters: [{ name: 'Lariat case bundle', extensions: ['lariat'] }],
  },
  'custody-export': { title: () => 'Export custody record to a new folder', name: (c) => `${c}-custody` },
};

/**
 * The native dialogs, as operations that answer with tokens: the renderer
 * learns a display name, never the path it stands for.
 */
export function fileOperations(s: Services): HandlersFor<typeof filesContract> {
  const { dialogs, grants } = s.core;
  return {
    chooseFiles: async ({ purpose, caseNumber, folders }) => {
      const spec = OPEN[purpose];
      const paths = await dialogs.openFiles({
        title: spec.title(caseNumber),
        directories: purpose === 'rules' || (purpose === 'timeline' && (folders ?? false)),
        ...(spec.filters ? { filters: spec.filters } : {}),
      });
      return { files: (spec.single ? paths.slice(0, 1) : paths).map((p) => grants.grant(p, 'read')) };
    },
    chooseSaveLocation: async ({ purpose, caseNumber }) => {
      const spec = SAVE[purpose];
      const out = await dialogs.saveFile({
        title: spec.title(caseNumber),
        defaultName: spec.name(caseNumber),
        ...(spec.filters ? { filters: spec.filters } : {}),
      });
      // The native save dialog has already asked before replacing an existing file.
      return out ? grants.grant(out, 'write', { overwrite: true }) : null;
    },
  };
}

/** What only the preload calls: dropped files it resolved to paths (relative paths cannot come from a real drop). */
export function preloadOperations(s: Services): HandlersFor<typeof preloadContract> {
  return {
    grantDroppedFiles: ({ paths }) => ({ files: paths.filter((p) => path.isAbsolute(p)).map((p) => s.core.grants.grant(p, 'read')) }),
  };
}
