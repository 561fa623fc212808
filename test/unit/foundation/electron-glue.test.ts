import { describe, expect, it, vi } from 'vitest';

// The Electron binary cannot run here, so the glue is exercised against a stand-in
// `electron` module that records what Lariat asks of it.
const handlers = new Map<string, (event: unknown, raw: unknown) => Promise<unknown>>();
const created: {
  options: { webPreferences: Record<string, unknown> };
  listeners: Map<string, (...a: unknown[]) => void>;
  openHandler?: (d: { url: string }) => unknown;
  loaded?: string;
}[] = [];
const exposed = new Map<string, unknown>();
const invoked: [string, unknown][] = [];
const subscribed: string[] = [];
let permissionHandler: ((wc: unknown, permission: string, cb: (ok: boolean) => void) => void) | undefined;

vi.mock('electron', () => {
  class BrowserWindow {
    webContents: Record<string, unknown>;
    constructor(options: { webPreferences: Record<string, unknown> }) {
      const listeners = new Map<string, (...a: unknown[]) => void>();
      const record: (typeof created)[number] = { options, listeners };
      created.push(record);
      this.webContents = {
        on: (name: string, fn: (...a: unknown[]) => void) => listeners.set(name, fn),
        setWindowOpenHandler: (fn: (d: { url: string }) => unknown) => (record.openHandler = fn),
      };
      (this as unknown as { loadURL: (u: string) => Promise<void> }).loadURL = async (u: string) => {
        record.loaded = u;
      };
    }
    once() {}
  }
  return {
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
    ipcRenderer: {
      invoke: async (channel: string, input: unknown) => invoked.push([channel, input]),
      on: (channel: string) => subscribed.push(channel),
      removeListener: vi.fn(),
    },
    // A real drop carries a path; a File made by script gives '' (as Electron's webUtils does).
    webUtils: { getPathForFile: (f: { path?: string }) => f.path ?? '' },
    ipcMain: {
      handle: (channel: string, fn: (event: unknown, raw: unknown) => Promise<unknown>) => handlers.set(channel, fn),
      removeHandler: (c: string) => handlers.delete(c),
    },
    BrowserWindow,
    shell: { openExternal: vi.fn() },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (fn: typeof permissionHandler) => (permissionHandler = fn),
        setPermissionCheckHandler: vi.fn(),
        setDevicePermissionHandler: vi.fn(),
      },
    },
  };
});

const { registerIpc } = await import('../../../main/electron/ipc-main');
const { createMainWindow, denyAllPermissions } = await import('../../../main/electron/windows');
const { channelNames, ipcChannel, ipcEventChannel, ipcPreloadChannel } = await import('../../../common/contract');
const { createPreloadHandlers } = await import('../../../main/ipc/handlers');
const { EventBus } = await import('../../../main/core/events');
const { makeServices } = await import('../../helpers/services');
const { memoryLogger } = await import('../../../main/core/logger');

describe('ipcMain wrapper', () => {
  it('registers every contract channel, refuses untrusted senders and validates input', async () => {
    const s = makeServices();
    const sent: [string, unknown][] = [];
    const mainFrame = { url: 'app://lariat/index.html' };
    const ourWindow = { webContents: { id: 7, send: (c: string, p: unknown) => sent.push([c, p]) }, isDestroyed: () => false };
    const events = new EventBus();
    const logs: string[] = [];
    registerIpc({
      handlers: s.handlers,
      preload: createPreloadHandlers(s),
      events,
      windows: () => [ourWindow as never],
      log: { ...memoryLogger(), warn: (event: string, f?: Record<string, unknown>) => logs.push(`${event} ${String(f?.code)}`) },
    });
    expect([...handlers.keys()].sort()).toEqual([...channelNames.map(ipcChannel), ipcPreloadChannel('grantDroppedFiles')].sort());
    // The preload-only channel answers dropped paths with tokens, and checks the sender like every other.
    const drop = (sender = { id: 7, mainFrame }) =>
      handlers.get(ipcPreloadChannel('grantDroppedFiles'))!({ sender, senderFrame: mainFrame }, { paths: ['/tmp/dropped.bin'] });
    await expect(drop()).resolves.toMatchObject({ ok: true, value: { files: [{ name: 'dropped.bin' }] } });
    await expect(drop({ id: 99, mainFrame })).resolves.toMatchObject({ ok: false, error: { code: 'untrusted-sender' } });

    const call = (name: string, raw: unknown, sender = { id: 7, mainFrame }, frame: { url: string } = mainFrame) =>
      handlers.get(ipcChannel(name))!({ sender, senderFrame: frame }, raw);

    await expect(call('createCase', { title: 'Via IPC', severity: 'low' })).resolves.toMatchObject({
      ok: true,
      value: { title: 'Via IPC' },
    });
    await expect(call('createCase', { title: 'x', severity: 'low' }, { id: 99, mainFrame })).resolves.toMatchObject({
      ok: false,
      error: { code: 'untrusted-sender' },
    });
    const evil = { url: 'https://evil.example/' };
    await expect(call('createCase', { title: 'x', severity: 'low' }, { id: 7, mainFrame: evil }, evil)).resolves.toMatchObject({
      ok: false,
      error: { code: 'untrusted-sender' },
    });
    await expect(
      call('createCase', { title: 'x', severity: 'low' }, { id: 7, mainFrame }, { url: 'app://lariat/index.html#iframe' }),
    ).resolves.toMatchObject({
      ok: false,
      error: { code: 'untrusted-sender' },
    });
    await expect(call('createCase', { severity: 'nope' })).resolves.toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(s.core.cases.list().map((c) => c.title)).toEqual(['Via IPC']);
    expect(logs.filter((l) => l.includes('untrusted'))).toHaveLength(4);

    events.emit('caseChanged', { caseNumber: 'IR-2026-0001', what: 'case' });
    expect(sent).toEqual([[ipcEventChannel('caseChanged'), { caseNumber: 'IR-2026-0001', what: 'case' }]]);
    s.cleanup();
  });
});

