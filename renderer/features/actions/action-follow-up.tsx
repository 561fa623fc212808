import { useAction } from '../../lib/api';
import { ErrorBox } from '../../components/error-box';
import { Time } from '../../components/time';
import type { ActionRecord } from '../../../common/contract/response';

const CHECKABLE = new Set(['credentials', 'role-sessions']);
/** Kinds with a release (main/response/kinds: each `release`); S3 and Lambda restore the recorded configuration. */
const RELEASABLE = new Set(['isolate', 'credentials', 'role-sessions', 's3-contain', 'lambda-contain']);
const OFFER_AFTER_MS = 30 * 60_000;

/**
 * What follows a containment: its release (of any kind), and for credential
 * containments the "still in use?" check (CloudTrail since the containment),
 * offered again 30 minutes after the last one.
 */
export function ActionFollowUp({
  a,
  readOnly,
  now = Date.now(),
  onReleasePlanned,
}: {
  a: ActionRecord;
  readOnly: boolean;
  now?: number;
  /** Shows the planned release (its steps and confirmation) instead of leaving it to be found in the list. */
  onReleasePlanned?(id: number): void;
}) {
  const release = useAction('planRelease');
  const check = useAction('checkCredentialUse');
  const ran = a.state === 'succeeded' || a.state === 'failed';
  const canCheck = CHECKABLE.has(a.kind) && ran && Boolean(a.startedAt);
  const last = a.useCheck ?? null;
  const due = canCheck && now - Date.parse(last?.checkedAt ?? a.finishedAt ?? a.startedAt ?? '') >= OFFER_AFTER_MS;
  if (!canCheck && !(RELEASABLE.has(a.kind) && ran)) return null;
  return (
    <div className="card stack" aria-label="After the containment">
      {canCheck && (
        <div className="row wrap">
          <span className="grow" role="status">
            {last ? (
              <>
                <strong className={last.calls ? 'danger' : undefined}>
                  {last.calls ? `Still in use: ${last.calls} calls since containment` : 'Not used since containment'}
                </strong>{' '}
                ({last.denied} denied), checked <Time iso={last.checkedAt} />
                {last.evidenceId != null && <> · evidence #{last.evidenceId}, in the timeline</>}
              </>
            ) : (
              'Not checked yet: has anyone used these credentials since the containment?'
            )}
            {due && last && <span className="warn"> · 30 minutes have passed: check again.</span>}
          </span>
          {!readOnly && (
            <button type="button" className="btn" disabled={check.isPending} onClick={() => check.mutate({ actionId: a.id })}>
              {check.isPending ? 'Checking…' : 'Check use (CloudTrail)'}
            </button>
          )}
        </div>
      )}
      {RELEASABLE.has(a.kind) && ran && !readOnly && (
        <div className="row">
          <span className="grow muted small">Release plans the exact undo of what this action changed; you review and confirm it.</span>
          <button
            type="button"
            className="btn"
            disabled={release.isPending}
            onClick={() => release.mutate({ actionId: a.id }, { onSuccess: (r) => onReleasePlanned?.(r.id) })}
          >
            Plan release
          </button>
        </div>
      )}
      <ErrorBox error={check.error ?? release.error} />
    </div>
  );
}
