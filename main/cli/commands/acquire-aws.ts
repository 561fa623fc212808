import type { Command } from 'commander';
import { AccountScope, CoverageInput } from '../../../common/contract/acquire';
import { type CliContext, printJson } from '../context';
import { parseInput } from '../parse';
import { type ConnectOpts, connect, connectOptions } from './respond-shared';
import { formatCoverage } from './acquire-print';
import { type ScopeOpts, collect, ops, scopeOf, scopeOptions, withProgress } from './acquire-shared';

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
      const scope = parseInput(AccountScope, scopeOf(o) ?? {});
      await connect(ctx, o, undefined);
      const list = await ops.listAwsAccounts(ctx.services().acquire, scope);
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
      const input = parseInput(CoverageInput, { caseNumber: o.case, regions: o.region, scope: scopeOf(o) });
      await connect(ctx, o, input.regions?.[0]);
      const d = ctx.services().acquire;
      const map = await withProgress(ctx, 'acquire-coverage', 'Logging coverage', input.caseNumber ?? null, (job) =>
        ops.loggingCoverage(d, input, job),
      );
      if (o.json) return printJson(ctx, map);
      ctx.io.out(formatCoverage(map));
    });
}
