import type { AcquisitionRecord } from '../../../common/contract/acquire';

/** What an Athena query acquisition recorded: the estimate before and the statistics after. */
export interface AthenaFigures {
  queryExecutionId: string | null;
  estimatedBytes: number | null;
  estimatedCostUsd: number | null;
  bytesScanned: number | null;
  costUsd: number | null;
  state: string | null;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);

/** Reads the figures from an acquisition's free-form result, ignoring anything of the wrong type. */
export function athenaFigures(a: Pick<AcquisitionRecord, 'result'>): AthenaFigures {
  const r = a.result;
  return {
    queryExecutionId: str(r.queryExecutionId),
    estimatedBytes: num(r.estimatedBytes),
    estimatedCostUsd: num(r.estimatedCostUsd),
    bytesScanned: num(r.bytesScanned),
    costUsd: num(r.costUsd),
    state: str(r.state),
  };
}
