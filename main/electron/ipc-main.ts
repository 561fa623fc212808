import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { channelNames, eventNames, ipcChannel, ipcEventChannel } from '../../common/contract';
import type { EventBus } from '../core/events';
import type { Handlers } from '../ipc/handlers';
import { dispatch } from '../ipc/dispatch';
import { isTrustedSender } from '../ipc/sender';

/**
 * The only place ipcMain is used: registers every contract channel through
 * one wrapper that checks the sender and hands the raw input to `dispatch`
 * (which validates it), and forwards pushed events to Lariat's windows.
 */
export function registerIpc(deps: {
  handlers: Handlers;
  events: EventBus;
  windows: () => BrowserWindow[];
  log: (msg: string, err?: unknown) => void;
}): () => void {
  for (const name of channelNames) {
    ipcMain.handle(ipcChannel(name), async (event: IpcMainInvokeEvent, raw: unknown) => {
      const ours = deps.windows().some((w) => w.webContents.id === event.sender.id);
      const frame = event.senderFrame;
      if (!isTrustedSender(frame?.url, ours, !!frame && frame === event.sender.mainFrame)) {
        deps.log(`refused IPC ${name} from untrusted sender ${frame?.url ?? 'unknown'}`);
        return {
          ok: false,
          error: { code: 'untrusted-sender', message: 'This request did not come from a Lariat window.', hint: 'Nothing was done.' },
        };
      }
      return dispatch(deps.handlers, name, raw, { error: (m, e) => deps.log(m, e) });
    });
  }
  const unsubscribe = deps.events.subscribe((event, payload) => {
    if (!(eventNames as string[]).includes(event)) return;
    for (const w of deps.windows()) if (!w.isDestroyed()) w.webContents.send(ipcEventChannel(event), payload);
  });
  return () => {
    unsubscribe();
    for (const name of channelNames) ipcMain.removeHandler(ipcChannel(name));
  };
}
