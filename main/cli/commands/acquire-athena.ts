import type { Command } from 'commander';
import { AthenaQueryInput, AthenaSetupInput } from '../../../common/contract/acquire';
import { type CliContext, printJson } from '../context';
import { parseInput } from '../parse';
import { type ConnectOpts, connect, connectOptions } from './respond-shared';
import { formatQueryPlan, formatSetupPlan } from './acquire-print';

import { collect, ops, runPlanned, window, withProgress } from './acquire-shared';

/** `lariat athena setup|query|playbook`: planned, costed Athena work over trail and flow-log buckets. */

export function registerAthena(program: Command, ctx: CliContext): void {
  const athena = program.command('athena').description('query a trail or flow-log bucket in Athena, results as evidence');
  connectOptions(athena.command('setup').description('plan (and with --yes create) an Athena database and partition-projected table'))
    .requiredOption('--case <case>', 'case number')
    .option('--trail <name>', 'the trail whose bucket to query')
    .option('--bucket <bucket>', 'the log bucket')
    .option('--prefix <prefix>', 'key prefix before AWSLogs/')
    .option('--log-kind <kind>', 'cloudtrail (default) or vpcflowlogs')
    .option('--account <id>', 'account partition values (repeatable); default: found in the bucket', collect)
    .option('--region <region>', 'region partition values (repeatable); default: the case regions', collect)
    .option('--org-id <id>', 'organization id of an organization trail (default: found in the bucket)')
    .option('--database <name>', 'Athena database (default lariat_ir)')
    .option('--table <name>', 'table name')
    .option('--workgroup <name>', 'workgroup (default primary)')
    .option('--output <s3uri>', 'query result location when the workgroup has none')
    .option('--since <date>', 'first day of the projected range (default two years ago)')
    .option('--athena-region <region>', 'region of Athena and the S3 calls')
    .option('--plan', 'show the DDL and stop (default without --yes)')
    .option('--yes', 'run the DDL after planning')
    .option('--json', 'print JSON')
    .action(async (o: ConnectOpts & Record<string, string | string[] | boolean | undefined>) => {
      const input = parseInput(AthenaSetupInput, {
        caseNumber: o.case,
        logKind: o.logKind,
        trail: o.trail,
        bucket: o.bucket,
        prefix: o.prefix,
        accounts: o.account,
        regions: o.region,
        organizationId: o.orgId,
        database: o.database,
        table: o.table,
        workgroup: o.workgroup,
        outputLocation: o.output,
        since: o.since,
        region: o.athenaRegion,
      });
      await connect(ctx, o, input.region);
      const d = ctx.services().acquire;
      const plan = await ops.planAthenaSetup(d, input);
      if (!o.yes) {
        if (o.json) return printJson(ctx, plan);
        return ctx.io.out(`${formatSetupPlan(plan)}\nNothing was created. Run it with: lariat acquire run ${plan.acquisition.id} --yes`);
      }
      if (!o.json) ctx.io.out(formatSetupPlan(plan));
      await runPlanned(ctx, plan.acquisition.id, o.json as boolean | undefined);
    });
  connectOptions(
    athena.command('query').description('plan (estimate bytes and cost) and with --yes run a playbook query or your own SELECT'),
  )
    .requiredOption('--case <case>', 'case number')
    .requiredOption('--setup <acquisition>', 'the Athena setup (acquisition number) whose table to query')
    .option('--playbook <id>', 'a playbook query (lariat athena playbook)')
    .option('--param <name=value>', 'a playbook parameter (repeatable)', collect)
    .option('--sql <select>', 'your own SELECT; use {{table}} and {{partitions}} (and {{window}})')
    .option('--full-scan', 'accept a query that does not restrict the partitions')
    .requiredOption('--from <time>', 'UTC start')
    .requiredOption('--to <time>', 'UTC end')
    .option('--account <id>', 'only these accounts (repeatable)', collect)
    .option('--region <region>', 'only these regions (repeatable)', collect)
    .option('--no-import', 'do not import event rows into the timeline')
    .option('--plan', 'show the SQL and estimate and stop (default without --yes)')
    .option('--yes', 'run the query after planning')
    .option('--json', 'print JSON')
    .action(async (o: ConnectOpts & Record<string, string | string[] | boolean | undefined>) => {
      const params = Object.fromEntries(
        ((o.param as string[] | undefined) ?? []).map((p) => [p.slice(0, Math.max(0, p.indexOf('='))), p.slice(p.indexOf('=') + 1)]),
      );
      const input = parseInput(AthenaQueryInput, {
        caseNumber: o.case,
        setupId: Number(o.setup),
        playbook: o.playbook,
        sql: o.sql,
        params,
        window: window(o as { from?: string; to?: string }),
        accounts: o.account,
        regions: o.region,
        fullScan: o.fullScan,
        importEvents: o.import,
      });
      await connect(ctx, o, undefined);
      const d = ctx.services().acquire;
      const plan = await withProgress(ctx, 'acquire-athena-plan', 'Estimating the scan', input.caseNumber, (job) =>
        ops.planAthenaQuery(d, input, job),
      );
      if (!o.yes) {
        if (o.json) return printJson(ctx, plan);
        return ctx.io.out(`${formatQueryPlan(plan)}\nNothing was run. Run it with: lariat acquire run ${plan.acquisition.id} --yes`);
      }
      if (!o.json) ctx.io.out(formatQueryPlan(plan));
      await runPlanned(ctx, plan.acquisition.id, o.json as boolean | undefined);
    });
  athena
    .command('playbook')
    .description('the incident response queries Lariat can run')
    .option('--json', 'print JSON')
    .action((o: { json?: boolean }) => {
      const list = ops.listAthenaPlaybook();
      if (o.json) return printJson(ctx, list);
      for (const q of list)
        ctx.io.out(
          `${q.id.padEnd(28)} ${q.logKind.padEnd(12)} ${q.params.length ? `[${q.params.map((p) => `--param ${p}=...`).join(' ')}] ` : ''}${q.title}`,
        );
    });
}
