import { execFileSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ID, REGION, setup, stubInstance, type Env } from './fixtures';
import { awsError } from './aws-mock';
import { parseResult } from '../../../main/response/executors';
import { lariatWithModel, type LariatEnv } from '../../aws-model/lariat-env';
import type { SsmState } from '../../aws-model/modules/ssm';

let e: Env;
const SHA = 'a'.repeat(64);
let polls = 0;
beforeEach(() => {
  e = setup();
  polls = 0;
});
afterEach(() => e.cleanup());

function stubSsm(
  final: Record<string, unknown> = {
    Status: 'Success',
    ResponseCode: 0,
    StandardOutputContent: `tool /usr/local/bin/avml sha256 ${'b'.repeat(64)}\nLARIAT_RESULT size=4294967296 sha256=${SHA} uri=s3://ir-evidence/cases/x\n`,
  },
): void {
  e.mock
    .on('s3', 'HeadBucket', {})
    .on('ssm', 'SendCommand', { Command: { CommandId: 'cmd-123', Status: 'Pending' } })
    .on('ssm', 'GetCommandInvocation', () => {
      polls++;
      return polls < 3 ? { Status: 'InProgress' } : final;
    })
    .on('s3', 'HeadObject', { ContentLength: 4294967296 });
}

const plan = (options: Record<string, unknown> = {}) =>
  e.feature.response.plan({
    kind: 'memory',
    caseNumber: e.caseNumber,
    region: REGION,
    instanceId: ID,
    options: { bucket: 'ir-evidence', prefix: 'cases', timeoutMinutes: 60, ...options },
  });

describe('memory acquisition over SSM', () => {
  it('sends the AVML script, polls to the end and records the image with the size and hash computed on the instance', async () => {
    stubInstance(e.mock);
    stubSsm();
    const p = await plan();
    const key = `cases/${e.caseNumber}/${ID}/memory-action-${p.id}.lime`;
    expect(p.steps.map((s) => `${s.service}:${s.operation}`)).toEqual([
      'ssm:DescribeInstanceInformation',
      's3:HeadBucket',
      'ssm:SendCommand',
      'ssm:GetCommandInvocation',
      's3:HeadObject',
      'lariat:RegisterEvidence',
    ]);
    const done = await e.feature.response.run(p.id, ID);
    expect(done.state).toBe('succeeded');
    const send = e.mock.of('ssm', 'SendCommand')[0]! as {
      InstanceIds: string[];
      DocumentName: string;
      Parameters: { commands: string[]; executionTimeout: string[] };
    };
    expect(send.InstanceIds).toEqual([ID]);
    expect(send.DocumentName).toBe('AWS-RunShellScript');
    expect(send.Parameters.executionTimeout).toEqual(['3600']);
    const script = send.Parameters.commands[0]!;
    expect(script).toContain("export LARIAT_BUCKET='ir-evidence'");
    expect(script).toContain(`export LARIAT_KEY='${key}'`);
    expect(script).toContain('avml');
    expect(script).toContain('sha256sum');
    expect(e.mock.of('ssm', 'GetCommandInvocation')).toHaveLength(3);
    expect(e.mock.of('ssm', 'GetCommandInvocation')[0]).toEqual({ CommandId: 'cmd-123', InstanceId: ID });
    expect(e.mock.of('s3', 'HeadObject')).toEqual([{ Bucket: 'ir-evidence', Key: key }]);
    const item = e.s.custody.vault.list(e.caseNumber).find((i) => i.kind === 'memory-image')!;
    expect(item.size).toBe(4294967296);
    expect(item.sha256).toBe(SHA);
    expect(item.acquisition.host).toBe(ID);
    expect(e.s.custody.ledger.list(e.caseNumber).some((x) => x.action === 'acquired' && x.evidence?.id === item.id)).toBe(true);
    expect(item.source.resource).toBe(`s3://ir-evidence/${key}`);
  });

  it('uses WinPmem and PowerShell on Windows', async () => {
    stubInstance(e.mock, { platform: 'windows' });
    stubSsm();
    const p = await plan();
    const send = p.steps.find((s) => s.operation === 'SendCommand')!.request as {
      DocumentName: string;
      Parameters: { commands: string[] };
    };
    expect(send.DocumentName).toBe('AWS-RunPowerShellScript');
    expect(send.Parameters.commands[0]).toContain("$env:LARIAT_BUCKET = 'ir-evidence'");
    expect(send.Parameters.commands[0]).toContain('NamedPipeServerStream');
    await expect(plan({ tool: 'avml' })).rejects.toMatchObject({ code: 'memory-tool-platform' });
  });

  it('refuses an instance that is not SSM-managed, or whose agent is offline, before planning anything', async () => {
    stubInstance(e.mock, { ssm: null });
    await expect(plan()).rejects.toMatchObject({ code: 'ssm-not-managed' });
    stubInstance(e.mock, { ssm: 'ConnectionLost' });
    await expect(plan()).rejects.toMatchObject({ code: 'ssm-agent-offline', message: expect.stringContaining('ConnectionLost') });
    expect(e.feature.response.list(e.caseNumber)).toEqual([]);
  });

  it('rechecks the agent when the action runs', async () => {
    stubInstance(e.mock);
    stubSsm();
    const p = await plan();
    e.mock.on('ssm', 'DescribeInstanceInformation', { InstanceInformationList: [{ PingStatus: 'Inactive' }] });
    await expect(e.feature.response.run(p.id, ID)).rejects.toMatchObject({ code: 'ssm-agent-offline' });
    expect(e.mock.of('ssm', 'SendCommand')).toEqual([]);
  });

  it('says so when the bucket is missing, not writable by the instance, or the tool is missing', async () => {
    stubInstance(e.mock);
    stubSsm();
    let p = await plan();
    e.mock.failNext('s3', 'HeadBucket', Object.assign(awsError('NotFound'), { $metadata: { httpStatusCode: 404 } }));
    await expect(e.feature.response.run(p.id, ID)).rejects.toMatchObject({ code: 'memory-bucket-missing' });

    stubSsm({ Status: 'Failed', ResponseCode: 11, StandardErrorContent: 'LARIAT_ERROR cannot write s3://ir-evidence/x.started' });
    p = await plan();
    await expect(e.feature.response.run(p.id, ID)).rejects.toMatchObject({
      code: 'memory-bucket-not-writable',
      hint: expect.stringContaining('s3:PutObject'),
    });

    stubSsm({ Status: 'Failed', ResponseCode: 10, StandardErrorContent: 'LARIAT_ERROR avml is not installed' });
    polls = 0;
    p = await plan();
    await expect(e.feature.response.run(p.id, ID)).rejects.toMatchObject({
      code: 'memory-tool-missing',
      message: expect.stringContaining('avml is not installed'),
    });
  });

  it('does not record evidence when S3 holds a different size than the instance reported', async () => {
    stubInstance(e.mock);
    stubSsm();
    e.mock.on('s3', 'HeadObject', { ContentLength: 1234 });
    const p = await plan();
    await expect(e.feature.response.run(p.id, ID)).rejects.toMatchObject({ code: 'memory-size-mismatch' });
    expect(e.s.custody.vault.list(e.caseNumber).filter((i) => i.kind === 'memory-image')).toEqual([]);
  });

  it('parses the result line the scripts print', () => {
    expect(parseResult(`noise\nLARIAT_RESULT size=42 sha256=${SHA} uri=s3://b/k\n`)).toEqual({ Size: 42, Sha256: SHA, Uri: 's3://b/k' });
    expect(() => parseResult('LARIAT_RESULT size=42')).toThrow(/without reporting/);
  });

  it('ships shell scripts that parse', () => {
    for (const f of ['avml.sh', 'lime.sh']) execFileSync('bash', ['-n', `resources/memory/${f}`]);
  });
});

