import path from 'node:path';
import { AppError } from '../../core/errors';
import { toJson } from '../../aws/redact';
import { type Executor, type StepContext, ok } from '../executors/context';
import { readerOf } from '../read-config';
import { type FetchCode, downloadCode } from './code';
import { type FunctionRecord, collectFunction } from './evidence';

const onOff = (ms: { UUID: string; State: string }[]) =>
  ms.map((m) => `${m.UUID}:${/^(Enabled|Enabling|Updating|Creating)$/.test(m.State) ? 'on' : 'off'}`).sort();

async function saveCode(ctx: StepContext, f: FunctionRecord, fetch: FetchCode) {
  if (!f.codeUrl || !f.CodeSha256) return null;
  const url = f.codeUrl;
  const sha = f.CodeSha256;
  const staged = await ctx.evidence.stageFile(
    ctx.caseNumber,
    f.FunctionArn,
    { signal: ctx.signal, throwIfCancelled: () => undefined, progress: () => undefined },
    (_source, dir, options) =>
      downloadCode({ url, sha256Base64: sha, fetch, partPath: path.join(dir, `.lambda-${ctx.actionId}.part`), signal: options?.signal }),
  );
  return ctx.evidence.commitStaged(ctx.caseNumber, staged, {
    kind: 'file',
    description: `Deployment package of Lambda function ${f.FunctionName} (CodeSha256 ${sha}) before containment`,
    source: { account: ctx.account ?? undefined, region: ctx.region, resource: f.FunctionArn },
    acquisition: {
      tool: `Lariat ${ctx.toolVersion}`,
      method: `lambda:GetFunction Code.Location ${f.CodeLocation ?? ''}; streamed into the vault, SHA-256 equal to CodeSha256, copy re-read`,
      host: f.CodeLocation ? new URL(f.CodeLocation).host : 'lambda',
    },
    action: 'acquired',
  });
}

/**
 * The evidence step of a Lambda containment: configuration, layers,
 * mappings and resource policy as JSON evidence, and the code package
 * streamed into the vault and checked against CodeSha256 (the vault keeps
 * one item per content, so a resumed step records nothing twice). Refuses
 * if the concurrency or mappings changed since the plan, which a release
 * would otherwise not restore as they were.
 */
export function lambdaExecutors(
  fetch: FetchCode = (url, init) => (globalThis.fetch as unknown as FetchCode)(url, init),
): Record<string, Executor> {
  return {
    'lambda-evidence': async (ctx) => {
      const name = String(ctx.request.FunctionName);
      const f = await collectFunction(readerOf(ctx), name, ctx.region);
      const want = ctx.request.Expect as { ReservedConcurrency: number | null; EventSourceMappings: { UUID: string; State: string }[] };
      if (
        f.ReservedConcurrency !== want.ReservedConcurrency ||
        JSON.stringify(onOff(f.EventSourceMappings)) !== JSON.stringify(onOff(want.EventSourceMappings))
      )
        throw new AppError(
          'lambda-changed-since-plan',
          `The reserved concurrency or event source mappings of ${f.FunctionName} changed since the plan was made.`,
          'Plan the containment again: the release must restore the settings as they are now.',
        );
      const { codeUrl: _url, ...record } = f;
      const config = await ctx.evidence.importBytes(
        ctx.caseNumber,
        `lambda-${f.FunctionName}-configuration.json`,
        new TextEncoder().encode(JSON.stringify(toJson(record), null, 2)),
        {
          kind: 'file',
          description: `Configuration, layers, event source mappings and resource policy of Lambda function ${f.FunctionName} before containment`,
          source: { account: ctx.account ?? undefined, region: ctx.region, resource: f.FunctionArn },
          acquisition: {
            tool: `Lariat ${ctx.toolVersion}`,
            method: 'lambda:GetFunction, GetLayerVersionByArn, GetPolicy, GetFunctionConcurrency, ListEventSourceMappings',
            host: f.FunctionArn,
            at: ctx.now().toISOString(),
          },
        },
      );
      const code = await saveCode(ctx, f, fetch);
      return ok({
        ConfigurationEvidenceId: config.id,
        CodeEvidenceId: code?.id ?? null,
        CodeSha256: f.CodeSha256,
        CodeChangedSincePlan: ctx.request.CodeSha256 !== f.CodeSha256,
        NotCaptured: f.NotCaptured,
      });
    },
  };
}
