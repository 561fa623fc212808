/**
 * The one narrow bridge. Exposes `window.lariat`: one method per contract
 * channel (never a generic invoke, never ipcRenderer itself), event
 * subscription limited to the contract's events, and `dropFiles`, which turns
 * dropped File objects into tokens: the paths stay between this script and
 * main, so the renderer never holds or supplies one.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { channelNames, eventNames, ipcChannel, ipcEventChannel, ipcPreloadChannel, type LariatApi } from '../common/contract';

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
api.dropFiles = (files: File[]) => {
  // getPathForFile yields '' for a File made by script, so only files the user really dropped get through.
  const paths: string[] = [];
  for (const file of Array.from(files ?? [])) {
    try {
      const p = webUtils.getPathForFile(file);
      if (p) paths.push(p);
    } catch {
      // not a File object: ignored
    }
  }
  if (paths.length === 0) return Promise.resolve({ ok: true, value: { files: [] } });
  return ipcRenderer.invoke(ipcPreloadChannel('grantDroppedFiles'), { paths });
};

contextBridge.exposeInMainWorld('lariat', api as LariatApi);
