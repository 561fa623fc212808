/**
 * Says which parts of a link's filter were not applied (field names that are no timeline column), so
 * the events below are never taken for a narrower set than they are. "Remove" rewrites the link
 * without them.
 */
export function UnappliedNotice({ fields, onRemove }: { fields: string[]; onRemove: () => void }) {
  if (fields.length === 0) return null;
  const names = fields.map((f) => `"${f}"`).join(', ');
  return (
    <div className="notice" role="alert" data-testid="timeline-unapplied">
      This link filters on {names}, which {fields.length === 1 ? 'is' : 'are'} not a timeline column: that part of the filter was not
      applied, so the events below are not narrowed by it. Use a column (action, sourceIp, principal…) or a CloudTrail field name
      (eventName, sourceIPAddress, userIdentity.arn…).{' '}
      <button type="button" className="btn btn-xs" onClick={onRemove}>
        Remove it from the link
      </button>
    </div>
  );
}
