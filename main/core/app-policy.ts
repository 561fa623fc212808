import type { Logger } from './logger';

/**
 * Hosts the investigator may open in their browser from Lariat (documentation linked from hints and
 * rule references). Nothing else ever leaves the app: no other host, no other scheme.
 */
export const EXTERNAL_HOSTS: readonly string[] = ['docs.aws.amazon.com', 'attack.mitre.org'];

/** Whether `raw` is an https URL on the allow-list, with no credentials or odd port to smuggle elsewhere. */
export function externalUrlAllowed(raw: string): boolean {
  if (typeof raw !== 'string' || raw.length > 2048) return false;
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return false;
  }
  return u.protocol === 'https:' && u.username === '' && u.password === '' && u.port === '' && EXTERNAL_HOSTS.includes(u.hostname);
}

/** At most this many links open per minute: a renderer that goes rogue cannot flood the browser. */
const PER_MINUTE = 10;

/**
 * The one audited way Lariat opens a URL outside itself (Electron's shell.openExternal is passed in as
 * `open`): allow-listed https URLs only, rate-limited, every decision logged. Returns whether it opened.
 */
export function createExternalOpener(deps: { open: (url: string) => Promise<void>; log: Logger; now?: () => number }) {
  const now = deps.now ?? Date.now;
  const recent: number[] = [];
  return (url: string): boolean => {
    const t = now();
    while (recent.length && recent[0]! < t - 60_000) recent.shift();
    const allowed = externalUrlAllowed(url);
    const limited = allowed && recent.length >= PER_MINUTE;
    deps.log.write(allowed && !limited ? 'info' : 'warn', 'open-external', {
      url: allowed ? url : String(url).slice(0, 200),
      opened: allowed && !limited,
      ...(allowed ? {} : { reason: 'not on the allow-list' }),
      ...(limited ? { reason: 'too many links opened in a minute' } : {}),
    });
    if (!allowed || limited) return false;
    recent.push(t);
    void deps.open(url).catch((err: unknown) => deps.log.warn('open-external', { url, opened: false, error: err }));
    return true;
  };
}

/**
 * Schemes the app's web contents may load: its own app:// renderer, data: (the hidden PDF window),
 * and Chromium's devtools when a developer turned them on. Everything else (http, https, ws, file,
 * ftp...) is cancelled in the main process, which a compromised renderer cannot bypass.
 */
export function requestAllowed(raw: string): boolean {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return false;
  }
  if (u.protocol === 'app:') return u.host === 'lariat';
  return u.protocol === 'data:' || u.protocol === 'devtools:' || u.protocol === 'chrome-devtools:';
}

/**
 * DevTools in a packaged build only with the explicit developer flag LARIAT_DEVTOOLS=1 (they let
 * whoever sits at the keyboard run code in the renderer, with the renderer's access to every
 * operation); in a development run from source they are on unless LARIAT_NO_DEVTOOLS is set.
 */
export function devToolsAllowed(packaged: boolean, env: NodeJS.ProcessEnv): boolean {
  if (packaged) return env.LARIAT_DEVTOOLS === '1';
  return !env.LARIAT_NO_DEVTOOLS;
}
