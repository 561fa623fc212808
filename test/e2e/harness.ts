import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createServices, type Services } from '../../main/services';
import { createHandlers, createPreloadHandlers } from '../../main/ipc/handlers';
import { startLoopbackTransport, type LoopbackTransport } from '../../main/transport/ws-transport';
import { ScriptedDialogs } from '../../main/core/dialogs';
import { mimeType, resolveStaticPath } from '../../main/core/static-files';
import { contentSecurityPolicy } from '../../common/csp';
import { tempDir } from '../helpers/services';

export const CHROMIUM = process.env.LARIAT_CHROMIUM ?? '/usr/bin/chromium';
/** End-to-end tests need Debian's Chromium; locally they are skipped (loudly) without it, in CI they fail. */
export const hasChromium = fs.existsSync(CHROMIUM);
if (!hasChromium) {
  const msg = `Chromium not found at ${CHROMIUM}: install it with "apt-get install -y chromium".`;
  if (process.env.CI) throw new Error(msg);
  console.warn(`SKIPPING end-to-end tests. ${msg}`);
}

const root = path.resolve(import.meta.dirname, '..', '..');
const rendererDir = path.join(root, 'dist', 'renderer');
export const resultsDir = path.join(root, 'test-results');

let bridgeCode: Promise<string> | undefined;
function bridge(): Promise<string> {
  bridgeCode ??= build({
    entryPoints: [path.join(import.meta.dirname, 'bridge', 'ws-bridge.ts')],
    bundle: true,
    format: 'iife',
    write: false,
    target: 'chrome120',
    logLevel: 'silent',
  }).then((r) => r.outputFiles[0]!.text);
  return bridgeCode;
}

export interface App {
  page: Page;
  services: Services;
  dialogs: ScriptedDialogs;
  dataDir: string;
  url: string;
  /** Saves a full-window PNG to test-results/<name>.png. */
  screenshot(name: string): Promise<string>;
  /** Closes the services and reopens them on the same data folder, then reloads the page. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

let browser: Browser | undefined;
async function getBrowser(): Promise<Browser> {
  browser ??= await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
  return browser;
}

export async function closeBrowser(): Promise<void> {
  await browser?.close();
  browser = undefined;
}

/**
 * Starts the real services on a data folder, the loopback transport, a static
 * server for the built renderer (same CSP as the app, plus the socket), and a
 * Chromium page at 1366x768 with the WebSocket bridge standing in for the preload. `env` is what the
 * services read as the environment (AWS credentials and LARIAT_AWS_ENDPOINT for a local S3 server).
 */
export async function startApp(options: { dataDir?: string; theme?: 'light' | 'dark'; env?: Record<string, string> } = {}): Promise<App> {
  if (!fs.existsSync(path.join(rendererDir, 'index.html')))
    throw new Error('dist/renderer is missing: run `npm run build` first (npm test does).');
  const dataDir = options.dataDir ?? tempDir('lariat-e2e-');
  const dialogs = new ScriptedDialogs();
  let services = createServices({ dataDir, dialogs, env: options.env ?? {} });
  let transport = await startLoopbackTransport({
    handlers: createHandlers(services),
    preload: createPreloadHandlers(services),
    events: services.core.events,
  });
  const server = http.createServer((req, res) => {
    const file = resolveStaticPath(rendererDir, new URL(req.url ?? '/', 'http://x').pathname);
    if (!file || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      'content-type': mimeType(file),
      'content-security-policy': contentSecurityPolicy([`ws://127.0.0.1:${transport.port}`]),
    });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/index.html`;
  const context = await (await getBrowser()).newContext({ viewport: { width: 1366, height: 768 }, colorScheme: options.theme ?? 'light' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const code = await bridge();
  const inject = async (t: LoopbackTransport) => {
    await page.addInitScript({ content: `window.__LARIAT_WS__ = ${JSON.stringify(t.url)};\n${code}` });
  };
  await inject(transport);
  await page.goto(url);
  fs.mkdirSync(resultsDir, { recursive: true });

  const app: App = {
    page,
    get services() {
      return services;
    },
    dialogs,
    dataDir,
    url,
    async screenshot(name) {
      const file = path.join(resultsDir, `${name}.png`);
      await page.screenshot({ path: file });
      return file;
    },
    async restart() {
      await transport.close();
      services.close();
      services = createServices({ dataDir, dialogs, env: options.env ?? {} });
      transport = await startLoopbackTransport({
        handlers: createHandlers(services),
        preload: createPreloadHandlers(services),
        events: services.core.events,
      });
      // Init scripts accumulate; the newest assignment of __LARIAT_WS__ wins because it runs last.
      await inject(transport);
      await page.reload();
    },
    async close() {
      await context.close();
      await transport.close();
      services.close();
      await new Promise<void>((r) => server.close(() => r()));
      if (errors.length) throw new Error(`Uncaught errors in the page: ${errors.join('\n')}`);
    },
  };
  return app;
}
