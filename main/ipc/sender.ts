/** The origin the renderer is served from inside the app. */
export const APP_ORIGIN = 'app://lariat';

/**
 * Whether an IPC message may reach a handler: it must come from a window
 * Lariat created, from a frame whose document is served by our own app://
 * protocol (not a navigated-away page, not an iframe of a report preview).
 */
export function isTrustedSender(frameUrl: string | undefined | null, fromOurWindow: boolean, isMainFrame: boolean): boolean {
  if (!fromOurWindow || !isMainFrame || !frameUrl) return false;
  try {
    const u = new URL(frameUrl);
    return u.protocol === 'app:' && u.host === 'lariat';
  } catch {
    return false;
  }
}
