import type { AnalysisView } from '../../../common/contract/analysis';
import { formatDuration } from '../../analysis/metrics';
import { markdownToSafeHtml } from './markdown';

const utc = (iso: string | null | undefined): string => (iso ? `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC` : '');

/**
 * The post-incident analysis as the report template renders it (issue 16):
 * plain strings, and the overview as sanitized Markdown. Null when the case
 * has no analysis, so the section shows only the notes routed to it.
 */
export function analysisSection(v: AnalysisView | null) {
  const a = v?.analysis;
  if (!v || !a) return null;
  return {
    template: a.templateTitle,
    createdBy: a.createdBy,
    createdAt: utc(a.createdAt),
    updatedAt: utc(a.updatedAt),
    overview: a.overview.trim() ? markdownToSafeHtml(a.overview) : null,
    metrics: v.metrics.map((m) => ({ title: m.title, value: formatDuration(m.seconds), definition: m.definition })),
    moments: Object.entries(v.moments).map(([name, m]) => ({ name, at: utc(m.at) || '—', basis: m.basis })),
    keyEvents: a.keyEvents.map((e) => ({ time: utc(e.time) || 'no time', summary: e.summary, note: e.note })),
    questions: a.questions.map((q) => ({ section: q.section, question: q.question, answer: q.answer.trim() || 'Not answered.' })),
    actionItems: v.actionItems.map((t) => ({ title: t.title, owner: t.assignee || '—', due: t.dueDate ?? '—', status: t.status })),
    checklist: a.checklist.map((i) => ({ item: i.item, done: i.done ? 'done' : 'open' })),
  };
}
