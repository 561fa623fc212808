import type { Command } from 'commander';
import { AssetKind } from '../../../common/contract/assets';
import { type CliContext, printJson, table } from '../context';
import { NOTE_BODY_FILE, readInputText } from '../input-file';

/** Reads a note body from a file named on the command line, or from standard input for `-`. */
/**
 * The rest of a case's workspace from a terminal: tasks, notes and assets. Each command is one
 * operation of the app (`addTask`, `listNotes`...) reached through `ctx.op`, so the same input is
 * refused or recorded in the same way, with the same activity-log entries.
 */
export function registerWorkspaceCommands(program: Command, ctx: CliContext): void {
  const task = program.command('task').description('tasks of a case: add, list, mark done');
  task
    .command('add <case> <title>')
    .description('add a task (status todo)')
    .option('--assignee <name>', 'who does it')
    .option('--due <date>', 'due date, YYYY-MM-DD')
    .option('--json', 'print the task as JSON')
    .action(async (caseNumber: string, title: string, o: { assignee?: string; due?: string; json?: boolean }) => {
      const t = await ctx.op('addTask', { caseNumber, title, assignee: o.assignee, dueDate: o.due });
      if (o.json) return printJson(ctx, t);
      ctx.io.out(`task ${t.id} added to ${t.caseNumber}: ${t.title}`);
    });
  task
    .command('list <case>')
    .description('list the tasks of a case, open ones first')
    .option('--open', 'only tasks not done')
    .option('--json', 'print JSON')
    .action(async (caseNumber: string, o: { open?: boolean; json?: boolean }) => {
      const tasks = (await ctx.op('listTasks', { caseNumber })).filter((t) => !o.open || t.status !== 'done');
      if (o.json) return printJson(ctx, tasks);
      if (tasks.length === 0) return ctx.io.out(`No tasks. Add one with: lariat task add ${caseNumber.toUpperCase()} "..."`);
      ctx.io.out(
        table([
          ['ID', 'STATUS', 'DUE', 'ASSIGNEE', 'TITLE'],
          ...tasks.map((t) => [String(t.id), t.status, t.dueDate ?? '', t.assignee, t.title]),
        ]),
      );
    });
  task
    .command('done <case> <id>')
    .description('mark a task done')
    .option('--json', 'print the task as JSON')
    .action(async (caseNumber: string, id: string, o: { json?: boolean }) => {
      const t = await ctx.op('updateTask', { caseNumber, taskId: Number(id), patch: { status: 'done' } });
      if (o.json) return printJson(ctx, t);
      ctx.io.out(`task ${t.id} done: ${t.title}`);
    });

  const note = program.command('note').description('Markdown notes of a case: add, list');
  note
    .command('add <case>')
    .description('add a Markdown note (body from --body, or from a file with --body-file, - for standard input)')
    .requiredOption(
      '--title <title>',
      'note title (titles starting "Scope", "Lessons learned" or "Limitations" feed those report sections)',
    )
    .option('--body <text>', 'the note, in Markdown')
    .option('--body-file <file>', 'read the note from a file, or - for standard input')
    .option('--json', 'print the note as JSON')
    .action(async (caseNumber: string, o: { title: string; body?: string; bodyFile?: string; json?: boolean }) => {
      const body = o.bodyFile ? await readInputText(o.bodyFile, NOTE_BODY_FILE) : (o.body ?? '');
      const n = await ctx.op('addNote', { caseNumber, title: o.title, body });
      if (o.json) return printJson(ctx, n);
      ctx.io.out(`note ${n.id} added to ${n.caseNumber}: ${n.title}`);
    });
  note
    .command('list <case>')
    .description('list the notes of a case, newest first')
    .option('--full', 'print each note in full')
    .option('--json', 'print JSON')
    .action(async (caseNumber: string, o: { full?: boolean; json?: boolean }) => {
      const notes = await ctx.op('listNotes', { caseNumber });
      if (o.json) return printJson(ctx, notes);
      if (notes.length === 0)
        return ctx.io.out(`No notes. Add one with: lariat note add ${caseNumber.toUpperCase()} --title "..." --body "..."`);
      if (!o.full) {
        return ctx.io.out(
          table([
            ['ID', 'WRITTEN (UTC)', 'AUTHOR', 'TITLE'],
            ...notes.map((n) => [String(n.id), n.createdAt.slice(0, 16).replace('T', ' '), n.author, n.title]),
          ]),
        );
      }
      ctx.io.out(notes.map((n) => `# ${n.title}\n${n.author}, ${n.createdAt}\n\n${n.body}`).join('\n\n---\n\n'));
    });

  const asset = program.command('asset').description('assets of a case (instances, keys, principals, buckets, IPs, domains): add, list');
  asset
    .command('add <case> <kind> <identifier>')
    .description(`add an asset (or update the one with the same kind and identifier); kind: ${AssetKind.options.join(', ')}`)
    .option('--label <text>', 'a readable name, e.g. web-1')
    .option('--account <id>', 'AWS account id')
    .option('--region <region>', 'AWS region')
    .option('--json', 'print the asset as JSON')
    .action(
      async (
        caseNumber: string,
        kind: string,
        identifier: string,
        o: { label?: string; account?: string; region?: string; json?: boolean },
      ) => {
        const a = await ctx.op('addAsset', { caseNumber, kind, identifier, label: o.label, account: o.account, region: o.region });
        if (o.json) return printJson(ctx, a);
        ctx.io.out(`asset ${a.id} in ${a.caseNumber}: ${a.kind} ${a.identifier}`);
      },
    );
  asset
    .command('list <case>')
    .description('list the assets of a case')
    .option('--kind <kind>', `only one kind: ${AssetKind.options.join(', ')}`)
    .option('--json', 'print JSON')
    .action(async (caseNumber: string, o: { kind?: string; json?: boolean }) => {
      const assets = await ctx.op('listAssets', { caseNumber, kind: o.kind });
      if (o.json) return printJson(ctx, assets);
      if (assets.length === 0)
        return ctx.io.out(`No assets. Add one with: lariat asset add ${caseNumber.toUpperCase()} ec2-instance i-0123456789abcdef0`);
      ctx.io.out(
        table([
          ['ID', 'KIND', 'IDENTIFIER', 'LABEL', 'ACCOUNT/REGION', 'STATE'],
          ...assets.map((a) => [
            String(a.id),
            a.kind,
            a.identifier,
            a.label,
            [a.account, a.region].filter(Boolean).join(' '),
            assetState(a.details),
          ]),
        ]),
      );
    });
}

/** Isolation state for instances (set by response actions), else the instance state a finding or discovery recorded. */
function assetState(details: Record<string, unknown>): string {
  const isolation = typeof details.isolation === 'string' ? details.isolation : '';
  const state = typeof details.state === 'string' ? details.state : '';
  return [isolation, state].filter(Boolean).join(', ');
}