describe('memory acquisition against the AWS model', () => {
  let m: LariatEnv | undefined;
  afterEach(() => m?.cleanup());

  it('a command that succeeds without printing its result fails the step and keeps its output in the step result', async () => {
    m = lariatWithModel();
    m.model.slice<SsmState>('ssm', REGION).behaviour.stdout = '';
    m.model.slice<SsmState>('ssm', REGION).behaviour.stderr = 'avml: wrote 0 bytes';
    const p = await m.plan('memory', { bucket: 'ir-evidence' });
    await expect(m.run(p.id)).rejects.toMatchObject({
      code: 'memory-no-result',
      hint: expect.stringMatching(/Read the command output in the step result/),
    });
    const step = m.feature.response.get(p.id).steps.find((s) => s.key === 'poll-command')!;
    expect(step.state).toBe('failed');
    expect(step.result).toEqual({
      Status: 'Success',
      ResponseCode: 0,
      StandardOutputContent: '',
      StandardErrorContent: 'avml: wrote 0 bytes',
    });
  });

  it('a failed command keeps its standard output and error in the step result, and a successful one too', async () => {
    m = lariatWithModel();
    const b = m.model.slice<SsmState>('ssm', REGION).behaviour;
    Object.assign(b, { exitCode: 12, stdout: 'starting avml\n', stderr: 'LARIAT_ERROR avml failed: permission denied' });
    const p = await m.plan('memory', { bucket: 'ir-evidence' });
    await expect(m.run(p.id)).rejects.toMatchObject({ code: 'memory-acquisition-failed' });
    expect(m.feature.response.get(p.id).steps.find((s) => s.key === 'poll-command')!.result).toMatchObject({
      Status: 'Failed',
      ResponseCode: 12,
      StandardOutputContent: 'starting avml\n',
      StandardErrorContent: 'LARIAT_ERROR avml failed: permission denied',
    });
    Object.assign(b, { exitCode: 0, stdout: null, stderr: '' });
    const again = await m.plan('memory', { bucket: 'ir-evidence' });
    const done = await m.run(again.id);
    expect(done.steps.find((s) => s.key === 'poll-command')!.result).toMatchObject({
      Status: 'Success',
      StandardOutputContent: expect.stringMatching(/^LARIAT_RESULT size=4294967296 sha256=a{64} uri=s3:\/\/ir-evidence\//),
    });
  });

  it('a SendCommand whose reply was lost is found by its comment, never sent twice', async () => {
    m = lariatWithModel();
    const p = await m.plan('memory', { bucket: 'ir-evidence' });
    m.model.inject({ op: 'SendCommand', fault: { kind: 'drop-reply' } });
    const done = await m.run(p.id);
    expect(done.state).toBe('succeeded');
    expect(Object.keys(m.model.slice<SsmState>('ssm', REGION).commands)).toHaveLength(1);
    expect(done.steps.find((s) => s.key === 'send-command')!.result).toMatchObject({
      AlreadyInPlace: true,
      CheckedWith: ['ssm:ListCommands'],
    });
  });
});
