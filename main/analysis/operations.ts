import type { AnalysisView, UpdateAnalysisInput } from '../../common/contract/analysis';
import type { AnalysisFeature } from '.';

/** One function per analysis operation, shared by the IPC handlers and the CLI. */

export const listAnalysisTemplates = (f: AnalysisFeature) =>
  f.analysis.templates.list().map((t) => ({ name: t.name, title: t.title, description: t.description }));

export const getAnalysis = (f: AnalysisFeature, input: { caseNumber: string }): AnalysisView => f.analysis.view(input.caseNumber);

export const createAnalysis = (f: AnalysisFeature, input: { caseNumber: string; template: string }): AnalysisView =>
  f.analysis.create(input.caseNumber, input.template);

export const updateAnalysis = (f: AnalysisFeature, input: UpdateAnalysisInput): AnalysisView => f.analysis.update(input);

export const addAnalysisActionItem = (
  f: AnalysisFeature,
  input: { caseNumber: string; title: string; owner: string; dueDate: string },
): AnalysisView => f.analysis.addActionItem(input);

export const exportAnalysis = (f: AnalysisFeature, input: { caseNumber: string; format: 'markdown' | 'json' }) =>
  f.analysis.export(input.caseNumber, input.format);
