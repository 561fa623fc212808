import { useCall } from '../../lib/api';
import { caseTabPath, navigate } from '../../lib/router';
import { hitSummary } from './hit-summary';

/**
 * "Also seen in IR-2026-0003 (12 events)": the other cases holding an IOC's
 * value, from the cross-case indicator index; each opens that case's timeline
 * searching for the value.
 */
export function AlsoSeen({ caseNumber, value }: { caseNumber: string; value: string }) {
  const found = useCall('searchIndicator', { value });
  if (found.error)
    return (
      <span className="muted small" title={found.error.hint}>
        —
      </span>
    );
  if (!found.data) return <span className="muted small">…</span>;
  const others = found.data.cases.filter((c) => c.caseNumber !== caseNumber.toUpperCase());
  if (others.length === 0) return <span className="muted small">no other case</span>;
  return (
    <span className="small" data-testid="also-seen">
      also seen in{' '}
      {others.map((c, i) => (
        <span key={c.caseNumber}>
          {i > 0 && ', '}
          <button
            type="button"
            className="btn btn-ghost btn-xs"
            title={`${c.title}${c.readOnly ? ' (received, read-only)' : ''}: open its timeline searching for this value`}
            onClick={() => navigate(caseTabPath(c.caseNumber, 'timeline'), { search: value })}
          >
            {c.caseNumber}
          </button>{' '}
          ({hitSummary(c)})
        </span>
      ))}
    </span>
  );
}
