/**
 * Electron glue, and nothing else: security settings, the app:// protocol,
 * IPC registration and window creation. Every feature lives in services
 * (main/services.ts) that run without Electron.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, safeStorage } from 'electron';
import { createServices, type Services } from '../services';
import { createHandlers, createPreloadHandlers } from '../ipc/handlers';
import { registerIpc } from './ipc-main';
import { registerAppScheme, serveRenderer } from './protocol';
import { createMainWindow, denyAllPermissions } from './windows';
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
  const log = (msg: string, err?: unknown) => console.error(`[lariat] ${msg}`, err ?? '');

  app.on('second-instance', () => {
    const w = windows[0];
    if (w) {
      if (w.isMinimized()) w.restore();
      w.focus();
    }
  });

  app.on('web-contents-created', (_e, contents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });

  app
    .whenReady()
    .then(() => {
      denyAllPermissions();
      serveRenderer(path.join(root, 'dist', 'renderer'));
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
      registerIpc({
        handlers: createHandlers(services),
        preload: createPreloadHandlers(services),
        events: services.core.events,
        windows: () => windows.filter((w) => !w.isDestroyed()),
        log,
      });
      windows.push(createMainWindow(path.join(root, 'dist', 'preload')));
    })
    .catch((err: unknown) => {
      log('failed to start', err);
      app.exit(1);
    });

  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', () => services?.close());
}
