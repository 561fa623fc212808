import { AppError } from '../../core/errors';
import { SCRIPT_EXIT, requireOnline } from '../plans/memory';
import { type Executor, StepFailure, causeCode, ok, send } from './context';

const RESULT_LINE = /^LARIAT_RESULT size=(\d+) sha256=([0-9a-f]{64})(?: uri=(\S+))?\s*$/m;
const KEEP = 3500;

/** The end of a command's output, short enough to keep in the step result (where the investigator reads it). */
const tail = (s: string | undefined): string => {
  const t = s ?? '';
  return t.length <= KEEP ? t : `[${t.length - KEEP} characters before]…${t.slice(-KEEP)}`;
};

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

interface Invocation {
  Status?: string;
  ResponseCode?: number;
  StandardOutputContent?: string;
  StandardErrorContent?: string;
  StatusDetails?: string;
}

const ENDED = ['Failed', 'Cancelled', 'TimedOut', 'Cancelling', 'Undeliverable', 'Terminated'];

export const memoryExecutors: Record<string, Executor> = {
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

  /** Polls to a final status; the command's output stays in the step result whether it succeeded or not. */
  'poll-command': async (ctx) => {
    const started = ctx.now().getTime();
    const timeoutMs = Number(ctx.options.timeoutMinutes ?? 120) * 60_000 + 10 * 60_000;
    for (;;) {
      let inv: Invocation;
      try {
        inv = await send(ctx);
      } catch (err) {
        // Right after SendCommand the invocation may not exist yet.
        if (causeCode(err) !== 'InvocationDoesNotExist') throw err;
        inv = { Status: 'Pending' };
      }
      const elapsed = ctx.now().getTime() - started;
      ctx.progress(`command ${inv.Status ?? 'Pending'} (${Math.round(elapsed / 1000)} s)`, Math.min(0.99, elapsed / timeoutMs));
      const output = {
        Status: inv.Status ?? null,
        ResponseCode: inv.ResponseCode ?? null,
        StandardOutputContent: tail(inv.StandardOutputContent),
        StandardErrorContent: tail(inv.StandardErrorContent),
      };
      if (inv.Status === 'Success') {
        let parsed: ReturnType<typeof parseResult>;
        try {
          parsed = parseResult(inv.StandardOutputContent ?? '');
        } catch (err) {
          const e = err as AppError;
          throw new StepFailure(e.code, e.message, e.hint, output);
        }
        return ok({ ...parsed, ...output });
      }
      if (inv.Status && ENDED.includes(inv.Status)) {
        const known = inv.ResponseCode != null ? SCRIPT_EXIT[inv.ResponseCode] : undefined;
        const last = (inv.StandardErrorContent || inv.StandardOutputContent || '').trim().split('\n').slice(-3).join(' | ');
        if (known)
          throw new StepFailure(
            known.code,
            `${known.message} (${ctx.instanceId}, exit ${inv.ResponseCode}${last ? `: ${last}` : ''})`,
            known.hint,
            output,
          );
        throw new StepFailure(
          'memory-command-failed',
          `The acquisition command ended ${inv.Status} (exit ${inv.ResponseCode ?? '?'})${last ? `: ${last}` : ''}.`,
          'Read the output in the step result, fix the cause on the instance, then plan the memory action again (the command that ended is not re-sent by a resume).',
          output,
        );
      }
      if (elapsed > timeoutMs)
        throw new StepFailure(
          'memory-timeout',
          `The acquisition did not finish within ${Math.round(timeoutMs / 60000)} minutes.`,
          'Check the command in the SSM console; resume to keep waiting.',
          output,
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

  /** Local, and idempotent: an image already registered under this URI (a resume after a crash mid-step) is not registered again. */
  'register-memory': async (ctx) => {
    const r = ctx.request as { Uri: string; Size: number; Sha256: string; Tool: string };
    const existing = ctx.records.findEvidence(ctx.caseNumber, 'memory-image', r.Uri);
    const id =
      existing ??
      ctx.evidence.registerRemote(ctx.caseNumber, {
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
      }).id;
    return ok({ EvidenceId: id, Uri: r.Uri, Size: r.Size, Sha256: r.Sha256, ...(existing != null ? { AlreadyRegistered: true } : {}) });
  },
};
