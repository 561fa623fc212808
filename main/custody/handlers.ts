import path from 'node:path';
import type { Services } from '../services';
import type { HandlersFor } from '../ipc/handler-types';
import type { custodyContract } from '../../common/contract/custody';
import { AppError } from '../core/errors';

/** Starts one import job per file and returns the job ids at once; results arrive as `jobProgress`/`caseChanged`. */
function startImports(s: Services, caseNumber: string, paths: string[], description?: string): { jobIds: string[] } {
  s.core.cases.requireWritable(caseNumber);
  s.custody.identity.requireCurrent();
  const jobIds = paths.map((p) => {
    if (!path.isAbsolute(p))
      throw new AppError('invalid-path', `${p} is not an absolute path.`, 'Drop the file again, or use the file picker.');
    return s.core.jobs.start({ kind: 'evidence-import', label: `Import ${path.basename(p)}`, caseNumber, unit: 'bytes' }, (ctx) =>
      s.custody.evidence.importFile(caseNumber, p, { ...(description ? { description } : {}) }, ctx),
    ).jobId;
  });
  return { jobIds };
}

export function custodyHandlers(s: Services): HandlersFor<typeof custodyContract> {
  const c = s.custody;
  return {
    getIdentity: () => c.identity.current(),
    listIdentities: () => c.identity.list(),
    createIdentity: (input) => c.identity.create(input),
    useIdentity: (input) => c.identity.use(input.fingerprint),
    addPublicKey: (input) => c.identity.addPublicKey(input),
    exportPublicKey: (input) => c.identity.exportPublicKey(input.fingerprint),
    listEvidence: (input) => c.vault.list(input.caseNumber),
    getEvidence: (input) => ({
      item: c.vault.get(input.caseNumber, input.evidenceId),
      entries: c.ledger.list(input.caseNumber, input.evidenceId),
    }),
    importEvidenceFromPicker: async (input) => {
      const paths = await s.core.dialogs.openFiles({ title: `Import evidence into ${input.caseNumber}` });
      return paths.length ? startImports(s, input.caseNumber, paths, input.description) : { jobIds: [] };
    },
    importEvidencePaths: (input) => startImports(s, input.caseNumber, input.paths, input.description),
    transferEvidence: (input) => c.actions.transfer(input),
    prepareTransfer: (input) => c.actions.prepareTransfer(input),
    setEvidenceStatus: (input) => c.actions.setStatus(input),
    addCustodyNote: (input) => c.actions.note(input),
    listCustody: (input) => c.ledger.list(input.caseNumber, input.evidenceId),
    verifyCustody: (input) =>
      s.core.jobs.run(
        { kind: 'custody-verify', label: `Verify custody of ${input.caseNumber}`, caseNumber: input.caseNumber, unit: 'bytes' },
        (job) => c.verify.verify(input.caseNumber, { job, record: true }),
      ),
    exportCustody: async (input) => {
      const out =
        input.outDir ??
        (await s.core.dialogs.saveFile({ title: 'Export custody record to a new folder', defaultName: `${input.caseNumber}-custody` }));
      return out ? c.exporter.exportTo(input.caseNumber, out) : null;
    },
  };
}
