import { createHash } from 'node:crypto';
import { AppError } from '../core/errors';
import type { AwsClients, Sleep } from '../aws/clients';
import type { AwsService } from '../aws/operations';
import { awsErrorCode } from '../aws/errors';
import type { EvidenceApi } from '../custody/api';
import { redact, toJson } from '../aws/redact';
import { SCRIPT_EXIT, requireOnline } from './plans/memory';

/** What a step executor gets: the resolved request and the means to act and report. */
export interface StepContext {
  clients: AwsClients;
  evidence: EvidenceApi;
  caseNumber: string;
  actionId: number;
  instanceId: string;
  account: string | null;
  key: string;
  service: AwsService | 'lariat';
  region: string;
  operation: string;
  request: Record<string, unknown>;
  options: Record<string, unknown>;
  /** Results of the steps that already succeeded, by key. */
  results: ReadonlyMap<string, unknown>;
  toolVersion: string;
  signal: AbortSignal;
  sleep: Sleep;
  pollMs: number;
  now(): Date;
  progress(message: string, fraction?: number): void;
  onRetry(attempt: number, code: string): void;
}

export interface StepOutcome {
  state: 'succeeded' | 'skipped';
  /** Stored (redacted) and used to resolve later steps' references. */
  result: unknown;
}

type Executor = (ctx: StepContext) => Promise<StepOutcome>;

const send = <T = Record<string, unknown>>(ctx: StepContext, params = ctx.request, region = ctx.region): Promise<T> =>
  ctx.clients.call<T>(ctx.service as AwsService, region, ctx.operation, params, {
    signal: ctx.signal,
    onRetry: ctx.onRetry,
    context: ctx.instanceId,
  });

const ok = (result: unknown): StepOutcome => ({ state: 'succeeded', result: redact(toJson(result)) });

/** AWS answers meaning "already the way we want it": a rule that is already there or already gone. */
const ALREADY = new Set(['InvalidPermission.NotFound', 'InvalidPermission.Duplicate']);

function causeCode(err: unknown): string {
  return err instanceof AppError ? awsErrorCode(err.cause) : awsErrorCode(err);
}

async function saveEvidence(
  ctx: StepContext,
  name: string,
  bytes: Uint8Array,
  description: string,
  method: string,
): Promise<{ EvidenceId: number; Sha256: string; Bytes: number; Duplicate: boolean }> {
  const item = await ctx.evidence.importBytes(ctx.caseNumber, name, bytes, {
    kind: 'file',
    description,
    source: { account: ctx.account ?? undefined, region: ctx.region, resource: ctx.instanceId },
    acquisition: { tool: `Lariat ${ctx.toolVersion}`, method, host: ctx.instanceId, at: ctx.now().toISOString() },
  });
  return { EvidenceId: item.id, Sha256: item.hashes.sha256, Bytes: bytes.byteLength, Duplicate: item.duplicate };
}

