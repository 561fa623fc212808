import type { Command } from 'commander';
import type { PullFindingsResult } from '../../../common/contract/acquire';
import { type CliContext, printJson } from '../context';
import { collect } from '../parse';
import { type ConnectOpts, connect, connectOptions } from './respond-shared';
import { formatInbox } from './acquire-print';
import { type ScopeOpts, first, scopeOf, scopeOptions, window } from './acquire-shared';

/** `lariat findings pull|inbox|triage|open|attach`: the findings inbox from the command line. */

/**
 * Options of a `findings` subcommand. `lariat findings <case>` (the timeline's) has --json, --severity and
 * --type too; the program reads a command's options only before its subcommand's name (main.ts), so the
 * subcommand's own are its own (`test/unit/foundation/cli-option-owners.test.ts`).
 */
function own<T>(cmd: Command): T {
  return cmd.opts() as T;
}

export function registerFindings(program: Command, ctx: CliContext): void {
  const findings = program.commands.find((c) => c.name() === 'findings') ?? program.command('findings');
  scopeOptions(connectOptions(findings.command('pull').description('pull GuardDuty and Security Hub findings into the inbox')))
    .option('--case <case>', "pull from the case's regions (and accounts)")
    .option('--region <region>', 'region (repeatable)', collect)
    .option('--source <source>', 'guardduty or securityhub (repeatable); default both', collect)
    .option('--severity <label>', 'minimum severity: low, medium, high, critical')
    .option('--type <type>', 'finding type (repeatable; Security Hub: prefix)', collect)
    .option('--resource <id>', 'only findings naming this resource (instance id, bucket, key id, ARN)')
    .option('--from <time>', 'only findings updated since')
    .option('--to <time>', 'only findings updated before')
    .option('--json', 'print JSON')
    .action(async (_o: unknown, cmd: Command) => {
      const o = own<ConnectOpts & ScopeOpts & Record<string, string | string[] | boolean | undefined>>(cmd);
      await connect(ctx, o, first(o.region));
      const { jobId } = await ctx.op('pullFindings', {
        caseNumber: o.case,
        regions: o.region,
        sources: o.source,
        severity: o.severity,
        types: typeof o.type === 'string' ? [o.type] : o.type,
        resource: o.resource,
        window: window(o as { from?: string; to?: string }),
        scope: scopeOf(o),
      });
      const r = await ctx.waitJob<PullFindingsResult>(jobId);
      if (o.json) return printJson(ctx, r);
      for (const p of r.places) if (p.error) ctx.io.err(`warning: ${p.source} ${p.account} ${p.region}: ${p.error}`);
      ctx.io.out(`${r.pulled} findings pulled: ${r.new} new, ${r.updated} updated in AWS. See them with: lariat findings inbox`);
    });
  findings
    .command('inbox')
    .description('the findings inbox, most severe first')
    .option('--state <state>', 'new, triaged, in-case, dismissed (repeatable)', collect)
    .option('--severity <label>', 'minimum severity')
    .option('--source <source>', 'guardduty or securityhub')
    .option('--search <text>', 'in title, type, resource, id, account')
    .option('--json', 'print JSON')
    .action(async (_o: unknown, cmd: Command) => {
      const o = own<{ state?: string[]; severity?: string; source?: string; search?: string; json?: boolean }>(cmd);
      const list = await ctx.op('listInbox', { states: o.state, severity: o.severity, source: o.source, search: o.search });
      if (o.json) return printJson(ctx, list);
      ctx.io.out(formatInbox(list));
    });
  findings
    .command('triage <inboxId>')
    .description('set the local triage state of an inbox finding')
    .requiredOption('--state <state>', 'new, triaged or dismissed')
    .option('--note <text>', 'why')
    .option('--json', 'print JSON')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const o = own<{ state: string; note?: string; json?: boolean }>(cmd);
      const item = await ctx.op('triageFinding', { inboxId: Number(id), state: o.state, note: o.note });
      if (o.json) return printJson(ctx, item);
      ctx.io.out(`Finding ${item.id} is now ${item.state}.`);
    });
  findings
    .command('open <inboxId>')
    .description('open a case from an inbox finding (its JSON acquired as evidence and imported)')
    .option('--title <title>', 'case title (default: the finding title)')
    .option('--json', 'print JSON')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const o = own<{ title?: string; json?: boolean }>(cmd);
      const r = await ctx.op('openCaseFromInbox', { inboxId: Number(id), title: o.title });
      if (o.json) return printJson(ctx, r);
      ctx.io.out(`Opened ${r.case.number} "${r.case.title}"; the finding is evidence ${r.evidenceId}.`);
    });
  findings
    .command('attach <inboxId>')
    .description('attach an inbox finding to a case (its JSON acquired as evidence and imported)')
    .requiredOption('--case <case>', 'case number')
    .option('--json', 'print JSON')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const o = own<{ case: string; json?: boolean }>(cmd);
      const r = await ctx.op('attachInboxFinding', { inboxId: Number(id), caseNumber: o.case });
      if (o.json) return printJson(ctx, r);
      ctx.io.out(`Attached to ${r.case.number}; the finding is evidence ${r.evidenceId}.`);
    });
}
