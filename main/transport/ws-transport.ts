import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { EventBus } from '../core/events';
import type { Handlers, PreloadHandlers } from '../ipc/handlers';
import { preloadContract } from '../../common/contract/files';
import { dispatch } from '../ipc/dispatch';

export interface LoopbackTransport {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

/**
 * A second transport for the same contract, for tests only: a WebSocket server
 * on 127.0.0.1, random port, random per-run token. The app never starts it; the
 * end-to-end tests run the built renderer in Chromium against it so the UI
 * talks to the real services exactly as over Electron IPC.
 *
 * Wire format: `{ id, channel, input }` in, `{ id, envelope }` back, and
 * `{ event, payload }` for pushed events.
 */
export async function startLoopbackTransport(deps: {
  handlers: Handlers;
  /** Preload-only channels, reached with `preload: true` by the test stand-in for the preload. */
  preload?: PreloadHandlers;
  events: EventBus;
  allowedOrigin?: string;
}): Promise<LoopbackTransport> {
  const token = randomBytes(24).toString('hex');
  const wss = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    maxPayload: 8 * 1024 * 1024,
    verifyClient: ({ req, origin }: { req: { url?: string }; origin: string }) => {
      if (deps.allowedOrigin && origin !== deps.allowedOrigin) return false;
      const given = new URL(req.url ?? '/', 'ws://127.0.0.1').searchParams.get('token') ?? '';
      return given.length === token.length && timingSafeEqual(Buffer.from(given), Buffer.from(token));
    },
  });
  await new Promise<void>((resolve, reject) => {
    wss.once('listening', resolve);
    wss.once('error', reject);
  });
  const sockets = new Set<WebSocket>();
  const unsubscribe = deps.events.subscribe((event, payload) => {
    const message = JSON.stringify({ event, payload });
    for (const s of sockets) if (s.readyState === s.OPEN) s.send(message);
  });
  wss.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('message', async (data) => {
      let id: unknown = null;
      try {
        const msg = JSON.parse(data.toString()) as { id?: unknown; channel?: unknown; input?: unknown; preload?: unknown };
        id = msg.id;
        const channel = typeof msg.channel === 'string' ? msg.channel : '';
        const envelope =
          msg.preload === true && deps.preload
            ? await dispatch(deps.preload, channel, msg.input, undefined, preloadContract)
            : await dispatch(deps.handlers, channel, msg.input);
        socket.send(JSON.stringify({ id, envelope }));
      } catch {
        socket.send(
          JSON.stringify({
            id,
            envelope: {
              ok: false,
              error: { code: 'invalid-message', message: 'The message was not valid JSON.', hint: 'Send { id, channel, input }.' },
            },
          }),
        );
      }
    });
  });
  const port = (wss.address() as AddressInfo).port;
  return {
    url: `ws://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    close: async () => {
      unsubscribe();
      for (const s of sockets) s.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
