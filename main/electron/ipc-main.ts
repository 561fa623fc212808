import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { channelNames, eventNames, ipcChannel, ipcEventChannel, ipcPreloadChannel, preloadContract } from '../../common/contract';
import type { EventBus } from '../core/events';
import type { Logger } from '../core/logger';
import type { Handlers, PreloadHandlers } from '../ipc/handlers';
import { dispatch } from '../ipc/dispatch';
import { isTrustedSender } from '../ipc/sender';

const REFUSED = {
  ok: false,
  error: { code: 'untrusted-sender', message: 'This request did not come from a Lariat window.', hint: 'Nothing was done.' },
} as const;

/**
 * The only place ipcMain is used: registers every contract channel (and the
 * preload-only channels) through one wrapper that checks the sender and hands
 * the raw input to `dispatch` (which validates it), and forwards pushed events
 * to Lariat's windows.
 */
export function registerIpc(deps: {
  handlers: Handlers;
  preload: PreloadHandlers;
  events: EventBus;
  windows: () => BrowserWindow[];
  log: Logger;
}): () => void {
  const trusted = (name: string, event: IpcMainInvokeEvent): boolean => {
    const ours = deps.windows().some((w) => w.webContents.id === event.sender.id);
    const frame = event.senderFrame;
    if (isTrustedSender(frame?.url, ours, !!frame && frame === event.sender.mainFrame)) return true;
    deps.log.warn('ipc-refused', { op: name, code: 'untrusted-sender', sender: String(frame?.url ?? 'unknown').slice(0, 200) });
    return false;
  };
  const log = deps.log;
  for (const name of channelNames) {
    ipcMain.handle(ipcChannel(name), async (event: IpcMainInvokeEvent, raw: unknown) =>
      trusted(name, event) ? dispatch(deps.handlers, name, raw, log) : REFUSED,
    );
  }
  const preloadNames = Object.keys(preloadContract);
  for (const name of preloadNames) {
    ipcMain.handle(ipcPreloadChannel(name), async (event: IpcMainInvokeEvent, raw: unknown) =>
      trusted(name, event) ? dispatch(deps.preload, name, raw, log, preloadContract) : REFUSED,
    );
  }
  const unsubscribe = deps.events.subscribe((event, payload) => {
    if (!(eventNames as string[]).includes(event)) return;
    for (const w of deps.windows()) if (!w.isDestroyed()) w.webContents.send(ipcEventChannel(event), payload);
  });
  return () => {
    unsubscribe();
    for (const name of channelNames) ipcMain.removeHandler(ipcChannel(name));
    for (const name of preloadNames) ipcMain.removeHandler(ipcPreloadChannel(name));
  };
}
