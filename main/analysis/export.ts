import type { CaseRecord } from '../../common/contract/cases';
import type { AnalysisView } from '../../common/contract/analysis';
import { formatDuration } from './metrics';

/** Escapes what Markdown would read as structure in a table cell or a line. */
const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

/** The analysis as Markdown: a file to attach to a ticket or a lessons-learned page. */
export function analysisMarkdown(c: CaseRecord, v: AnalysisView): string {
  const a = v.analysis!;
  const lines: string[] = [
    `# Post-incident analysis: ${c.number} ${c.title}`,
    '',
    `Template: ${a.templateTitle} (${a.template}). Created ${a.createdAt} by ${a.createdBy}; last edited ${a.updatedAt}.`,
    '',
  ];
  if (a.overview.trim()) lines.push('## Overview', '', a.overview.trim(), '');
  lines.push('## Metrics', '', '| Metric | Value | Definition |', '| --- | --- | --- |');
  for (const m of v.metrics) lines.push(`| ${m.title} | ${formatDuration(m.seconds)} | ${cell(m.definition)} |`);
  lines.push('', '| Moment | Time (UTC) | Taken from |', '| --- | --- | --- |');
  for (const [k, m] of Object.entries(v.moments)) lines.push(`| ${k} | ${m.at ?? '—'} | ${cell(m.basis)} |`);
  lines.push('', '## Key events', '');
  if (a.keyEvents.length === 0) lines.push('None chosen.');
  for (const e of a.keyEvents) lines.push(`- ${e.time ?? 'no time'}: ${e.summary}${e.note ? ` — ${e.note}` : ''}`);
  lines.push('', '## Questions', '');
  let section = '';
  for (const q of a.questions) {
    if (q.section !== section) {
      section = q.section;
      lines.push(`### ${section}`, '');
    }
    lines.push(`**${q.question}**`, '', q.answer.trim() || '_Not answered._', '');
  }
  lines.push('## Action items', '');
  if (v.actionItems.length === 0) lines.push('None.');
  for (const t of v.actionItems)
    lines.push(
      `- [${t.status === 'done' ? 'x' : ' '}] ${t.title} — owner ${t.assignee || '—'}, due ${t.dueDate ?? '—'} (task #${t.id}, ${t.status})`,
    );
  lines.push('', '## Checklist', '');
  for (const i of a.checklist) lines.push(`- [${i.done ? 'x' : ' '}] ${i.item}`);
  return `${lines.join('\n')}\n`;
}
