/**
 * Test-only stand-in for the preload: defines `window.lariat` over the
 * loopback WebSocket transport, with exactly the same shape (one method per
 * contract channel, `on`, `dropFiles`). Injected by the e2e harness before
 * the renderer's own scripts run.
 */
import { channelNames, eventNames, type LariatApi } from '../../../common/contract';

declare global {
  interface Window {
    __LARIAT_WS__: string;
    __lariatTestPaths?: Record<string, string>;
  }
}

const pending = new Map<number, (envelope: unknown) => void>();
const listeners = new Map<string, Set<(payload: unknown) => void>>();
let nextId = 1;
const socket = new WebSocket(window.__LARIAT_WS__);
const ready = new Promise<void>((resolve) => socket.addEventListener('open', () => resolve(), { once: true }));
socket.addEventListener('message', (e) => {
  const msg = JSON.parse(String(e.data)) as { id?: number; envelope?: unknown; event?: string; payload?: unknown };
  if (msg.event) for (const l of listeners.get(msg.event) ?? []) l(msg.payload);
  else if (typeof msg.id === 'number') {
    pending.get(msg.id)?.(msg.envelope);
    pending.delete(msg.id);
  }
});

const api: Record<string, unknown> = {};
for (const name of channelNames) {
  api[name] = async (input: unknown) => {
    await ready;
    const id = nextId++;
    return new Promise((resolve) => {
      pending.set(id, resolve);
      socket.send(JSON.stringify({ id, channel: name, input }));
    });
  };
}
api.on = (event: string, listener: (payload: unknown) => void) => {
  if (!(eventNames as string[]).includes(event)) throw new Error(`Unknown event ${event}`);
  const set = listeners.get(event) ?? new Set();
  set.add(listener);
  listeners.set(event, set);
  return () => set.delete(listener);
};
/** Stands in for the preload's dropFiles: the test maps a dropped file's name to its path, as webUtils would. */
api.dropFiles = async (files: File[]) => {
  const paths = Array.from(files)
    .map((f) => window.__lariatTestPaths?.[f.name])
    .filter((p): p is string => !!p);
  if (paths.length === 0) return { ok: true, value: { files: [] } };
  await ready;
  const id = nextId++;
  return new Promise((resolve) => {
    pending.set(id, resolve);
    socket.send(JSON.stringify({ id, channel: 'grantDroppedFiles', input: { paths }, preload: true }));
  });
};

window.lariat = Object.freeze(api) as unknown as LariatApi;
