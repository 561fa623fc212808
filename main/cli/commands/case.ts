import type { Command } from 'commander';
import type { CaseRecord } from '../../../common/contract/cases';
import { type CliContext, printJson, table } from '../context';
import { collectList } from '../parse';

export function registerCaseCommands(program: Command, ctx: CliContext): void {
  const cmd = program.command('case').description('open, list, inspect, change and close cases');

  cmd
    .command('new')
    .description('open a new case and print its number')
    .requiredOption('--title <title>', 'short title of the incident')
    .option('--severity <severity>', "low, medium, high or critical (default medium, or the plan's)")
    .option('--plan <name>', 'start from a response plan or playbook: its defaults and tasks (lariat plan list)')
    .option('--tlp <tlp>', 'clear, green, amber, amber+strict or red')
    .option('--summary <text>', 'summary of what is known')
    .option('--lead <name>', 'lead investigator')
    .option('--account <id>', 'AWS account in scope (repeatable or comma-separated)', collectList)
    .option('--region <region>', 'AWS region in scope (repeatable or comma-separated)', collectList)
    .option('--tag <tag>', 'tag (repeatable or comma-separated)', collectList)
    .option('--json', 'print the case as JSON')
    .action(async ({ plan, ...o }: CaseFieldOptions & { title: string; plan?: string }) => {
      // Without a plan the severity defaults here; with one, the plan's default applies.
      const fields = caseFieldsOf(o);
      const record = plan
        ? await ctx.op('createCaseFromPlan', { ...fields, plan })
        : await ctx.op('createCase', { ...fields, severity: fields.severity ?? 'medium' });
      if (o.json) printJson(ctx, record);
      else ctx.io.out(record.number);
    });

  cmd
    .command('list')
    .description('list cases, newest first')
    .option('--search <text>', 'match number, title, summary, lead or tags')
    .option('--status <status>', 'open, contained, eradicated, recovered or closed')
    .option('--severity <severity>', 'low, medium, high or critical')
    .option('--json', 'print JSON')
    .action(async (o: { search?: string; status?: string; severity?: string; json?: boolean }) => {
      const cases = await ctx.op('listCases', { search: o.search, status: o.status, severity: o.severity });
      if (o.json) return printJson(ctx, cases);
      if (cases.length === 0) return ctx.io.out('No cases yet. Open one with: lariat case new --title "..."');
      ctx.io.out(
        table([
          ['NUMBER', 'SEVERITY', 'STATUS', 'TLP', 'OPENED (UTC)', 'TITLE'],
          ...cases.map((c) => [c.number, c.severity, c.status, c.tlp.toUpperCase(), c.openedAt.slice(0, 16).replace('T', ' '), c.title]),
        ]),
      );
    });

  cmd
    .command('show <case>')
    .description('show one case')
    .option('--json', 'print JSON')
    .action(async (number: string, o: { json?: boolean }) => {
      const c = await ctx.op('getCase', { caseNumber: number });
      if (o.json) return printJson(ctx, c);
      ctx.io.out(
        [
          `${c.number}  ${c.title}`,
          `severity ${c.severity}, status ${c.status}, TLP:${c.tlp.toUpperCase()}${c.readOnly ? ', read-only (received)' : ''}`,
          `opened ${c.openedAt}${c.closedAt ? `, closed ${c.closedAt}` : ''}`,
          c.lead ? `lead ${c.lead}` : '',
          c.accounts.length ? `accounts ${c.accounts.join(', ')}` : '',
          c.regions.length ? `regions ${c.regions.join(', ')}` : '',
          c.summary,
        ]
          .filter(Boolean)
          .join('\n'),
      );
    });

  cmd
    .command('update <case>')
    .description('change case fields; lists (--account, --region, --tag) replace the recorded ones')
    .option('--title <title>', 'short title of the incident')
    .option('--severity <severity>', 'low, medium, high or critical')
    .option('--status <status>', 'open, contained, eradicated, recovered or closed (closing stamps the closed time)')
    .option('--tlp <tlp>', 'clear, green, amber, amber+strict or red')
    .option('--summary <text>', 'summary of what is known (Markdown)')
    .option('--lead <name>', 'lead investigator')
    .option('--account <id>', 'AWS accounts in scope (repeatable or comma-separated)', collectList)
    .option('--region <region>', 'AWS regions in scope (repeatable or comma-separated)', collectList)
    .option('--tag <tag>', 'tags (repeatable or comma-separated)', collectList)
    .option('--json', 'print the case as JSON')
    .action(async (number: string, o: CaseFieldOptions & { status?: string }) => {
      printCase(ctx, await ctx.op('updateCase', { caseNumber: number, patch: dropUndefined(caseFieldsOf(o)) }), o.json);
    });

  cmd
    .command('close <case>')
    .description('close a case (status closed, closed time stamped); reopen with `case update <case> --status open`')
    .option('--json', 'print the case as JSON')
    .action(async (number: string, o: { json?: boolean }) => {
      printCase(ctx, await ctx.op('updateCase', { caseNumber: number, patch: { status: 'closed' } }), o.json);
    });
}

/** The case fields `case new` and `case update` both take; the list options are singular because they repeat. */
interface CaseFieldOptions {
  title?: string;
  severity?: string;
  tlp?: string;
  summary?: string;
  lead?: string;
  account?: string[];
  region?: string[];
  tag?: string[];
  json?: boolean;
}

/** The options as the contracts name the fields (plural lists), without `--json`, which is the CLI's own. */
function caseFieldsOf<O extends CaseFieldOptions>({ json: _json, account, region, tag, ...fields }: O) {
  return { ...fields, accounts: account, regions: region, tags: tag };
}

/** Options not given are left out, so the contract's "nothing to change" check sees only what was typed. */
function dropUndefined<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function printCase(ctx: CliContext, c: CaseRecord, json: boolean | undefined): void {
  if (json) return printJson(ctx, c);
  ctx.io.out(
    `${c.number}  ${c.title}\nseverity ${c.severity}, status ${c.status}, TLP:${c.tlp.toUpperCase()}${c.closedAt ? `, closed ${c.closedAt}` : ''}`,
  );
}
