import type { Command } from 'commander';
import { z } from 'zod';
import { CaseNumber } from '../../../common/contract/common';
import { LookupEventsInput, PlanBucketInput } from '../../../common/contract/acquire';
import { type CliContext, printJson } from '../context';
import { parseInput } from '../parse';
import { type ConnectOpts, connect, connectOptions } from './respond-shared';
import { formatAcquisition, formatAcquisitions, formatBucketPlan, formatValidation } from './acquire-print';
import { type ScopeOpts, collect, ops, ref, runPlanned, scopeOf, scopeOptions, window, withProgress } from './acquire-shared';
import { registerFindings } from './acquire-findings';
import { registerAws } from './acquire-aws';
import { registerAthena } from './acquire-athena';

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
    .action(async (o: ConnectOpts & ScopeOpts & Record<string, string | string[] | boolean | undefined>) => {
      const input = parseInput(LookupEventsInput, {
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
      await connect(ctx, o, input.regions?.[0]);
      const d = ctx.services().acquire;
      const done = await withProgress(ctx, 'acquire-lookup-events', 'CloudTrail event history', input.caseNumber, (job) =>
        ops.lookupEvents(d, input, job),
      );
      if (o.json) return printJson(ctx, done);
      ctx.io.out(formatAcquisition(done));
      for (const e of (done.result.errors as { account: string; region: string; message: string }[] | undefined) ?? [])
        ctx.io.err(`warning: ${e.account} ${e.region}: ${e.message}`);
    });

  connectOptions(
    acquire
      .command('bucket')
      .description('list (plan) then download CloudTrail or VPC flow log objects of a window into the vault, then the timeline'),
  )
    .requiredOption('--case <case>', 'case number')
    .option('--trail <name>', 'take the bucket and prefix of this trail (cloudtrail:DescribeTrails)')
    .option('--bucket <bucket>', 'the log bucket')
    .option('--prefix <prefix>', 'key prefix before AWSLogs/')
    .option('--log-kind <kind>', 'cloudtrail (default) or vpcflowlogs')
    .option('--account <id>', 'AWSLogs account folder to take (repeatable); default: all', collect)
    .option('--region <region>', 'region folder to take (repeatable); default: the case regions, else all', collect)
    .requiredOption('--from <time>', 'UTC start')
    .requiredOption('--to <time>', 'UTC end')
    .option('--no-digests', 'skip CloudTrail digest files and public keys (no offline validation then)')
    .option('--via-account <id>', 'act in this account (the log archive) through --role-name')
    .option('--role-name <name>', 'role to assume in --via-account (default LariatResponder)')
    .option('--s3-region <region>', 'region for the trail lookup and S3 calls')
    .option('--plan', 'list and show the count and size; download nothing (default without --yes)')
    .option('--yes', 'download after planning')
    .option('--json', 'print JSON')
    .action(async (o: ConnectOpts & Record<string, string | string[] | boolean | undefined>) => {
      const input = parseInput(PlanBucketInput, {
        caseNumber: o.case,
        window: window(o as { from?: string; to?: string }),
        trail: o.trail,
        bucket: o.bucket,
        prefix: o.prefix,
        logKind: o.logKind,
        accounts: o.account,
        regions: o.region,
        digests: o.digests,
        via: o.viaAccount ? { account: o.viaAccount, roleName: o.roleName } : undefined,
        region: o.s3Region,
      });
      await connect(ctx, o, input.region);
      const d = ctx.services().acquire;
      const plan = await withProgress(ctx, 'acquire-plan', 'Listing the bucket', input.caseNumber, (job) =>
        ops.planBucketAcquisition(d, input, job),
      );
      if (!o.yes) {
        if (o.json) return printJson(ctx, plan);
        return ctx.io.out(
          `${formatBucketPlan(plan)}\nNothing was downloaded. Run it with: lariat acquire run ${plan.acquisition.id} --yes`,
        );
      }
      if (!o.json) ctx.io.out(formatBucketPlan(plan));
      await runPlanned(ctx, plan.acquisition.id, o.json as boolean | undefined);
    });

  connectOptions(
    acquire.command('run').description('run a planned acquisition (bucket, Athena setup or query), or resume an interrupted one'),
  )
    .argument('<acquisition>', 'acquisition number')
    .option('--yes', 'confirm (downloads into the vault; Athena statements run and are billed)')
    .option('--json', 'print JSON')
    .action(async (id: string, o: ConnectOpts & { yes?: boolean; json?: boolean }) => {
      const n = ref(id);
      const a = ctx.services().acquire.store.get(n);
      if (!o.yes) {
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
    .action((o: { case: string; json?: boolean }) => {
      const list = ops.listAcquisitions(ctx.services().acquire, parseInput(z.object({ c: CaseNumber }), { c: o.case }).c);
      if (o.json) return printJson(ctx, list);
      ctx.io.out(list.length ? formatAcquisitions(list) : 'No acquisitions yet.');
    });
  acquire
    .command('show <acquisition>')
    .description('one acquisition: request, objects, evidence, errors')
    .option('--json', 'print JSON')
    .action((id: string, o: { json?: boolean }) => {
      const a = ops.getAcquisition(ctx.services().acquire, ref(id));
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
      const v = await ops.validateCloudTrail(ctx.services().acquire, parseInput(z.object({ c: CaseNumber }), { c: caseNumber }).c);
      if (o.json) printJson(ctx, v);
      else ctx.io.out(formatValidation(v));
      ctx.exitCode = v.verdict === 'intact' ? 0 : v.verdict === 'tampered' ? 1 : 3;
    });

  registerFindings(program, ctx);
  registerAws(program, ctx);
  registerAthena(program, ctx);
}
