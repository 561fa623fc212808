/**
 * Electron glue, and nothing else: security settings, the app:// protocol,
 * IPC registration and window creation. Every feature lives in services
 * (main/services.ts) that run without Electron.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, safeStorage, shell } from 'electron';
import { createServices, type Services } from '../services';
import { createHandlers, createPreloadHandlers } from '../ipc/handlers';
import { registerIpc } from './ipc-main';
import { registerAppScheme, serveRenderer } from './protocol';
import { blockRemoteContent, createMainWindow, denyAllPermissions, lockDown } from './windows';
import { createExternalOpener, devToolsAllowed } from '../core/app-policy';
import { startFailureText } from '../core/start-failure';
import { electronDialogs } from './dialogs';
import { printToPdf } from './pdf';

const here = path.dirname(fileURLToPath(import.meta.url)); // dist/main
const root = path.resolve(here, '..', '..');

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  registerAppScheme();
  app.enableSandbox();
  const windows: BrowserWindow[] = [];
  let services: Services | undefined;
  /** Before the services (and so the log file) exist, only stderr is left. */
  const early = (msg: string, err?: unknown) => console.error(`[lariat] ${msg}`, err ?? '');
  let openExternal: (url: string) => boolean = () => false;

  app.on('second-instance', () => {
    const w = windows[0];
    if (w) {
      if (w.isMinimized()) w.restore();
      w.focus();
    }
  });

  // Every web contents, including the hidden PDF window: no navigation away, no webview, no new window.
  app.on('web-contents-created', (_e, contents) => lockDown(contents, (url) => openExternal(url)));

  app
    .whenReady()
    .then(() => {
      denyAllPermissions();
      serveRenderer(path.join(root, 'dist', 'renderer'));
      let blocked: (url: string) => void = (url) => early(`blocked a request for ${url.slice(0, 200)}`);
      blockRemoteContent((url) => blocked(url));
      const nativeBinding = path.join(root, '.cache', 'electron-native', 'better_sqlite3.node');
      services = createServices({
        dataDir: process.env.LARIAT_DATA_DIR ? path.resolve(process.env.LARIAT_DATA_DIR) : app.getPath('userData'),
        resourcesDir: app.isPackaged ? path.join(process.resourcesPath, 'resources') : path.join(root, 'resources'),
        electron: true,
        safeStorage,
        dialogs: electronDialogs,
        printToPdf,
        ...(!app.isPackaged && existsSync(nativeBinding) ? { nativeBinding } : {}),
      });
      const log = services.core.log;
      log.info('start', { version: services.core.version, packaged: app.isPackaged, electron: process.versions.electron });
      blocked = (url) => log.warn('request-blocked', { url: url.slice(0, 200) });
      // The only openExternal call, and Electronegativity asks for its review: it is wrapped by the audited opener
      // (main/core/app-policy.ts): allow-listed https documentation hosts only, rate-limited, every decision logged.
      const open = (url: string) => shell.openExternal(url); // eng-disable OPEN_EXTERNAL_JS_CHECK
      openExternal = createExternalOpener({ open, log });
      registerIpc({
        handlers: createHandlers(services),
        preload: createPreloadHandlers(services),
        events: services.core.events,
        windows: () => windows.filter((w) => !w.isDestroyed()),
        log,
      });
      windows.push(
        createMainWindow(path.join(root, 'dist', 'preload'), {
          devTools: devToolsAllowed(app.isPackaged, process.env),
          openExternal,
          onLoaded: (url) => log.info('window', { loaded: true, url }),
        }),
      );
    })
    .catch((err: unknown) => {
      services?.core.log.error('start', { ok: false, error: err });
      early('failed to start', err);
      const { title, body } = startFailureText(err, services ? path.join(services.core.paths.logsDir, 'lariat.log') : null);
      dialog.showErrorBox(title, body);
      app.exit(1);
    });

  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', () => services?.close());
}
