import type { Command } from 'commander';
import type { AcquisitionRecord } from '../../../common/contract/acquire';
import { type CliContext, printJson } from '../context';
import { collect } from '../parse';
import { type ConnectOpts, connect, connectOptions } from './respond-shared';
import { formatAcquisition, formatAcquisitions, formatBucketPlan, formatValidation } from './acquire-print';
import {
  type ScopeOpts,
  first,
  logSourceOf,
  logSourceOptions,
  ref,
  runPlanned,
  scopeOf,
  scopeOptions,
  showPlanOrRun,
  window,
} from './acquire-shared';
import { registerFindings } from './acquire-findings';
import { registerAws } from './acquire-aws';
import { registerAthena } from './acquire-athena';

type Opts = ConnectOpts & ScopeOpts & Record<string, string | string[] | boolean | undefined>;

/** `lariat acquire ...`, `lariat cloudtrail validate`, `lariat findings pull|inbox|...`, `lariat aws accounts|coverage`, `lariat athena ...`. */
export function registerAcquireCommands(program: Command, ctx: CliContext): void {
  const acquire = program.command('acquire').description('acquire CloudTrail history and log buckets from AWS into a case, with custody');

  scopeOptions(
    connectOptions(
      acquire
        .command('lookup-events')
        .description('CloudTrail event history (LookupEvents, last 90 days) into one evidence item and the timeline'),
    ),
  )
    .requiredOption('--case <case>', 'case number')
    .option('--region <region>', 'region (repeatable); default: the case regions', collect)
    .requiredOption('--from <time>', 'UTC start (2026-11-27 or ISO-8601)')
    .requiredOption('--to <time>', 'UTC end (a date means the end of that day)')
    .option('--principal <name>', 'only events of this user name (LookupEvents Username)')
    .option('--access-key-id <id>', 'only events made with this access key')
    .option('--event-name <name>', 'only this event, e.g. StopLogging')
    .option('--resource <name>', 'only events naming this resource')
    .option('--event-source <source>', 'only this service, e.g. iam.amazonaws.com')
    .option('--json', 'print JSON')
    .action(async (o: Opts) => {
      await connect(ctx, o, first(o.region));
      const { jobId } = await ctx.op('acquireLookupEvents', {
        caseNumber: o.case,
        window: window(o as { from?: string; to?: string }),
        regions: o.region,
        principal: o.principal,
        accessKeyId: o.accessKeyId,
        eventName: o.eventName,
        resourceName: o.resource,
        eventSource: o.eventSource,
        scope: scopeOf(o),
      });
      const done = await ctx.waitJob<AcquisitionRecord>(jobId);
      if (o.json) return printJson(ctx, done);
      ctx.io.out(formatAcquisition(done));
      for (const e of (done.result.errors as { account: string; region: string; message: string }[] | undefined) ?? [])
        ctx.io.err(`warning: ${e.account} ${e.region}: ${e.message}`);
    });

  logSourceOptions(
    connectOptions(
      acquire
        .command('bucket')
        .description('list (plan) then download CloudTrail or VPC flow log objects of a window into the vault, then the timeline'),
    ),
    'AWSLogs account folder to take (repeatable); default: all',
    'region folder to take (repeatable); default: the case regions, else all',
  )
    .requiredOption('--from <time>', 'UTC start')
    .requiredOption('--to <time>', 'UTC end')
    .option('--no-digests', 'skip CloudTrail digest files and public keys (no offline validation then)')
    .option('--via-account <id>', 'act in this account (the log archive) through --role-name')
    .option('--role-name <name>', 'role to assume in --via-account (default LariatResponder)')
    .option('--s3-region <region>', 'region for the trail lookup and S3 calls')
    .option('--plan', 'list and show the count and size; download nothing (default without --yes)')
    .option('--yes', 'download after planning')
    .option('--json', 'print JSON')
    .action(async (o: Opts) => {
      await connect(ctx, o, o.s3Region as string | undefined);
      const plan = await ctx.op('planBucketAcquisition', {
        ...logSourceOf(o),
        window: window(o as { from?: string; to?: string }),
        digests: o.digests,
        via: o.viaAccount ? { account: o.viaAccount, roleName: o.roleName } : undefined,
        region: o.s3Region,
      });
      await showPlanOrRun(ctx, o, plan, formatBucketPlan(plan), 'Nothing was downloaded.');
    });

  connectOptions(
    acquire.command('run').description('run a planned acquisition (bucket, Athena setup or query), or resume an interrupted one'),
  )
    .argument('<acquisition>', 'acquisition number')
    .option('--yes', 'confirm (downloads into the vault; Athena statements run and are billed)')
    .option('--json', 'print JSON')
    .action(async (id: string, o: ConnectOpts & { yes?: boolean; json?: boolean }) => {
      const n = ref(id);
      if (!o.yes) {
        const a = await ctx.op('getAcquisition', { acquisitionId: n });
        ctx.io.out(`${formatAcquisition(a)}\nConfirm with: lariat acquire run ${n} --yes`);
        return;
      }
      await connect(ctx, o, undefined);
      await runPlanned(ctx, n, o.json);
    });

  acquire
    .command('list')
    .description('acquisitions of a case')
    .requiredOption('--case <case>', 'case number')
    .option('--json', 'print JSON')
    .action(async (o: { case: string; json?: boolean }) => {
      const list = await ctx.op('listAcquisitions', { caseNumber: o.case });
      if (o.json) return printJson(ctx, list);
      ctx.io.out(list.length ? formatAcquisitions(list) : 'No acquisitions yet.');
    });
  acquire
    .command('show <acquisition>')
    .description('one acquisition: request, objects, evidence, errors')
    .option('--json', 'print JSON')
    .action(async (id: string, o: { json?: boolean }) => {
      const a = await ctx.op('getAcquisition', { acquisitionId: ref(id) });
      if (o.json) return printJson(ctx, a);
      ctx.io.out(formatAcquisition(a));
    });

  program
    .command('cloudtrail')
    .description('CloudTrail evidence of a case')
    .command('validate <case>')
    .description(
      'validate the acquired CloudTrail logs offline with the digest chain and public keys (exit 0 intact, 1 tampered, 3 incomplete)',
    )
    .option('--json', 'print JSON (every file with its status)')
    .action(async (caseNumber: string, o: { json?: boolean }) => {
      const v = await ctx.op('validateCloudTrail', { caseNumber });
      if (o.json) printJson(ctx, v);
      else ctx.io.out(formatValidation(v));
      ctx.exitCode = v.verdict === 'intact' ? 0 : v.verdict === 'tampered' ? 1 : 3;
    });

  registerFindings(program, ctx);
  registerAws(program, ctx);
  registerAthena(program, ctx);
}
