import path from 'node:path';
import type { Core } from '../core/core';
import type { TaskService } from '../tasks/task-service';
import { AnalysisService, type AnalysisSources } from './analysis-service';

/** Post-incident analysis (issue 16). */
export interface AnalysisFeature {
  analysis: AnalysisService;
}

export function createAnalysisFeature(core: Core, deps: { tasks: TaskService; sources: AnalysisSources }): AnalysisFeature {
  const templateDirs = [path.join(core.paths.resourcesDir, 'analysis-templates'), path.join(core.paths.dataDir, 'analysis-templates')];
  return { analysis: new AnalysisService({ core, tasks: deps.tasks, sources: deps.sources, templateDirs }) };
}