describe('main window', () => {
  it('applies the security checklist and denies navigation, new windows and permissions', () => {
    const asked: string[] = [];
    createMainWindow('/app/dist/preload', { devTools: false, openExternal: (u) => asked.push(u) > 0 });
    const w = created.at(-1)!;
    expect(w.options.webPreferences.devTools).toBe(false);
    expect(w.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webviewTag: false,
      webSecurity: true,
      preload: '/app/dist/preload/index.cjs',
    });
    expect(w.loaded).toBe('app://lariat/index.html');
    const nav = (url: string) => {
      const event = { preventDefault: vi.fn() };
      w.listeners.get('will-navigate')!(event, url);
      return event.preventDefault.mock.calls.length > 0;
    };
    expect(nav('https://evil.example/')).toBe(true);
    expect(nav('file:///etc/passwd')).toBe(true);
    expect(nav('app://lariat/index.html#/case/IR-2026-0001')).toBe(false);
    expect(w.openHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    // Every link goes to the one audited opener (which applies the allow-list); none opens inside Lariat.
    expect(w.openHandler!({ url: 'https://docs.aws.amazon.com/x' })).toEqual({ action: 'deny' });
    expect(asked).toEqual(['https://evil.example/', 'https://docs.aws.amazon.com/x']);
    denyAllPermissions();
    const answers: boolean[] = [];
    permissionHandler!({}, 'media', (ok) => answers.push(ok));
    permissionHandler!({}, 'notifications', (ok) => answers.push(ok));
    expect(answers).toEqual([false, false]);
  });
});

describe('preload', () => {
  it('exposes window.lariat with one method per channel, contract events only, and nothing else', async () => {
    await import('../../../preload/index');
    const { eventNames } = await import('../../../common/contract');
    const api = exposed.get('lariat') as Record<string, unknown>;
    expect([...exposed.keys()]).toEqual(['lariat']);
    expect(Object.keys(api).sort()).toEqual([...channelNames, 'on', 'dropFiles'].sort());
    expect(api).not.toHaveProperty('invoke');
    expect(api).not.toHaveProperty('ipcRenderer');
    await (api.createCase as (i: unknown) => Promise<unknown>)({ title: 'x' });
    expect(invoked).toEqual([[ipcChannel('createCase'), { title: 'x' }]]);
    const on = api.on as (e: string, l: () => void) => () => void;
    on(eventNames[0]!, () => undefined);
    expect(subscribed).toEqual([ipcEventChannel(eventNames[0]!)]);
    expect(() => on('lariat:anything', () => undefined)).toThrow(/Unknown event/);
    const dropFiles = api.dropFiles as (f: unknown[]) => Promise<unknown>;
    // Files made by script have no path: nothing is sent to main.
    await expect(dropFiles([{}, 'not a file'])).resolves.toEqual({ ok: true, value: { files: [] } });
    expect(invoked).toHaveLength(1);
    await dropFiles([{ path: '/tmp/dropped.bin' }, {}]);
    expect(invoked.at(-1)).toEqual([ipcPreloadChannel('grantDroppedFiles'), { paths: ['/tmp/dropped.bin'] }]);
  });
});
