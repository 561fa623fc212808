import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { AwsModel, defaultModules } from '../aws-model';
import { AWS_ENV, lariatWithModel, testClock, type LariatEnv } from '../aws-model/lariat-env';
import { createServices } from '../../main/services';
import { createResponseFeature } from '../../main/response';
import { runCli } from '../../main/cli/main';
import { tempDir } from '../helpers/services';
import { golden, normalise, type FaultCase } from './harness';
import { isolateFull, snapshotShareCopy } from './cases';

const child = path.join(path.dirname(fileURLToPath(import.meta.url)), 'kill-child.ts');
const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

/** Plans the case in a data folder on disk, and writes the model where the child process will find it. */
async function prepare(c: FaultCase): Promise<{ dataDir: string; modelFile: string; caseNumber: string; actionId: number }> {
  const dataDir = tempDir('lariat-kill-');
  const env = lariatWithModel({ scenario: c.scenario, dataDir });
  await c.before?.(env);
  const action = c.plan ? await c.plan(env) : await env.plan(c.kind, c.options, c.target);
  const modelFile = path.join(dataDir, 'aws-model.json');
  env.model.save(modelFile);
  env.model.restore();
  env.close();
  cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  return { dataDir, modelFile, caseNumber: env.caseNumber, actionId: action.id };
}

/** Starts the child; resolves with it once it says it stopped where asked (it then waits for SIGKILL). */
function start(p: { dataDir: string; modelFile: string; caseNumber: string; actionId: number }, mode: string[]): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', child, p.dataDir, p.modelFile, p.caseNumber, String(p.actionId), ...mode], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    cleanups.push(() => proc.kill('SIGKILL'));
    let out = '';
    let err = '';
    proc.stderr.on('data', (d: Buffer) => (err += d.toString()));
    proc.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('STOPPED')) resolve(proc);
      if (/FINISHED|FAILED/.test(out)) reject(new Error(`the child ended before the kill point: ${out}`));
    });
    proc.on('exit', (code) => reject(new Error(`child exited ${code}: ${out}\n${err}`)));
  });
}

const kill = (proc: ChildProcess) =>
  new Promise<void>((resolve, reject) => {
    if (proc.exitCode !== null || proc.signalCode !== null)
      return reject(new Error(`the child ended by itself (${proc.exitCode ?? proc.signalCode}) before it was killed`));
    proc.once('exit', () => resolve());
    proc.kill('SIGKILL');
  });

/** After the child died: this process takes the model as the child left it, and a Lariat on the same data folder. */
function afterDeath(p: { dataDir: string; modelFile: string; caseNumber: string }): LariatEnv {
  const model = AwsModel.load(p.modelFile, { modules: defaultModules });
  const env = lariatWithModel({ model, dataDir: p.dataDir, caseNumber: p.caseNumber });
  cleanups.unshift(() => {
    env.model.restore();
    env.close();
  });
  return env;
}

/** While the child runs the action: another process sees it running there, and cannot resume it (nor can `lariat respond resume`). */
async function whileAlive(p: { dataDir: string; caseNumber: string; actionId: number }, proc: ChildProcess): Promise<void> {
  const peer = createServices({ dataDir: p.dataDir, env: AWS_ENV, clock: testClock() });
  try {
    const response = createResponseFeature(peer.core, peer.custody, peer.timeline, { heartbeatMs: 0 });
    const listed = response.response.list(p.caseNumber).find((a) => a.id === p.actionId)!;
    expect(listed).toMatchObject({ state: 'running', interrupted: false, runningElsewhere: { pid: proc.pid } });
    expect(() => response.response.start(p.actionId, 'i-0abc1234def567890')).toThrow(
      /is running in another Lariat \(pid \d+ on .*, since 2026-11-27T10:00/,
    );
    const out: string[] = [];
    const err: string[] = [];
    const cli = (...argv: string[]) =>
      runCli(argv, {
        io: { out: (t) => out.push(t), err: (t) => err.push(t) },
        env: { ...AWS_ENV, LARIAT_DATA_DIR: p.dataDir },
        services: () => ({ ...peer, response, close: () => undefined }),
      });
    expect(await cli('respond', 'list', '--case', p.caseNumber)).toBe(0);
    expect(out.join('\n')).toContain(`running in another Lariat (pid ${proc.pid}, since 2026-11-27 10:00:`);
    expect(await cli('respond', 'resume', String(p.actionId), '--yes')).toBe(1);
    expect(err.join('\n')).toMatch(/running in another Lariat[\s\S]*hint: .*once its lease expires/);
  } finally {
    peer.close();
  }
}

describe('a Lariat process killed with SIGKILL mid-action (representative boundaries)', () => {
  for (const point of [
    {
      what: 'after AuthorizeSecurityGroupIngress was applied, before Lariat recorded it',
      mode: ['call', 'ec2', 'AuthorizeSecurityGroupIngress', '1', 'after'],
    },
    {
      what: 'after DisassociateIamInstanceProfile was applied, before Lariat recorded it',
      mode: ['call', 'ec2', 'DisassociateIamInstanceProfile', '1', 'after'],
    },
    {
      what: 'while the second interface move was on its way to AWS',
      mode: ['call', 'ec2', 'ModifyNetworkInterfaceAttribute', '3', 'before'],
    },
  ])
    it(`isolation killed ${point.what}: resumed by another process, it ends isolated`, async () => {
      const g = await golden(isolateFull);
      const p = await prepare(isolateFull);
      const proc = await start(p, point.mode);
      await whileAlive(p, proc);
      await kill(proc);
      const env = afterDeath(p);
      const listed = env.feature.response.list(p.caseNumber).find((a) => a.id === p.actionId)!;
      // Killed moments ago: its lease is still live, so it is not "interrupted" yet and cannot be resumed.
      expect(listed.runningElsewhere?.pid).toBe(proc.pid);
      expect(() => env.feature.response.start(p.actionId, 'i-0abc1234def567890')).toThrow(/running in another Lariat \(pid \d+/);
      env.clock.advance(10 * 60_000);
      expect(env.feature.response.list(p.caseNumber).find((a) => a.id === p.actionId)!.interrupted).toBe(true);
      const done = await env.run(p.actionId);
      expect(done.state).toBe('succeeded');
      expect(normalise(env.model.snapshot())).toEqual(g.state);
      isolateFull.promise(env, done);
    }, 120_000);

  it('snapshot killed right after an evidence item was registered: the resume does not register it again', async () => {
    const g = await golden(snapshotShareCopy);
    const p = await prepare(snapshotShareCopy);
    const proc = await start(p, ['local', 'registerRemote', '1']);
    await kill(proc);
    const env = afterDeath(p);
    env.clock.advance(10 * 60_000);
    const done = await env.run(p.actionId);
    expect(done.state).toBe('succeeded');
    expect(env.services.custody.vault.list(p.caseNumber).filter((i) => i.kind === 'ebs-snapshot')).toHaveLength(2);
    expect(normalise(env.model.snapshot())).toEqual(g.state);
    const verified = await env.services.custody.verify.verify(p.caseNumber);
    expect(verified.problems).toEqual([]);
  }, 120_000);
});
