import type { Command } from 'commander';
import { type CliContext, printJson } from '../context';
import { collect } from '../parse';
import { type ConnectOpts, connect, connectOptions } from './respond-shared';
import { formatCoverage } from './acquire-print';
import { type ScopeOpts, first, scopeOf, scopeOptions } from './acquire-shared';

/** `lariat aws accounts|coverage`: which accounts Lariat reaches and what they log. */

export function registerAws(program: Command, ctx: CliContext): void {
  const aws = program.commands.find((c) => c.name() === 'aws') ?? program.command('aws');
  scopeOptions(
    connectOptions(
      aws.command('accounts').description('the accounts Lariat works in (a list or the Organization) and how it reaches each'),
    ),
  )
    .option('--json', 'print JSON')
    .action(async (o: ConnectOpts & ScopeOpts & { assumeExternalId?: string; json?: boolean }) => {
      await connect(ctx, o, undefined);
      const list = await ctx.op('listAwsAccounts', scopeOf(o) ?? {});
      if (o.json) return printJson(ctx, list);
      for (const a of list) ctx.io.out(`${a.account}  ${a.name ?? ''}  ${a.error ? `NOT REACHED: ${a.error}` : `via ${a.via}`}`);
    });
  scopeOptions(
    connectOptions(
      aws
        .command('coverage')
        .description('logging coverage per account and region: trails, validation, data events, flow logs, GuardDuty, Security Hub'),
    ),
  )
    .option('--case <case>', "the case's regions and accounts; the map is saved to it as evidence")
    .option('--region <region>', 'region (repeatable)', collect)
    .option('--json', 'print JSON')
    .action(async (o: ConnectOpts & ScopeOpts & { case?: string; region?: string[]; json?: boolean }) => {
      await connect(ctx, o, first(o.region));
      const map = await ctx.op('loggingCoverage', { caseNumber: o.case, regions: o.region, scope: scopeOf(o) });
      if (o.json) return printJson(ctx, map);
      ctx.io.out(formatCoverage(map));
    });
}
