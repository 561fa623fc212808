import readline from 'node:readline';
import type { Command } from 'commander';
import type { RunbookRun } from '../../../common/contract/runbooks';
import { AppError } from '../../core/errors';
import { type CliContext, printJson, table } from '../context';
import { collect } from '../parse';

/** `--param Name=value` (repeatable; a repeated name adds values). */
function params(list: string[] = []): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const p of list) {
    const i = p.indexOf('=');
    if (i <= 0) throw new AppError('invalid-input', `--param ${p} is not Name=value.`, 'Write each parameter as --param Name=value.');
    (out[p.slice(0, i)] ??= []).push(p.slice(i + 1));
  }
  return out;
}

export function formatRun(r: RunbookRun): string {
  const lines = [
    `Runbook run #${r.id}: ${r.documentName}${r.documentVersion ? ` v${r.documentVersion}` : ''} in ${r.region}, case ${r.caseNumber}: ${r.state}${
      r.awsStatus ? ` (${r.awsStatus})` : ''
    }${r.executionId ? `, execution ${r.executionId}` : ''}`,
    `  ssm:StartAutomationExecution (IAM: ${r.iamAction}) ${JSON.stringify(r.request)}`,
  ];
  for (const s of r.steps)
    lines.push(`  ${s.status.padEnd(10)} ${s.name}${s.action ? ` (${s.action})` : ''}${s.failure ? `: ${s.failure}` : ''}`);
  if (r.outputs && Object.keys(r.outputs).length) lines.push(`  outputs ${JSON.stringify(r.outputs)}`);
  if (r.failure) lines.push(`  failure: ${r.failure}`);
  if (r.error) lines.push(`  error: ${r.error.message}`, `  hint: ${r.error.hint}`);
  if (r.evidenceIds.length) lines.push(`  evidence recorded: ${r.evidenceIds.map((i) => `#${i}`).join(', ')}`);
  return lines.join('\n');
}

async function askName(r: RunbookRun): Promise<string> {
  if (!process.stdin.isTTY)
    throw new AppError(
      'confirmation-needs-tty',
      `Runbook run #${r.id} starts ${r.documentName} in AWS and needs a typed confirmation, but standard input is not a terminal.`,
      'Run it in a terminal to type the runbook name, or pass --yes after reviewing the plan (--plan).',
    );
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await new Promise<string>((resolve) => rl.question(`Type the runbook name (${r.documentName}) to start it: `, resolve));
  } finally {
    rl.close();
  }
}

/** `lariat runbook ...`: SSM Automation runbooks from a case, planned, confirmed and followed. */
export function registerRunbookCommands(program: Command, ctx: CliContext): void {
  const cmd = program.command('runbook').description('SSM Automation runbooks: list, start (plan, confirm), status, stop');

  cmd
    .command('list')
    .description("AWS-owned and the account's Automation runbooks")
    .requiredOption('--region <region>', 'AWS region')
    .option('--owner <owner>', 'Amazon, Self or all', 'all')
    .option('--search <text>', 'keyword')
    .option('--json', 'print JSON')
    .action(async (o: { region: string; owner: string; search?: string; json?: boolean }) => {
      const list = await ctx.op('listRunbooks', { region: o.region, owner: o.owner, search: o.search });
      if (o.json) return printJson(ctx, list);
      ctx.io.out(
        table([['NAME', 'OWNER', 'CHANGES RESOURCES'], ...list.map((d) => [d.name, d.ownedBy, d.changesResources ? 'yes' : 'no'])]),
      );
    });

  cmd
    .command('start')
    .description('plan a run (DescribeDocument checks the parameters), show the exact request, then start it once confirmed')
    .option('--case <case>', 'case number')
    .option('--region <region>', 'AWS region')
    .option('--document <name>', 'runbook name, e.g. AWSSupport-ContainEC2Instance')
    .option('--version <v>', 'document version ($DEFAULT, $LATEST or a number)')
    .option('--param <Name=value>', 'runbook parameter (repeatable)', collect)
    .option('--plan', 'only plan: print the request and stop (start it later with --run N --yes)')
    .option('--run <id>', 'start a run planned earlier instead of planning a new one')
    .option('--yes', 'do not ask for the typed confirmation (after reviewing the plan)')
    .option('--json', 'print JSON')
    .action(
      async (o: {
        case?: string;
        region?: string;
        document?: string;
        version?: string;
        param?: string[];
        plan?: boolean;
        run?: string;
        yes?: boolean;
        json?: boolean;
      }) => {
        const run = o.run
          ? await ctx.op('getRunbookRun', { runId: Number(o.run) })
          : await ctx.op('planRunbook', {
              caseNumber: o.case,
              region: o.region,
              documentName: o.document,
              documentVersion: o.version,
              parameters: params(o.param),
            });
        if (o.plan)
          return o.json ? printJson(ctx, run) : ctx.io.out(`${formatRun(run)}\nStart it with: lariat runbook start --run ${run.id} --yes`);
        if (!o.json) ctx.io.out(formatRun(run));
        const confirm = o.yes ? run.documentName : await askName(run);
        const { jobId } = await ctx.op('startRunbook', { runId: run.id, confirmDocumentName: confirm });
        const done = await ctx.waitJob<RunbookRun>(jobId);
        if (done.state === 'failed') ctx.exitCode = 1;
        if (o.json) return printJson(ctx, done);
        ctx.io.out(formatRun(done));
      },
    );

  cmd
    .command('status')
    .description('runs of a case, or one run refreshed from AWS (--run N); --follow waits for it to end')
    .option('--case <case>', 'case number')
    .option('--run <id>', 'run id')
    .option('--follow', 'follow the run until it ends (after a restart)')
    .option('--json', 'print JSON')
    .action(async (o: { case?: string; run?: string; follow?: boolean; json?: boolean }) => {
      if (o.run) {
        const ref = { runId: Number(o.run) };
        const r = o.follow ? await ctx.waitJob<RunbookRun>((await ctx.op('followRunbook', ref)).jobId) : await ctx.op('runbookStatus', ref);
        return o.json ? printJson(ctx, r) : ctx.io.out(formatRun(r));
      }
      if (!o.case) throw new AppError('invalid-input', 'Give --case C or --run N.', 'Run `lariat runbook status --help`.');
      const runs = await ctx.op('listRunbookRuns', { caseNumber: o.case });
      if (o.json) return printJson(ctx, runs);
      if (runs.length === 0) return ctx.io.out('No runbook runs in this case.');
      ctx.io.out(runs.map(formatRun).join('\n'));
    });

  cmd
    .command('stop')
    .description('stop a running runbook (StopAutomationExecution)')
    .requiredOption('--run <id>', 'run id')
    .option('--json', 'print JSON')
    .action(async (o: { run: string; json?: boolean }) => {
      const r = await ctx.op('stopRunbook', { runId: Number(o.run) });
      if (o.json) return printJson(ctx, r);
      ctx.io.out(formatRun(r));
    });
}
