import type { ApiError } from '../lib/api';

/** What went wrong and what to do next; never a stack trace. */
export function ErrorBox({ error, onDismiss }: { error: ApiError | Error | null | undefined; onDismiss?: () => void }) {
  if (!error) return null;
  const hint = 'hint' in error ? (error as ApiError).hint : 'Try again. If it keeps failing, note what you did and report it.';
  return (
    <div className="error-box" role="alert">
      <div>
        <strong>{error.message}</strong>
        <div className="muted">{hint}</div>
      </div>
      {onDismiss && (
        <button type="button" className="btn btn-ghost btn-xs" onClick={onDismiss} aria-label="Dismiss error">
          Dismiss
        </button>
      )}
    </div>
  );
}
