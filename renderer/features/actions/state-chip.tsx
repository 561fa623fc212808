import type { ActionSummary } from '../../../common/contract/response';

/** An action's state as text and colour; "interrupted" when it was running and nothing runs it now. */
export function StateChip({ a }: { a: Pick<ActionSummary, 'state' | 'interrupted'> }) {
  const state = a.interrupted ? 'interrupted' : a.state;
  return <span className={`chip action-${state}`}>{state}</span>;
}
