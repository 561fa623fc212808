import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../main/cli/main';
import { AwsClients } from '../../../main/aws/clients';
import { makeServices, type TestServices } from '../../helpers/services';
import { AWS_ENV } from '../../aws-model/lariat-env';
import { createResponseFeature } from '../../../main/response';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

/** A TCP server that accepts every connection and never says a word: an endpoint that hangs. */
async function silentServer(): Promise<{ port: number; connections: () => number }> {
  const sockets = new Set<net.Socket>();
  let connections = 0;
  const server = net.createServer((s) => {
    connections++;
    sockets.add(s);
    s.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => {
    for (const s of sockets) s.destroy();
    server.close();
  });
  return { port: (server.address() as net.AddressInfo).port, connections: () => connections };
}

describe('timeouts on every AWS client', () => {
  it('`lariat aws whoami` against an endpoint that accepts and never answers fails within the request timeout, with a hint', async () => {
    const { port, connections } = await silentServer();
    const s = makeServices();
    cleanups.push(() => s.cleanup());
    const out: string[] = [];
    const err: string[] = [];
    const env = {
      ...AWS_ENV,
      LARIAT_DATA_DIR: s.dataDir,
      LARIAT_AWS_ENDPOINT: `http://127.0.0.1:${port}`,
      LARIAT_AWS_REQUEST_TIMEOUT_MS: '1000',
    };
    const started = Date.now();
    const code = await runCli(['aws', 'whoami'], { io: { out: (t) => out.push(t), err: (t) => err.push(t) }, env });
    const elapsed = Date.now() - started;
    expect(code).toBe(1);
    expect(err.join('\n')).toContain(`AWS did not answer sts:GetCallerIdentity within 1 s (endpoint http://127.0.0.1:${port})`);
    expect(err.join('\n')).toMatch(/hint: Check the network, VPN or proxy and the endpoint override .*LARIAT_AWS_REQUEST_TIMEOUT_MS/);
    // One attempt, ended by Lariat's deadline: the SDK did not go on retrying a socket that never answers.
    expect(connections()).toBe(1);
    // A bound, not a measurement: without timeouts this call hung for minutes.
    expect(elapsed).toBeLessThan(20_000);
  }, 60_000);

  it('defaults to 5 s to connect and 30 s per call; settings and the environment change them', () => {
    const s: TestServices = makeServices({ env: {} });
    cleanups.push(() => s.cleanup());
    const aws = createResponseFeature(s.core, s.custody, s.timeline).aws;
    expect(aws.config()).toMatchObject({ connectTimeoutMs: 5000, requestTimeoutMs: 30000 });
    aws.updateConfig({ connectTimeoutMs: 2000, requestTimeoutMs: 45000 });
    expect(aws.config()).toMatchObject({ connectTimeoutMs: 2000, requestTimeoutMs: 45000 });
    s.core.env.LARIAT_AWS_REQUEST_TIMEOUT_MS = '7000';
    expect(aws.config().requestTimeoutMs).toBe(7000);
    // A value that is no number of milliseconds is refused by name (it silently gave the setting's value).
    s.core.env.LARIAT_AWS_REQUEST_TIMEOUT_MS = 'soon';
    expect(() => aws.config()).toThrow('LARIAT_AWS_REQUEST_TIMEOUT_MS=soon is not a number of milliseconds.');
    s.core.env.LARIAT_AWS_REQUEST_TIMEOUT_MS = '';
    expect(aws.config().requestTimeoutMs).toBe(45000);
  });

  it('gives the SDK its connection and socket timeouts, and a single attempt to creates that have no client token', async () => {
    const clients = new AwsClients({
      credentials: async () => ({ accessKeyId: 'a', secretAccessKey: 'b' }),
      connectTimeoutMs: 1234,
      requestTimeoutMs: 5678,
    });
    cleanups.push(() => clients.destroy());
    const handler = (
      clients.client('ec2', 'eu-west-1') as unknown as { config: { requestHandler: { configProvider: Promise<Record<string, unknown>> } } }
    ).config.requestHandler;
    expect(await handler.configProvider).toMatchObject({ connectionTimeout: 1234, requestTimeout: 6678 });
    const once = clients.client('ec2', 'eu-west-1', true) as unknown as { config: { maxAttempts: () => Promise<number> } };
    expect(await once.config.maxAttempts()).toBe(1);
  });
});
