import type { Command } from 'commander';
import { CaseRef } from '../../../common/contract/cases';
import { type CliContext, printJson, table } from '../context';
import { parseInput } from '../parse';

/** `lariat task list <case>`: the case's tasks (those a plan created included). */
export function registerTaskCommands(program: Command, ctx: CliContext): void {
  const cmd = program.command('task').description('tasks of a case');
  cmd
    .command('list <case>')
    .description('list the tasks of a case')
    .option('--json', 'print JSON')
    .action((caseNumber: string, o: { json?: boolean }) => {
      const tasks = ctx.services().tasks.list(parseInput(CaseRef, { caseNumber }).caseNumber);
      if (o.json) return printJson(ctx, tasks);
      if (tasks.length === 0) return ctx.io.out('No tasks.');
      ctx.io.out(
        table([
          ['ID', 'STATUS', 'DUE', 'ASSIGNEE', 'TITLE'],
          ...tasks.map((t) => [String(t.id), t.status, t.dueDate ?? '', t.assignee, t.title]),
        ]),
      );
    });
}