const executors: Record<string, Executor> = {
  call: async (ctx) => ok(await send(ctx)),

  'call-optional': async (ctx) => {
    try {
      return ok(await send(ctx));
    } catch (err) {
      const code = causeCode(err);
      if (ALREADY.has(code)) return { state: 'skipped', result: { Skipped: code } };
      throw err;
    }
  },

  /** CreateSecurityGroup is not idempotent: if a crash hid the first success, find the group by name instead of failing. */
  'create-sg': async (ctx) => {
    try {
      return ok(await send(ctx));
    } catch (err) {
      if (causeCode(err) !== 'InvalidGroup.Duplicate') throw err;
      const found = await ctx.clients.call<{ SecurityGroups?: { GroupId?: string }[] }>(
        'ec2',
        ctx.region,
        'DescribeSecurityGroups',
        {
          Filters: [
            { Name: 'vpc-id', Values: [ctx.request.VpcId] },
            { Name: 'group-name', Values: [ctx.request.GroupName] },
          ],
        },
        { signal: ctx.signal },
      );
      const id = found.SecurityGroups?.[0]?.GroupId;
      if (!id) throw err;
      return ok({ GroupId: id, Recovered: true });
    }
  },

  'evidence-describe': async (ctx) => {
    const out = await send(ctx);
    const bytes = new TextEncoder().encode(JSON.stringify(toJson(out), null, 2));
    return ok(
      await saveEvidence(
        ctx,
        `${ctx.instanceId}-describe-instances.json`,
        bytes,
        `DescribeInstances of ${ctx.instanceId} before isolation`,
        'ec2:DescribeInstances',
      ),
    );
  },

  'evidence-console': async (ctx) => {
    const out = await send<{ Output?: string; Timestamp?: Date }>(ctx);
    const bytes = Buffer.from(out.Output ?? '', 'base64');
    return ok({
      ...(await saveEvidence(
        ctx,
        `${ctx.instanceId}-console-output.txt`,
        bytes,
        `Console output of ${ctx.instanceId} before isolation`,
        'ec2:GetConsoleOutput',
      )),
      Timestamp: out.Timestamp ?? null,
    });
  },

  'evidence-screenshot': async (ctx) => {
    let out: { ImageData?: string };
    try {
      out = await send(ctx);
    } catch (err) {
      // Some instance types (bare metal, older generations) have no screenshot.
      if (causeCode(err) === 'UnsupportedOperation') return { state: 'skipped', result: { Skipped: 'UnsupportedOperation' } };
      throw err;
    }
    const bytes = Buffer.from(out.ImageData ?? '', 'base64');
    return ok(
      await saveEvidence(
        ctx,
        `${ctx.instanceId}-console-screenshot.jpg`,
        bytes,
        `Console screenshot of ${ctx.instanceId} before isolation`,
        'ec2:GetConsoleScreenshot',
      ),
    );
  },

  /** PutRolePolicy takes the document as a string; the cut-off time is the moment the step runs. */
  'revoke-sessions': async (ctx) => {
    const params = { ...ctx.request, PolicyDocument: JSON.stringify(ctx.request.PolicyDocument) };
    const out = await send(ctx, params);
    return ok({ ...out, PolicyDocument: ctx.request.PolicyDocument });
  },

  /** CreateSnapshots has no client token: on a resumed run, snapshots already tagged with this action are reused. */
  'create-snapshots': async (ctx) => {
    const existing = await ctx.clients.call<{ Snapshots?: { SnapshotId?: string; VolumeId?: string; State?: string }[] }>(
      'ec2',
      ctx.region,
      'DescribeSnapshots',
      {
        OwnerIds: ['self'],
        Filters: [
          { Name: 'tag:lariat:action', Values: [String(ctx.actionId)] },
          { Name: 'tag:lariat:case', Values: [ctx.caseNumber] },
        ],
      },
      { signal: ctx.signal, onRetry: ctx.onRetry },
    );
    if (existing.Snapshots?.length)
      return ok({
        Snapshots: existing.Snapshots.map((s) => ({ SnapshotId: s.SnapshotId, VolumeId: s.VolumeId, State: s.State })),
        Recovered: true,
      });
    const out = await send<{ Snapshots?: { SnapshotId?: string; VolumeId?: string; State?: string; VolumeSize?: number }[] }>(ctx);
    return ok({
      Snapshots: (out.Snapshots ?? []).map((s) => ({
        SnapshotId: s.SnapshotId,
        VolumeId: s.VolumeId,
        State: s.State,
        VolumeSize: s.VolumeSize,
      })),
    });
  },

  'wait-snapshots': async (ctx) => {
    const ids = ctx.request.SnapshotIds as string[];
    const waitMinutes = Number(ctx.options.waitMinutes ?? 240);
    const deadline = ctx.now().getTime() + waitMinutes * 60_000;
    for (;;) {
      const out = await send<{
        Snapshots?: {
          SnapshotId?: string;
          VolumeId?: string;
          State?: string;
          Progress?: string;
          VolumeSize?: number;
          StartTime?: Date;
          Encrypted?: boolean;
          KmsKeyId?: string;
          StateMessage?: string;
        }[];
      }>(ctx);
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
      const item = ctx.evidence.registerRemote(ctx.caseNumber, {
        kind: 'ebs-snapshot',
        description: `EBS snapshot ${s.SnapshotId} of ${s.VolumeId} (${s.VolumeSize ?? '?'} GiB) from ${ctx.instanceId}`,
        source: { account: ctx.account ?? undefined, region: ctx.region, resource: s.SnapshotId },
        acquisition: { tool: `Lariat ${ctx.toolVersion}`, method: 'ec2:CreateSnapshots', host: ctx.instanceId, at: s.StartTime },
        size: s.VolumeSize != null ? s.VolumeSize * 2 ** 30 : null,
        hashes: {},
      });
      evidence.push({ SnapshotId: s.SnapshotId, VolumeId: s.VolumeId, EvidenceId: String(item.id) });
    }
    return ok({ Evidence: evidence });
  },

  'share-snapshot': async (ctx) => {
    const out = await send(ctx);
    const account = (ctx.request.UserIds as string[])[0];
    custodyFor(ctx, ctx.request.SnapshotId as string, `Snapshot shared with forensic account ${account}`, {
      operation: 'ec2:ModifySnapshotAttribute',
      withAccount: account,
    });
    return ok(out);
  },

  'copy-snapshot': async (ctx) => {
    const out = await send<{ SnapshotId?: string }>(ctx);
    custodyFor(ctx, ctx.request.SourceSnapshotId as string, `Snapshot copied to ${ctx.region} as ${out.SnapshotId ?? '?'}, re-encrypted`, {
      operation: 'ec2:CopySnapshot',
      copySnapshotId: out.SnapshotId,
      region: ctx.region,
      kmsKeyId: ctx.request.KmsKeyId,
    });
    return ok(out);
  },

  'check-ssm': async (ctx) => {
    const out = await send<{ InstanceInformationList?: { PingStatus?: string }[] }>(ctx);
    const info = out.InstanceInformationList?.[0];
    requireOnline({
      instanceId: ctx.instanceId,
      ssm: { managed: Boolean(info), pingStatus: info?.PingStatus ?? null, agentVersion: null, platformName: null },
    });
    return ok(out);
  },

  'check-bucket': async (ctx) => {
    try {
      return ok(await send(ctx));
    } catch (err) {
      if (err instanceof AppError && err.code === 'aws-not-found') {
        throw new AppError(
          'memory-bucket-missing',
          `The evidence bucket ${String(ctx.request.Bucket)} does not exist.`,
          'Create it (with versioning and object lock if policy requires), or choose the case bucket, then resume.',
          { cause: err },
        );
      }
      throw err;
    }
  },

  'poll-command': async (ctx) => {
    const started = ctx.now().getTime();
    const timeoutMs = Number(ctx.options.timeoutMinutes ?? 120) * 60_000 + 10 * 60_000;
    for (;;) {
      let inv: {
        Status?: string;
        ResponseCode?: number;
        StandardOutputContent?: string;
        StandardErrorContent?: string;
        StatusDetails?: string;
      };
      try {
        inv = await send(ctx);
      } catch (err) {
        // Right after SendCommand the invocation may not exist yet.
        if (causeCode(err) !== 'InvocationDoesNotExist') throw err;
        inv = { Status: 'Pending' };
      }
      const elapsed = ctx.now().getTime() - started;
      ctx.progress(`command ${inv.Status ?? 'Pending'} (${Math.round(elapsed / 1000)} s)`, Math.min(0.99, elapsed / timeoutMs));
      if (inv.Status === 'Success') return ok(parseResult(inv.StandardOutputContent ?? ''));
      if (inv.Status && ['Failed', 'Cancelled', 'TimedOut', 'Cancelling', 'Undeliverable', 'Terminated'].includes(inv.Status)) {
        const known = inv.ResponseCode != null ? SCRIPT_EXIT[inv.ResponseCode] : undefined;
        const tail = (inv.StandardErrorContent || inv.StandardOutputContent || '').trim().split('\n').slice(-3).join(' | ');
        if (known)
          throw new AppError(
            known.code,
            `${known.message} (${ctx.instanceId}, exit ${inv.ResponseCode}${tail ? `: ${tail}` : ''})`,
            known.hint,
          );
        throw new AppError(
          'memory-command-failed',
          `The acquisition command ended ${inv.Status} (exit ${inv.ResponseCode ?? '?'})${tail ? `: ${tail}` : ''}.`,
          'Read the output in the step result, fix the cause on the instance, then plan the memory action again (the command that ended is not re-sent by a resume).',
        );
      }
      if (elapsed > timeoutMs)
        throw new AppError(
          'memory-timeout',
          `The acquisition did not finish within ${Math.round(timeoutMs / 60000)} minutes.`,
          'Check the command in the SSM console; resume to keep waiting.',
        );
      await ctx.sleep(ctx.pollMs, ctx.signal);
    }
  },

  /** The object in S3 must hold as many bytes as the instance hashed; otherwise the hash describes something else. */
  'verify-object': async (ctx) => {
    const out = await send<{ ContentLength?: number }>(ctx);
    const reported = (ctx.results.get('poll-command') as { Size?: number } | undefined)?.Size;
    if (reported != null && out.ContentLength !== reported) {
      throw new AppError(
        'memory-size-mismatch',
        `s3://${String(ctx.request.Bucket)}/${String(ctx.request.Key)} holds ${out.ContentLength ?? '?'} bytes but the instance streamed ${reported}.`,
        'The upload is incomplete or was overwritten; do not rely on it. Acquire memory again (plan a new memory action).',
      );
    }
    return ok({ ContentLength: out.ContentLength ?? null, MatchesReportedSize: true });
  },

  'register-memory': async (ctx) => {
    const r = ctx.request as { Uri: string; Size: number; Sha256: string; Tool: string };
    const item = ctx.evidence.registerRemote(ctx.caseNumber, {
      kind: 'memory-image',
      description: `Memory image of ${ctx.instanceId} (${r.Tool}) at ${r.Uri}`,
      source: { account: ctx.account ?? undefined, region: ctx.region, resource: r.Uri },
      acquisition: {
        tool: `${r.Tool} via Lariat ${ctx.toolVersion}`,
        method: 'ssm:SendCommand',
        host: ctx.instanceId,
        at: ctx.now().toISOString(),
      },
      size: r.Size,
      hashes: { sha256: r.Sha256 },
    });
    return ok({ EvidenceId: item.id, Uri: r.Uri, Size: r.Size, Sha256: r.Sha256 });
  },
};

