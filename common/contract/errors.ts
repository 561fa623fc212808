/**
 * The one error shape that crosses the process boundary. Every failure a user
 * can see says what happened (`message`) and what to do next (`hint`); `code`
 * is stable so the UI and scripts can branch on it without parsing text.
 */
export interface ErrorInfo {
  code: string;
  message: string;
  hint: string;
}

/** Result envelope for every contract call: IPC cannot carry typed errors, so we never throw across it. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };
