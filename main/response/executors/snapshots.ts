import { AppError } from '../../core/errors';
import { type Executor, type StepContext, ok, send } from './context';
import { runGuarded } from './guard';

interface SnapshotInfo {
  SnapshotId?: string;
  VolumeId?: string;
  State?: string;
  Progress?: string;
  VolumeSize?: number;
  StartTime?: Date;
  Encrypted?: boolean;
  KmsKeyId?: string;
  StateMessage?: string;
}

/**
 * Records an `exported` custody entry on a snapshot's evidence item, once:
 * a step resumed after the entry was written (but before the step was
 * marked succeeded) finds it by action and step and does not write another.
 */
function custodyFor(ctx: StepContext, snapshotId: string, purpose: string, details: Record<string, unknown>): void {
  const registered = ctx.results.get('register-evidence') as { Evidence?: { SnapshotId: string; EvidenceId: string }[] } | undefined;
  const entry = registered?.Evidence?.find((e) => e.SnapshotId === snapshotId);
  const evidenceId = entry ? Number(entry.EvidenceId) : null;
  const mark = { actionId: ctx.actionId, step: ctx.key };
  if (evidenceId != null && ctx.records.hasCustody(ctx.caseNumber, evidenceId, 'exported', mark)) return;
  ctx.evidence.recordCustody(ctx.caseNumber, { evidenceId, action: 'exported', purpose, details: { snapshotId, ...details, ...mark } });
}

export const snapshotExecutors: Record<string, Executor> = {
  'create-snapshots': (ctx) =>
    runGuarded(ctx, ctx.request, async () => {
      const out = await send<{ Snapshots?: SnapshotInfo[] }>(ctx);
      return {
        Snapshots: (out.Snapshots ?? []).map((s) => ({
          SnapshotId: s.SnapshotId,
          VolumeId: s.VolumeId,
          State: s.State,
          VolumeSize: s.VolumeSize,
        })),
      };
    }),

  'wait-snapshots': async (ctx) => {
    const ids = ctx.request.SnapshotIds as string[];
    const waitMinutes = Number(ctx.options.waitMinutes ?? 240);
    const deadline = ctx.now().getTime() + waitMinutes * 60_000;
    for (;;) {
      const out = await send<{ Snapshots?: SnapshotInfo[] }>(ctx);
      const snaps = out.Snapshots ?? [];
      const failed = snaps.find((s) => s.State === 'error');
      if (failed)
        throw new AppError(
          'snapshot-failed',
          `Snapshot ${failed.SnapshotId} of ${failed.VolumeId} failed: ${failed.StateMessage ?? 'no reason given'}.`,
          'Plan a new snapshot action; the failed snapshot holds no evidence.',
        );
      const pct = snaps.length ? snaps.reduce((n, s) => n + (parseInt(s.Progress ?? '0', 10) || 0), 0) / (ids.length * 100) : 0;
      ctx.progress(
        `snapshots ${Math.round(pct * 100)}% (${snaps.filter((s) => s.State === 'completed').length}/${ids.length} completed)`,
        pct,
      );
      if (snaps.length === ids.length && snaps.every((s) => s.State === 'completed')) {
        return ok({
          Snapshots: snaps.map((s) => ({
            SnapshotId: s.SnapshotId,
            VolumeId: s.VolumeId,
            VolumeSize: s.VolumeSize,
            StartTime: s.StartTime,
            Encrypted: s.Encrypted,
            KmsKeyId: s.KmsKeyId,
          })),
        });
      }
      if (ctx.now().getTime() > deadline) {
        throw new AppError(
          'snapshot-timeout',
          `Snapshots were not completed after ${waitMinutes} minutes.`,
          'They keep going in AWS; resume the action later to keep waiting (nothing is snapshotted twice).',
        );
      }
      await ctx.sleep(ctx.pollMs, ctx.signal);
    }
  },

  /** Local, and idempotent: a snapshot already registered in this case (a resume after a crash mid-step) is not registered again. */
  'register-snapshots': async (ctx) => {
    const snaps = ctx.request.Snapshots as {
      SnapshotId: string;
      VolumeId: string;
      VolumeSize?: number;
      StartTime?: string;
      Encrypted?: boolean;
    }[];
    const evidence = [];
    for (const s of snaps) {
      const existing = ctx.records.findEvidence(ctx.caseNumber, 'ebs-snapshot', s.SnapshotId);
      const id =
        existing ??
        ctx.evidence.registerRemote(ctx.caseNumber, {
          kind: 'ebs-snapshot',
          description: `EBS snapshot ${s.SnapshotId} of ${s.VolumeId} (${s.VolumeSize ?? '?'} GiB) from ${ctx.instanceId}`,
          source: { account: ctx.account ?? undefined, region: ctx.region, resource: s.SnapshotId },
          acquisition: { tool: `Lariat ${ctx.toolVersion}`, method: 'ec2:CreateSnapshots', host: ctx.instanceId, at: s.StartTime },
          size: s.VolumeSize != null ? s.VolumeSize * 2 ** 30 : null,
          hashes: {},
        }).id;
      evidence.push({
        SnapshotId: s.SnapshotId,
        VolumeId: s.VolumeId,
        EvidenceId: String(id),
        ...(existing != null ? { AlreadyRegistered: true } : {}),
      });
    }
    return ok({ Evidence: evidence });
  },

  'share-snapshot': async (ctx) => {
    const outcome = await runGuarded(ctx, ctx.request, () => send(ctx));
    const account = (ctx.request.UserIds as string[])[0];
    custodyFor(ctx, ctx.request.SnapshotId as string, `Snapshot shared with forensic account ${account}`, {
      operation: 'ec2:ModifySnapshotAttribute',
      withAccount: account,
    });
    return outcome;
  },

  'copy-snapshot': async (ctx) => {
    const outcome = await runGuarded(ctx, ctx.request, () => send(ctx));
    const copyId = (outcome.result as { SnapshotId?: string }).SnapshotId;
    custodyFor(ctx, ctx.request.SourceSnapshotId as string, `Snapshot copied to ${ctx.region} as ${copyId ?? '?'}, re-encrypted`, {
      operation: 'ec2:CopySnapshot',
      copySnapshotId: copyId,
      region: ctx.region,
      kmsKeyId: ctx.request.KmsKeyId,
    });
    return outcome;
  },
};
