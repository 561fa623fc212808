import type { ApiError } from '../lib/api';

/**
 * A message or hint from main, shown as text: a `quoted command` (hints are shared with the CLI and name
 * its commands) becomes inline code instead of showing its raw backticks.
 */
export function HintText({ text }: { text: string }) {
  const parts = text.split(/`([^`]+)`/);
  return <>{parts.map((p, i) => (i % 2 === 1 ? <code key={i}>{p}</code> : p))}</>;
}

/** What went wrong and what to do next; never a stack trace. */
export function ErrorBox({ error, onDismiss }: { error: ApiError | Error | null | undefined; onDismiss?: () => void }) {
  if (!error) return null;
  const hint = 'hint' in error ? (error as ApiError).hint : 'Try again. If it keeps failing, note what you did and report it.';
  return (
    <div className="error-box" role="alert">
      <div>
        <strong>
          <HintText text={error.message} />
        </strong>
        <div className="muted">
          <HintText text={hint} />
        </div>
      </div>
      {onDismiss && (
        <button type="button" className="btn btn-ghost btn-xs" onClick={onDismiss} aria-label="Dismiss error">
          Dismiss
        </button>
      )}
    </div>
  );
}
