import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startLoopbackTransport, type LoopbackTransport } from '../../../main/transport/ws-transport';
import { makeServices, type TestServices } from '../../helpers/services';

let s: TestServices;
let t: LoopbackTransport;
beforeAll(async () => {
  s = makeServices();
  t = await startLoopbackTransport({ handlers: s.handlers, events: s.core.events });
});
afterAll(async () => {
  await t.close();
  s.cleanup();
});

const connect = (url: string) =>
  new Promise<WebSocket>((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });

describe('loopback test transport', () => {
  it('listens on 127.0.0.1 only, with a random token', () => {
    expect(t.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{48}$/);
  });

  it('refuses connections without the right token', async () => {
    await expect(connect(`ws://127.0.0.1:${t.port}/`)).rejects.toThrow(/401|HTTP/);
    await expect(connect(`ws://127.0.0.1:${t.port}/?token=${'0'.repeat(48)}`)).rejects.toThrow(/401|HTTP/);
  });

  it('serves the same contract (validation included) and pushes events', async () => {
    const ws = await connect(t.url);
    const messages: { id?: number; envelope?: { ok: boolean; value?: { number: string }; error?: { code: string } }; event?: string }[] =
      [];
    ws.on('message', (d) => messages.push(JSON.parse(d.toString())));
    ws.send(JSON.stringify({ id: 1, channel: 'createCase', input: { title: 'Over the wire', severity: 'low' } }));
    ws.send(JSON.stringify({ id: 2, channel: 'createCase', input: { title: '' } }));
    ws.send('not json');
    await expect.poll(() => messages.filter((m) => m.id !== undefined || m.envelope).length).toBeGreaterThanOrEqual(3);
    expect(messages.find((m) => m.id === 1)?.envelope).toMatchObject({ ok: true, value: { number: expect.stringMatching(/^IR-/) } });
    expect(messages.find((m) => m.id === 2)?.envelope).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(messages.some((m) => m.envelope?.error?.code === 'invalid-message')).toBe(true);
    expect(messages.some((m) => m.event === 'caseChanged')).toBe(true);
    ws.close();
  });
});
