import * as z from 'zod';
import { channel } from './define';
import { CaseNumber, DueDate, Id, LongText, ShortText, text } from './common';
import type { TaskRecord } from './cases';

/** A moment the metrics are computed from, and what it was taken from. */
export interface AnalysisMoment {
  at: string | null;
  basis: string;
}

export interface AnalysisMetric {
  id: 'time-to-detect' | 'time-to-acknowledge' | 'time-to-contain' | 'time-to-resolve';
  title: string;
  definition: string;
  seconds: number | null;
}

export interface AnalysisQuestion {
  id: string;
  section: string;
  question: string;
  answer: string;
}

export interface AnalysisKeyEvent {
  eventId: number;
  time: string | null;
  summary: string;
  note: string;
}

export interface AnalysisRecord {
  template: string;
  templateTitle: string;
  overview: string;
  keyEvents: AnalysisKeyEvent[];
  questions: AnalysisQuestion[];
  /** Tasks of the case created as action items (owner = assignee, due date). */
  actionItemTaskIds: number[];
  checklist: { id: string; item: string; done: boolean }[];
  createdAt: string;
  createdBy: string;
  updatedAt: string;
}

/** The post-incident analysis of a case, with metrics computed from the case as it is now. */
export interface AnalysisView {
  caseNumber: string;
  /** True when the case is recovered or closed, or its linked incident is resolved. */
  resolved: boolean;
  resolvedReason: string;
  analysis: AnalysisRecord | null;
  moments: {
    impactStarted: AnalysisMoment;
    detected: AnalysisMoment;
    acknowledged: AnalysisMoment;
    contained: AnalysisMoment;
    resolved: AnalysisMoment;
  };
  metrics: AnalysisMetric[];
  actionItems: TaskRecord[];
  /** Timeline events worth choosing as key events: flagged ones and Lariat's own actions. */
  suggestedEvents: { eventId: number; time: string | null; summary: string; source: string; flagged: boolean }[];
}

const ItemId = text().regex(/^[a-z0-9][a-z0-9-]{0,62}$/);

export const UpdateAnalysisInput = z
  .object({
    caseNumber: CaseNumber,
    patch: z
      .object({
        overview: LongText.optional(),
        answers: z
          .array(z.object({ id: ItemId, answer: text().max(50_000) }).strict())
          .max(200)
          .optional(),
        checklist: z
          .array(z.object({ id: ItemId, done: z.boolean() }).strict())
          .max(200)
          .optional(),
        keyEvents: z
          .array(z.object({ eventId: Id, note: text().max(2000).default('') }).strict())
          .max(500)
          .optional(),
      })
      .strict()
      .refine((p) => Object.keys(p).length > 0, 'nothing to change'),
  })
  .strict();
export type UpdateAnalysisInput = z.output<typeof UpdateAnalysisInput>;

const CaseRef = z.object({ caseNumber: CaseNumber }).strict();

export const analysisContract = {
  listAnalysisTemplates: channel<{ name: string; title: string; description: string }[]>()(
    z.object({}).strict(),
    'Post-incident analysis templates (the default mirrors Incident Manager).',
  ),
  getAnalysis: channel<AnalysisView>()(CaseRef, "The case's post-incident analysis and metrics computed from the case."),
  createAnalysis: channel<AnalysisView>()(
    z
      .object({
        caseNumber: CaseNumber,
        template: text()
          .regex(/^[a-z0-9][a-z0-9-]{0,62}$/)
          .default('default'),
      })
      .strict(),
    'Start the post-incident analysis of a resolved case from a template.',
  ),
  updateAnalysis: channel<AnalysisView>()(UpdateAnalysisInput, 'Edit the overview, answers, checklist or key events.'),
  addAnalysisActionItem: channel<AnalysisView>()(
    z.object({ caseNumber: CaseNumber, title: ShortText, owner: text().trim().min(1).max(200), dueDate: DueDate }).strict(),
    'Add an action item: a case task with an owner and a due date.',
  ),
  exportAnalysis: channel<{ fileName: string; text: string }>()(
    z.object({ caseNumber: CaseNumber, format: z.enum(['markdown', 'json']).default('markdown') }).strict(),
    'The analysis as Markdown or JSON.',
  ),
};
