import { AppError } from '../../core/errors';
import { toJson } from '../../aws/redact';
import { type Executor, type StepContext, type StepOutcome, causeCode, mustStop, ok, send } from './context';

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

/**
 * Best-effort evidence (console output, screenshot) must never stand between
 * the investigator and containment: any failure is recorded on the step as
 * "evidence not captured: <reason>" and the action goes on.
 */
async function bestEffort(ctx: StepContext, capture: () => Promise<StepOutcome>): Promise<StepOutcome> {
  try {
    return await capture();
  } catch (err) {
    if (mustStop(ctx, err)) throw err;
    const reason = err instanceof AppError ? `${err.message} (${causeCode(err)})` : String(err);
    return { state: 'skipped', result: { EvidenceNotCaptured: `evidence not captured: ${reason}`, Code: causeCode(err) } };
  }
}

export const evidenceExecutors: Record<string, Executor> = {
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

  'evidence-console': (ctx) =>
    bestEffort(ctx, async () => {
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
    }),

  'evidence-screenshot': (ctx) =>
    bestEffort(ctx, async () => {
      const out = await send<{ ImageData?: string }>(ctx);
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
    }),
};
