import { useCall } from '../../lib/api';
import { caseTabPath, navigate } from '../../lib/router';

const LABEL: Record<string, string> = {
  's3-contain': 'Block public access…',
  'lambda-contain': 'Throttle function…',
  credentials: 'Contain credentials…',
  'role-sessions': 'Revoke role sessions…',
};

/**
 * The containment that fits what the finding names beyond an instance (an
 * instance has its own buttons): one click opens the plan form filled in
 * from the finding; nothing runs until the plan is confirmed.
 */
export function ContainFromFinding({ caseNumber, findingId }: { caseNumber: string; findingId: number }) {
  const s = useCall('containmentFromFinding', { caseNumber, findingId });
  const d = s.data;
  if (!d?.kind || !d.input || d.kind === 'isolate') return null;
  const query = Object.fromEntries(Object.entries(d.input).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
  return (
    <div className="finding-respond" role="group" aria-label={`Contain ${d.resource ?? ''}`}>
      <div className="small">{d.reason}</div>
      <div className="row wrap">
        <button
          type="button"
          className="btn btn-danger"
          disabled={!d.available}
          onClick={() => navigate(caseTabPath(caseNumber, 'actions'), query)}
        >
          {LABEL[d.kind] ?? `${d.kind}…`}
        </button>
      </div>
      <div className="small muted">
        {d.available ? 'Opens the plan with this resource filled in; nothing runs until you confirm.' : 'Not available in this build.'}
      </div>
    </div>
  );
}
