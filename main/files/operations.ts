import fs from 'node:fs';
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

const SHOWN = 12;

const within = (p: string, dir: string) => {
  const rel = path.relative(path.resolve(dir), p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
};

/**
 * Whether `p` (symbolic links followed) is Lariat's own secret or internal state: the data folder
 * itself, its keys, logs and vault, or a case database or search index file.
 */
function lariatsOwn(p: string, where: { dataDir: string; keysDir: string; logsDir: string; vaultDir: string }): boolean {
  let real = path.resolve(p);
  try {
    real = fs.realpathSync(real);
  } catch {
    // not there: nothing to follow (and nothing to read)
  }
  const data = path.resolve(where.dataDir);
  if (real === data || [where.keysDir, where.logsDir, where.vaultDir].some((d) => within(real, d))) return true;
  return path.dirname(real) === data && /^lariat(-search)?\.db/.test(path.basename(real));
}

/**
 * What only the preload calls: dropped files it resolved to paths. The channel cannot be reached by
 * the page's scripts (context isolation), but a renderer process taken over by an exploit can send
 * any IPC message, and so any path. So main never grants a dropped path on the renderer's word:
 * relative paths (no real drop yields one) and Lariat's own files (keys, databases, search index,
 * logs, vault, even through a symbolic link) are dropped, and the investigator confirms the remaining list in a native dialog that the
 * renderer cannot draw or answer.
 */
export function preloadOperations(s: Services): HandlersFor<typeof preloadContract> {
  return {
    grantDroppedFiles: async ({ paths }) => {
      const { dialogs, grants, paths: where } = s.core;
      const wanted = [...new Set(paths)].filter((p) => path.isAbsolute(p) && !lariatsOwn(p, where));
      if (wanted.length === 0) return { files: [] };
      const listed = wanted.slice(0, SHOWN).join('\n') + (wanted.length > SHOWN ? `\n... and ${wanted.length - SHOWN} more` : '');
      const ok = await dialogs.confirm({
        title: 'Dropped files',
        message: wanted.length === 1 ? 'Let Lariat read the file you dropped?' : `Let Lariat read the ${wanted.length} files you dropped?`,
        detail: listed,
        yes: 'Read them',
      });
      if (!ok) return { files: [] };
      return { files: wanted.map((p) => grants.grant(p, 'read')) };
    },
  };
}
