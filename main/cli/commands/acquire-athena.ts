import type { Command } from 'commander';
import { type CliContext, printJson } from '../context';
import { collect } from '../parse';
import { type ConnectOpts, connect, connectOptions } from './respond-shared';
import { formatQueryPlan, formatSetupPlan } from './acquire-print';
import { logSourceOf, logSourceOptions, showPlanOrRun, window } from './acquire-shared';

/** `lariat athena setup|query|playbook`: planned, costed Athena work over trail and flow-log buckets. */

export function registerAthena(program: Command, ctx: CliContext): void {
  const athena = program.command('athena').description('query a trail or flow-log bucket in Athena, results as evidence');
  logSourceOptions(
    connectOptions(athena.command('setup').description('plan (and with --yes create) an Athena database and partition-projected table')),
    'account partition values (repeatable); default: found in the bucket',
    'region partition values (repeatable); default: the case regions',
  )
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
      await connect(ctx, o, o.athenaRegion as string | undefined);
      const plan = await ctx.op('planAthenaSetup', {
        ...logSourceOf(o),
        organizationId: o.orgId,
        database: o.database,
        table: o.table,
        workgroup: o.workgroup,
        outputLocation: o.output,
        since: o.since,
        region: o.athenaRegion,
      });
      await showPlanOrRun(ctx, o, plan, formatSetupPlan(plan), 'Nothing was created.');
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
      await connect(ctx, o, undefined);
      const plan = await ctx.op('planAthenaQuery', {
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
      await showPlanOrRun(ctx, o, plan, formatQueryPlan(plan), 'Nothing was run.');
    });
  athena
    .command('playbook')
    .description('the incident response queries Lariat can run')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const list = await ctx.op('listAthenaPlaybook', {});
      if (o.json) return printJson(ctx, list);
      for (const q of list)
        ctx.io.out(
          `${q.id.padEnd(28)} ${q.logKind.padEnd(12)} ${q.params.length ? `[${q.params.map((p) => `--param ${p}=...`).join(' ')}] ` : ''}${q.title}`,
        );
    });
}
