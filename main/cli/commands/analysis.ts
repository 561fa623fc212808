import type { Command } from 'commander';
import type { AnalysisView } from '../../../common/contract/analysis';
import { formatDuration } from '../../analysis/metrics';
import { writeOutputFile } from '../output-file';
import { type CliContext, printJson } from '../context';

function formatAnalysis(v: AnalysisView): string {
  const lines = [`${v.caseNumber}: ${v.resolved ? 'resolved' : 'not resolved'} (${v.resolvedReason})`];
  for (const m of v.metrics) lines.push(`${m.title.padEnd(20)} ${formatDuration(m.seconds)}`);
  for (const [k, m] of Object.entries(v.moments)) lines.push(`  ${k.padEnd(15)} ${m.at ?? '—'}  (${m.basis})`);
  const a = v.analysis;
  if (!a) {
    lines.push(
      v.resolved ? 'No analysis yet: lariat analysis create --case ' + v.caseNumber : 'The analysis opens once the case is resolved.',
    );
    return lines.join('\n');
  }
  lines.push(`\n${a.templateTitle}, edited ${a.updatedAt}`);
  const answered = a.questions.filter((q) => q.answer.trim()).length;
  lines.push(
    `questions answered: ${answered}/${a.questions.length}; checklist: ${a.checklist.filter((c) => c.done).length}/${a.checklist.length}`,
  );
  lines.push(
    `key events: ${a.keyEvents.length}; action items: ${v.actionItems.map((t) => `#${t.id} ${t.title} (${t.assignee}, due ${t.dueDate})`).join('; ') || 'none'}`,
  );
  for (const q of a.questions) lines.push(`- [${q.id}] ${q.question}${q.answer.trim() ? `\n    ${q.answer.trim()}` : ''}`);
  return lines.join('\n');
}

/** `lariat analysis ...`: the post-incident analysis of a resolved case. */
export function registerAnalysisCommands(program: Command, ctx: CliContext): void {
  const cmd = program.command('analysis').description('post-incident analysis: show, create, answer, action items, export');

  cmd
    .command('show')
    .description('metrics computed from the case, and the analysis')
    .requiredOption('--case <case>', 'case number')
    .option('--json', 'print JSON')
    .action(async (o: { case: string; json?: boolean }) => {
      const v = await ctx.op('getAnalysis', { caseNumber: o.case });
      if (o.json) return printJson(ctx, v);
      ctx.io.out(formatAnalysis(v));
    });

  cmd
    .command('create')
    .description('start the analysis of a resolved case from a template')
    .requiredOption('--case <case>', 'case number')
    .option('--template <name>', 'template name', 'default')
    .option('--json', 'print JSON')
    .action(async (o: { case: string; template: string; json?: boolean }) => {
      const v = await ctx.op('createAnalysis', { caseNumber: o.case, template: o.template });
      if (o.json) return printJson(ctx, v);
      ctx.io.out(formatAnalysis(v));
    });

  cmd
    .command('answer')
    .description('answer a question (ids: lariat analysis show), or tick a checklist item (--done ID)')
    .requiredOption('--case <case>', 'case number')
    .option('--question <id>', 'question id')
    .option('--text <text>', 'the answer')
    .option('--done <id>', 'checklist item id to tick')
    .action(async (o: { case: string; question?: string; text?: string; done?: string }) => {
      const v = await ctx.op('updateAnalysis', {
        caseNumber: o.case,
        patch: {
          ...(o.question ? { answers: [{ id: o.question, answer: o.text ?? '' }] } : {}),
          ...(o.done ? { checklist: [{ id: o.done, done: true }] } : {}),
        },
      });
      ctx.io.out(formatAnalysis(v));
    });

  cmd
    .command('action-item')
    .description('add an action item: a case task with an owner and a due date')
    .requiredOption('--case <case>', 'case number')
    .requiredOption('--title <title>', 'what must be done')
    .requiredOption('--owner <name>', 'who owns it')
    .requiredOption('--due <date>', 'due date, e.g. 2026-12-31')
    .action(async (o: { case: string; title: string; owner: string; due: string }) => {
      const v = await ctx.op('addAnalysisActionItem', { caseNumber: o.case, title: o.title, owner: o.owner, dueDate: o.due });
      ctx.io.out(formatAnalysis(v));
    });

  cmd
    .command('export')
    .description('the analysis as Markdown (default) or JSON, to stdout or --out FILE')
    .requiredOption('--case <case>', 'case number')
    .option('--format <format>', 'markdown or json', 'markdown')
    .option('--out <file>', 'write to this file')
    .action(async (o: { case: string; format: string; out?: string }) => {
      const r = await ctx.op('exportAnalysis', { caseNumber: o.case, format: o.format });
      if (!o.out) return ctx.io.out(r.text.trimEnd());
      const written = await writeOutputFile(o.out, r.text, { what: 'The analysis' });
      ctx.io.out(`Wrote ${written}.`);
    });
}
