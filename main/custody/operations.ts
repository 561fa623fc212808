import path from 'node:path';
import type { Services } from '../services';
import type { HandlersFor } from '../ipc/handler-types';
import type { custodyContract } from '../../common/contract/custody';

/**
 * The custody feature's operations: one function each, called by the IPC
 * handlers and the CLI alike with input parsed by the same contract schema.
 */
export function custodyOperations(s: Services): HandlersFor<typeof custodyContract> {
  const c = s.custody;
  const { core } = s;
  const aws = () => s.response.aws.clients();
  /** Published anchors (S3, RFC 3161) and those placed by hand, in the order they were made. */
  const listAnchors = (caseNumber: string) =>
    [...c.anchors.list(caseNumber), ...c.manualAnchors.list(caseNumber)].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
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
    /** One job per file, started at once; results arrive as `jobProgress`/`caseChanged` (the CLI waits for each). */
    importEvidence: (input) => {
      core.cases.requireWritable(input.caseNumber);
      c.identity.requireCurrent();
      const paths = core.grants.takeAll(input.files, 'read');
      const meta = { ...(input.description ? { description: input.description } : {}), ...(input.kind ? { kind: input.kind } : {}) };
      const jobIds = paths.map(
        (p) =>
          core.jobs.start(
            { kind: 'evidence-import', label: `Import ${path.basename(p)}`, caseNumber: input.caseNumber, unit: 'bytes' },
            (job) => c.evidence.importFile(input.caseNumber, p, meta, job),
          ).jobId,
      );
      return { jobIds };
    },
    transferEvidence: (input) => c.actions.transfer(input),
    prepareTransfer: (input) => c.actions.prepareTransfer(input),
    setEvidenceStatus: (input) => c.actions.setStatus(input),
    addCustodyNote: (input) => c.actions.note(input),
    listCustody: (input) => c.ledger.list(input.caseNumber, input.evidenceId),
    /** S3 anchors are fetched first (they need the AWS session); everything else is checked in the job. */
    verifyCustody: async ({ caseNumber, trust, checkpoints, timestamps, tsaCertificates, s3Anchors }) => {
      core.cases.require(caseNumber);
      const fetched = await c.anchors.fetchS3(s3Anchors ?? [], aws);
      return core.jobs.run({ kind: 'custody-verify', label: `Verify custody of ${caseNumber}`, caseNumber, unit: 'bytes' }, (job) =>
        c.verify.verify(caseNumber, {
          job,
          record: true,
          ...(trust ? { trust } : {}),
          checkpoints: [...(checkpoints ?? []).map((text) => ({ text })), ...fetched.checkpoints],
          timestamps: (timestamps ?? []).map((t) => Buffer.from(t, 'base64')),
          tsaCertificates: tsaCertificates ?? [],
          anchors: fetched.reports,
        }),
      );
    },
    exportCustody: (input) => c.exporter.exportTo(input.caseNumber, core.grants.take(input.out, 'write').path),
    getCustodyCheckpoint: (input) => c.ledger.checkpoint(input.caseNumber),
    listTrustedKeys: () => c.trust.list(),
    trustKey: (input) => {
      const known = c.identity.list().find((i) => i.fingerprint === input.fingerprint);
      return c.trust.add({ fingerprint: input.fingerprint, name: input.name ?? known?.name ?? '(name not given)', source: 'pinned' });
    },
    untrustKey: (input) => c.trust.remove(input.fingerprint),
    introduceKey: (input) => c.actions.introduce(input),
    resealCustody: (input) => c.actions.reseal(input),
    getAnchorSettings: () => c.anchors.settings(),
    setAnchorSettings: (input) =>
      c.anchors.setSettings({
        ...(input.s3 !== undefined ? { s3: input.s3 } : {}),
        ...(input.tsa !== undefined ? { tsa: input.tsa } : {}),
      }),
    anchorCustody: (input) => c.anchors.anchor(input.caseNumber, aws),
    recordAnchor: (input) => {
      c.manualAnchors.record(input.caseNumber, input.checkpoint, input.where);
      return listAnchors(input.caseNumber);
    },
    listAnchors: (input) => listAnchors(input.caseNumber),
  };
}
