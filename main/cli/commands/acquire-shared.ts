import type { Command } from 'commander';
import * as z from 'zod';
import { Id } from '../../../common/contract/common';
import type { AcquisitionRecord } from '../../../common/contract/acquire';
import { type CliContext, printJson } from '../context';
import { collect, parseInput } from '../parse';
import { formatAcquisition } from './acquire-print';

/**
 * What every acquisition command group (acquire, findings, aws, athena) shares: option parsing
 * (account scope, the log source of a bucket or Athena table), and the plan-then-run flow. The work
 * itself goes through the one door (`ctx.op`), jobs are followed with `ctx.waitJob`.
 */

export const window = (o: { from?: string; to?: string }) => (o.from || o.to ? { from: o.from, to: o.to } : undefined);
export const first = (v: unknown): string | undefined => (Array.isArray(v) ? (v[0] as string | undefined) : undefined);

export interface ScopeOpts {
  account?: string[];
  organization?: boolean;
  roleName?: string;
  externalId?: string;
}

export function scopeOptions(c: Command): Command {
  return c
    .option('--account <id>', 'work in this account (repeatable); others than the current one through --role-name', collect)
    .option('--organization', 'work in every active account of the AWS Organization (organizations:ListAccounts)')
    .option('--role-name <name>', 'role assumed in each other account (default LariatResponder)')
    .option('--assume-external-id <id>', 'external id of that role');
}

export const scopeOf = (o: ScopeOpts & { assumeExternalId?: string }) =>
  o.account || o.organization
    ? { accounts: o.account, organization: o.organization, roleName: o.roleName, externalId: o.assumeExternalId }
    : undefined;

/** The log source of `acquire bucket` and `athena setup`: a trail, or a bucket and prefix, of one log kind. */
export function logSourceOptions(c: Command, accounts: string, regions: string): Command {
  return c
    .requiredOption('--case <case>', 'case number')
    .option('--trail <name>', 'take the bucket and prefix of this trail (cloudtrail:DescribeTrails)')
    .option('--bucket <bucket>', 'the log bucket')
    .option('--prefix <prefix>', 'key prefix before AWSLogs/')
    .option('--log-kind <kind>', 'cloudtrail (default) or vpcflowlogs')
    .option('--account <id>', accounts, collect)
    .option('--region <region>', regions, collect);
}

/** The input fields `logSourceOptions` gives, named as both contracts name them. */
export const logSourceOf = (o: Record<string, unknown>) => ({
  caseNumber: o.case,
  trail: o.trail,
  bucket: o.bucket,
  prefix: o.prefix,
  logKind: o.logKind,
  accounts: o.account,
  regions: o.region,
});

export const ref = (id: string): number =>
  parseInput(z.object({ acquisition: z.coerce.number().pipe(Id) }), { acquisition: id }).acquisition;

/** Runs a planned acquisition through its channel and waits for the job (progress on stderr). */
export async function runPlanned(ctx: CliContext, id: number, json: boolean | undefined): Promise<void> {
  const { jobId } = await ctx.op('runAcquisition', { acquisitionId: id });
  const done = await ctx.waitJob<AcquisitionRecord>(jobId);
  if (json) printJson(ctx, done);
  else ctx.io.out(formatAcquisition(done));
}

/**
 * A plan is shown and stops there without --yes (saying what was not done and how to run it);
 * with --yes it is shown, then run.
 */
export async function showPlanOrRun(
  ctx: CliContext,
  o: Record<string, unknown>,
  plan: { acquisition: { id: number } },
  text: string,
  nothing: string,
): Promise<void> {
  const json = o.json === true;
  if (!o.yes) {
    if (json) return printJson(ctx, plan);
    return ctx.io.out(`${text}\n${nothing} Run it with: lariat acquire run ${plan.acquisition.id} --yes`);
  }
  if (!json) ctx.io.out(text);
  await runPlanned(ctx, plan.acquisition.id, json);
}
