/**
 * Says which parts of a link's filter were not applied (see unappliedFromQuery), so the events below
 * are never taken for a narrower set than they are. "Remove" rewrites the link without them.
 */
export function UnappliedNotice({ parts, onRemove }: { parts: string[]; onRemove: () => void }) {
  if (parts.length === 0) return null;
  return (
    <div className="notice" role="alert" data-testid="timeline-unapplied">
      This link filters on {parts.join(' and ')}: that part of the filter was not applied, so the events below are not narrowed by it.
      Filter on a column (action, sourceIp, principal…) or a CloudTrail field name (eventName, sourceIPAddress, userIdentity.arn…).{' '}
      <button type="button" className="btn btn-xs" onClick={onRemove}>
        Remove it from the link
      </button>
    </div>
  );
}
