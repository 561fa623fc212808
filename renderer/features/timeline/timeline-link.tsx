import { useCall } from '../../lib/api';
import { caseTabPath, navigate } from '../../lib/router';
import type { TimelineColumn } from '../../../common/contract/timeline';
import { pivotQuery } from './filter-state';

/**
 * "Where does this appear": how many timeline events mention a value (full-text
 * by default, or one column), as a button opening the timeline filtered on it.
 * Used by IOCs and meant for assets (identifier) and anything else that pivots.
 */
export function TimelineLink({
  caseNumber,
  value,
  column = 'search',
}: {
  caseNumber: string;
  value: string;
  column?: TimelineColumn | 'search';
}) {
  const n = useCall('countTimeline', column === 'search' ? { caseNumber, search: value } : { caseNumber, where: [{ column, value }] });
  return (
    <button
      type="button"
      className="btn btn-ghost btn-xs"
      title="Where does this appear? Opens the timeline filtered on it"
      onClick={() => navigate(caseTabPath(caseNumber, 'timeline'), pivotQuery(column, value))}
    >
      {n.data ? `${n.data.count}${n.data.exact ? '' : '+'} event${n.data.count === 1 ? '' : 's'}` : '…'} →
    </button>
  );
}