/** Records an `exported` custody entry on the evidence item of a snapshot (found in the register step's result). */
function custodyFor(ctx: StepContext, snapshotId: string, purpose: string, details: Record<string, unknown>): void {
  const registered = ctx.results.get('register-evidence') as { Evidence?: { SnapshotId: string; EvidenceId: string }[] } | undefined;
  const entry = registered?.Evidence?.find((e) => e.SnapshotId === snapshotId);
  ctx.evidence.recordCustody(ctx.caseNumber, {
    evidenceId: entry ? Number(entry.EvidenceId) : null,
    action: 'exported',
    purpose,
    details: { snapshotId, ...details },
  });
}

const RESULT_LINE = /^LARIAT_RESULT size=(\d+) sha256=([0-9a-f]{64})(?: uri=(\S+))?\s*$/m;

/** The scripts end with `LARIAT_RESULT size=<bytes> sha256=<hex> uri=<s3 uri>`, computed on the instance while streaming. */
export function parseResult(stdout: string): { Size: number; Sha256: string; Uri: string | null } {
  const m = RESULT_LINE.exec(stdout);
  if (!m)
    throw new AppError(
      'memory-no-result',
      'The acquisition script finished without reporting the image size and SHA-256.',
      'Read the command output in the step result; the image may be incomplete, acquire again.',
    );
  return { Size: Number(m[1]), Sha256: m[2]!, Uri: m[3] ?? null };
}

export async function executeStep(kind: string, ctx: StepContext): Promise<StepOutcome> {
  const exec = executors[kind];
  if (!exec) throw new AppError('plan-step-unknown', `Step kind ${kind} is not known to this version.`, 'Plan the action again.');
  return exec(ctx);
}

/** A short fingerprint of a plan, for the activity log. */
export function planDigest(steps: unknown): string {
  return createHash('sha256').update(JSON.stringify(steps)).digest('hex').slice(0, 16);
}
