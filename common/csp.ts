/**
 * The renderer's Content Security Policy: only our own scripts and styles, no
 * inline script, no network. Served as a header by the app:// protocol (and
 * by the test server, which adds only its loopback WebSocket to connect-src).
 */
export function contentSecurityPolicy(extraConnect: string[] = []): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self'${extraConnect.length ? ` ${extraConnect.join(' ')}` : ''}`,
    "frame-src 'self' blob: data:",
    "base-uri 'none'",
    "form-action 'none'",
    "object-src 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
