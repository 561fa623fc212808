import type { Command } from 'commander';
import * as z from 'zod';
import { Id } from '../../../common/contract/common';
import type { ContainmentSuggestion } from '../../../common/contract/response-from-finding';
import { AppError } from '../../core/errors';
import { type CliContext, printJson } from '../context';
import { parseInput } from '../parse';
import { type ConnectOpts, connect, connectOptions, showOrRun } from './respond-shared';

interface Opts extends ConnectOpts {
  case: string;
  region?: string;
  bucket?: string;
  function?: string;
  denyPrincipal?: string[];
  allowOnlyRoles?: string[];
  fromFinding?: string;
  plan?: boolean;
  yes?: boolean;
  json?: boolean;
}

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

/** The suggestion for an inbox finding (containmentFromFinding), refusing one that is not of the kind asked for. */
async function fromFinding(ctx: CliContext, o: Opts, kind: string): Promise<Record<string, unknown>> {
  const inboxId = parseInput(z.object({ inboxId: z.coerce.number().pipe(Id) }), { inboxId: o.fromFinding }).inboxId;
  const s: ContainmentSuggestion = await ctx.op('containmentFromFinding', { inboxId, caseNumber: o.case });
  if (s.kind !== kind || !s.input)
    throw new AppError(
      'finding-other-kind',
      `Inbox finding ${inboxId} fits ${s.kind ?? 'no containment'}, not ${kind}: ${s.reason}`,
      s.kind ? `Run: lariat respond from-finding --finding ${inboxId} --case ${o.case}` : 'Contain the resource by naming it instead.',
    );
  return s.input;
}

/**
 * `lariat respond s3|lambda|from-finding`: the S3 bucket and Lambda function
 * containments (issue 15), planned through the planAction door with the
 * same confirmation and resume rules as EC2, and the containment that fits
 * an inbox finding.
 */
export function registerS3LambdaCommands(program: Command, ctx: CliContext): void {
  const respond = program.commands.find((c) => c.name() === 'respond');
  if (!respond) return;
  const common = (c: Command) =>
    connectOptions(c)
      .requiredOption('--case <case>', 'case number')
      .option('--from-finding <id>', 'pre-fill from this inbox finding (lariat acquire findings list)')
      .option('--plan', 'print the plan (every AWS call with its parameters) and stop; nothing changes')
      .option('--yes', 'do not ask for the target name (only after reviewing the plan)')
      .option('--json', 'print JSON');

  common(
    respond.command('s3').description('save the bucket configuration as evidence, block all public access, optionally deny principals'),
  )
    .option('--bucket <bucket>', 'the bucket')
    .option('--region <region>', 'region of the bucket (default: found with HeadBucket)')
    .option(
      '--deny-principal <arn>',
      'deny this principal (account id, user or role ARN) every S3 action on the bucket; repeatable',
      collect,
    )
    .option('--allow-only-roles <arn>', 'deny everyone but these roles (and the identity Lariat acts as); repeatable', collect)
    .action(async (o: Opts) => {
      const pre = o.fromFinding ? await fromFinding(ctx, o, 's3-contain') : {};
      const input = {
        kind: 's3-contain',
        caseNumber: o.case,
        ...pre,
        ...(o.bucket ? { bucket: o.bucket } : {}),
        ...(o.region ? { region: o.region } : {}),
        options: { denyPrincipals: o.denyPrincipal ?? [], allowOnlyRoles: o.allowOnlyRoles ?? [] },
      };
      await connect(ctx, o, typeof input.region === 'string' ? input.region : undefined);
      await showOrRun(ctx, await ctx.op('planAction', input), o);
    });

  common(
    respond
      .command('lambda')
      .description("save the function's configuration and code as evidence, set reserved concurrency 0, disable its event source mappings"),
  )
    .option('--function <name>', 'function name or ARN')
    .option('--region <region>', 'region of the function')
    .action(async (o: Opts) => {
      const pre = o.fromFinding ? await fromFinding(ctx, o, 'lambda-contain') : {};
      const input = {
        kind: 'lambda-contain',
        caseNumber: o.case,
        ...pre,
        ...(o.function ? { functionName: o.function } : {}),
        ...(o.region ? { region: o.region } : {}),
        options: {},
      };
      await connect(ctx, o, typeof input.region === 'string' ? input.region : undefined);
      await showOrRun(ctx, await ctx.op('planAction', input), o);
    });

  connectOptions(
    respond
      .command('from-finding')
      .description('the containment that fits an inbox finding, pre-filled; --plan or --yes plans (and runs) it'),
  )
    .requiredOption('--finding <id>', 'inbox finding id')
    .requiredOption('--case <case>', 'case number')
    .option('--plan', 'plan it and print the plan; nothing changes')
    .option('--yes', 'plan and run it without asking for the target (only after reviewing the plan)')
    .option('--json', 'print JSON')
    .action(async (o: Opts & { finding: string }) => {
      const inboxId = parseInput(z.object({ inboxId: z.coerce.number().pipe(Id) }), { inboxId: o.finding }).inboxId;
      const s = await ctx.op('containmentFromFinding', { inboxId, caseNumber: o.case });
      if (!o.plan && !o.yes) {
        if (o.json) return printJson(ctx, s);
        ctx.io.out(`${s.reason}\nSuggested: ${s.kind ?? 'none'}${s.available ? '' : ' (not in this build)'}`);
        if (s.input) ctx.io.out(`Input: ${JSON.stringify(s.input)}\nPlan it with --plan (nothing changes).`);
        return;
      }
      if (!s.input || !s.available)
        throw new AppError('finding-not-containable', s.reason, 'Contain the resource by naming it (lariat respond <kind> ...).');
      await connect(ctx, o, typeof s.input.region === 'string' ? s.input.region : undefined);
      await showOrRun(ctx, await ctx.op('planAction', s.input), o);
    });
}
