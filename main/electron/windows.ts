import path from 'node:path';
import { BrowserWindow, shell, session, type WebContents } from 'electron';
import { APP_ORIGIN } from '../ipc/sender';

/**
 * Creates the main window with the Electron security checklist applied:
 * context isolation, sandbox, no Node, no navigation away from app://, no new
 * windows, every permission request denied.
 */
export function createMainWindow(preloadDir: string): BrowserWindow {
  const win = new BrowserWindow({
    width: 1366,
    height: 768,
    minWidth: 1024,
    minHeight: 640,
    title: 'Lariat',
    show: false,
    backgroundColor: '#14171b',
    webPreferences: {
      preload: path.join(preloadDir, 'index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      spellcheck: false,
      devTools: !process.env.LARIAT_NO_DEVTOOLS,
    },
  });
  lockDown(win.webContents);
  win.once('ready-to-show', () => win.show());
  void win.loadURL(`${APP_ORIGIN}/index.html`);
  return win;
}

function lockDown(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (!url.startsWith(`${APP_ORIGIN}/`)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    // Links to documentation may open in the user's browser; nothing opens inside Lariat.
    if (url.startsWith('https://docs.aws.amazon.com/')) void shell.openExternal(url);
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
