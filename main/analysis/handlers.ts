import type { Services } from '../services';
import type { HandlersFor } from '../ipc/handler-types';
import type { analysisContract } from '../../common/contract/analysis';
import * as op from './operations';

/** Analysis channels: validated input into the one operation function each. */
export function analysisHandlers(s: Services): HandlersFor<typeof analysisContract> {
  const f = s.analysis;
  return {
    listAnalysisTemplates: () => op.listAnalysisTemplates(f),
    getAnalysis: (input) => op.getAnalysis(f, input),
    createAnalysis: (input) => op.createAnalysis(f, input),
    updateAnalysis: (input) => op.updateAnalysis(f, input),
    addAnalysisActionItem: (input) => op.addAnalysisActionItem(f, input),
    exportAnalysis: (input) => op.exportAnalysis(f, input),
  };
}
