/**
 * The one narrow bridge. Exposes `window.lariat`: one method per contract
 * channel (never a generic invoke, never ipcRenderer itself), event
 * subscription limited to the contract's events, and Electron's
 * webUtils.getPathForFile for drag-and-drop.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { channelNames, eventNames, ipcChannel, ipcEventChannel, type LariatApi } from '../common/contract';

const api: Record<string, unknown> = {};
for (const name of channelNames) {
  const channel = ipcChannel(name);
  api[name] = (input: unknown) => ipcRenderer.invoke(channel, input);
}
api.on = (event: string, listener: (payload: unknown) => void) => {
  if (!(eventNames as string[]).includes(event)) throw new Error(`Unknown event ${event}`);
  const wrapped = (_e: unknown, payload: unknown) => listener(payload);
  ipcRenderer.on(ipcEventChannel(event), wrapped);
  return () => ipcRenderer.removeListener(ipcEventChannel(event), wrapped);
};
api.pathForFile = (file: File) => {
  try {
    return webUtils.getPathForFile(file) || null;
  } catch {
    return null;
  }
};

contextBridge.exposeInMainWorld('lariat', api as LariatApi);
