import type { ActionSummary } from '../../../common/contract/response';

/** An action's state as text and colour; "interrupted" when it was running and nothing runs it now; "running elsewhere" in another Lariat. */
export function StateChip({ a }: { a: Pick<ActionSummary, 'state' | 'interrupted'> & Partial<Pick<ActionSummary, 'runningElsewhere'>> }) {
  const state = a.interrupted ? 'interrupted' : a.state;
  const label = a.runningElsewhere ? 'running elsewhere' : state;
  return <span className={`chip action-${state}`}>{label}</span>;
}
