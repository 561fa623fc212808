import path from 'node:path';
import { BrowserWindow, session, type WebContents } from 'electron';
import { APP_ORIGIN } from '../ipc/sender';
import { requestAllowed } from '../core/app-policy';

export interface WindowPolicy {
  /** DevTools: off in packaged builds unless LARIAT_DEVTOOLS=1 (main/core/app-policy.ts). */
  devTools: boolean;
  /** The one audited way to open a link outside Lariat (allow-listed https URLs only). */
  openExternal: (url: string) => boolean;
  /** Told when the renderer finished loading (logged: the packaged-app smoke test waits for it). */
  onLoaded?: (url: string) => void;
}

/**
 * Creates the main window with the Electron security checklist applied:
 * context isolation, sandbox, no Node, no navigation away from app://, no new
 * windows, every permission request denied.
 */
export function createMainWindow(preloadDir: string, policy: WindowPolicy): BrowserWindow {
  const win = new BrowserWindow({
    width: 1366,
    height: 768,
    minWidth: 1024,
    minHeight: 640,
    title: 'Lariat',
    show: false,
    backgroundColor: '#14171b',
    webPreferences: {
      // Electronegativity asks for a review of every preload: this one is Lariat's own narrow bridge (preload/index.ts),
      // one method per contract channel, no ipcRenderer, no Node, exposed through contextBridge, isolated and sandboxed.
      preload: path.join(preloadDir, 'index.cjs'), // eng-disable PRELOAD_JS_CHECK
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      // Middle-click would otherwise ask for a new window (denied anyway by the window-open handler).
      disableBlinkFeatures: 'Auxclick',
      devTools: policy.devTools,
    },
  });
  lockDown(win.webContents, policy.openExternal);
  win.webContents.on('did-finish-load', () => policy.onLoaded?.(win.webContents.getURL()));
  win.once('ready-to-show', () => win.show());
  void win.loadURL(`${APP_ORIGIN}/index.html`);
  return win;
}

/**
 * Applied to every web contents Lariat has (the main window and the hidden PDF window): nothing
 * navigates away from app://lariat, nothing redirects, no webview, no new window; a link to an
 * allow-listed documentation page opens in the user's browser through the audited opener.
 */
export function lockDown(contents: WebContents, openExternal: (url: string) => boolean): void {
  contents.on('will-navigate', (event, url) => {
    if (!url.startsWith(`${APP_ORIGIN}/`)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openExternal(url);
    return { action: 'deny' };
  });
}

/** Denies every permission (camera, notifications, geolocation...) for every session. */
export function denyAllPermissions(): void {
  const s = session.defaultSession;
  s.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  s.setPermissionCheckHandler(() => false);
  s.setDevicePermissionHandler(() => false);
}

/**
 * No remote content: every request of the default session (the renderer, the PDF window) that is not
 * for app://lariat, data: or devtools is cancelled here in the main process, so neither a hostile
 * report template nor a compromised renderer can fetch or send anything over the network. (AWS calls
 * are made by the main process's Node code, not through this session.)
 */
export function blockRemoteContent(log: (url: string) => void): void {
  session.defaultSession.webRequest.onBeforeRequest((details, callback) => {
    const ok = requestAllowed(details.url);
    if (!ok) log(details.url);
    callback({ cancel: !ok });
  });
}
