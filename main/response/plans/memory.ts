import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../core/errors';
import type { MemoryOptions } from '../../../common/contract/response';
import type { InstanceFacts } from '../discovery';
import { type Plan, ref } from './types';
import { lookupWarnings, unknown } from './lookup-warnings';

export interface MemoryContext {
  caseNumber: string;
  actionId: number;
  facts: InstanceFacts;
  options: MemoryOptions;
  resourcesDir: string;
}

export const TOOL_SCRIPTS = { avml: 'avml.sh', lime: 'lime.sh', winpmem: 'winpmem.ps1' } as const;

/** Exit codes the acquisition scripts use, and what each means for the investigator. */
export const SCRIPT_EXIT: Record<number, { code: string; message: string; hint: string }> = {
  10: {
    code: 'memory-tool-missing',
    message: 'The acquisition tool is not on the instance and could not be fetched.',
    hint: 'Install it on the instance, or upload it to S3 and give its s3:// location as the tool source; then plan the memory action again.',
  },
  11: {
    code: 'memory-bucket-not-writable',
    message: 'The instance could not write to the evidence bucket.',
    hint: "Allow s3:PutObject on the case bucket/prefix to the instance's role (and in the bucket policy), then plan the memory action again.",
  },
  12: {
    code: 'memory-acquisition-failed',
    message: 'The acquisition tool failed while reading memory.',
    hint: 'Read the command output in the step result; plan again with the other Linux tool (LiME or AVML).',
  },
  13: {
    code: 'memory-not-root',
    message: 'The acquisition did not run with the privileges it needs.',
    hint: 'SSM Run Command normally runs as root/SYSTEM; check the SSM agent configuration, then plan again.',
  },
  14: {
    code: 'memory-no-space',
    message: 'The instance lacks what streaming needs (aws CLI, sha256sum or a temporary FIFO).',
    hint: 'Install the AWS CLI on the instance and plan again, or acquire by snapshot instead.',
  },
};

const quote = (v: string): string => `'${v.replace(/'/g, "'\\''")}'`;

/** The object key of the image: under the case's prefix, named after the case, instance and action. */
export function memoryKey(ctx: Pick<MemoryContext, 'caseNumber' | 'actionId' | 'facts' | 'options'>, ext: string): string {
  const prefix = ctx.options.prefix ? `${ctx.options.prefix.replace(/\/+$/, '')}/` : '';
  return `${prefix}${ctx.caseNumber}/${ctx.facts.instanceId}/memory-action-${ctx.actionId}.${ext}`;
}

/**
 * Memory acquisition over SSM Run Command: checks the instance is managed and
 * online and the bucket reachable, sends the shipped script (settings
 * prepended as variables), polls the command, checks the S3 object's size
 * and records the image with the size and SHA-256 computed on the instance.
 */
export function planMemory(ctx: MemoryContext): Plan {
  const { facts: f, options: o } = ctx;
  const id = f.instanceId;
  const region = f.region;
  const windows = f.platform === 'windows';
  const tool = o.tool ?? (windows ? 'winpmem' : 'avml');
  if (windows !== (tool === 'winpmem')) {
    throw new AppError(
      'memory-tool-platform',
      `${tool} does not run on ${f.platform} instances.`,
      windows ? 'Use WinPmem for Windows.' : 'Use AVML (default) or LiME for Linux.',
    );
  }
  // When the SSM lookup failed, planning goes on: the first step checks the agent when the action runs.
  if (!unknown(f, 'ssm')) requireOnline(f);
  const ext = tool === 'avml' || tool === 'lime' ? 'lime' : 'raw';
  const key = memoryKey(ctx, ext);
  const settings: Record<string, string> = {
    LARIAT_BUCKET: o.bucket,
    LARIAT_KEY: key,
    LARIAT_REGION: region,
    LARIAT_TOOL_SOURCE: o.toolSource ?? '',
  };
  const body = fs.readFileSync(path.join(ctx.resourcesDir, 'memory', TOOL_SCRIPTS[tool]), 'utf8');
  const header = windows
    ? Object.entries(settings)
        .map(([k, v]) => `$env:${k} = ${quote(v)}`)
        .join('\n')
    : Object.entries(settings)
        .map(([k, v]) => `export ${k}=${quote(v)}`)
        .join('\n');
  const script = `${header}\n${body}`;
  return {
    steps: [
      {
        key: 'check-ssm',
        title: 'Check the instance is managed by SSM and online',
        kind: 'check-ssm',
        service: 'ssm',
        region,
        operation: 'DescribeInstanceInformation',
        request: { Filters: [{ Key: 'InstanceIds', Values: [id] }] },
      },
      {
        key: 'check-bucket',
        title: `Check the evidence bucket ${o.bucket} exists and is reachable`,
        kind: 'check-bucket',
        service: 's3',
        region,
        operation: 'HeadBucket',
        request: { Bucket: o.bucket },
      },
      {
        key: 'send-command',
        title: `Run the ${tool} acquisition script through SSM`,
        kind: 'call',
        service: 'ssm',
        region,
        operation: 'SendCommand',
        request: {
          InstanceIds: [id],
          DocumentName: windows ? 'AWS-RunPowerShellScript' : 'AWS-RunShellScript',
          Comment: `Lariat ${ctx.caseNumber} action ${ctx.actionId}: memory to s3://${o.bucket}/${key}`.slice(0, 100),
          TimeoutSeconds: 600,
          Parameters: { commands: [script], executionTimeout: [String(o.timeoutMinutes * 60)] },
        },
      },
      {
        key: 'poll-command',
        title: 'Wait for the acquisition to finish (size and SHA-256 computed on the instance)',
        kind: 'poll-command',
        service: 'ssm',
        region,
        operation: 'GetCommandInvocation',
        request: { CommandId: ref('send-command.Command.CommandId'), InstanceId: id },
      },
      {
        key: 'verify-object',
        title: 'Check the S3 object has the size the instance reported',
        kind: 'verify-object',
        service: 's3',
        region,
        operation: 'HeadObject',
        request: { Bucket: o.bucket, Key: key },
      },
      {
        key: 'register-evidence',
        title: 'Record the memory image as an evidence item with a custody entry',
        kind: 'register-memory',
        service: 'lariat',
        region,
        operation: 'RegisterEvidence',
        request: { Uri: `s3://${o.bucket}/${key}`, Size: ref('poll-command.Size'), Sha256: ref('poll-command.Sha256'), Tool: tool },
      },
    ],
    recorded: { tool, bucket: o.bucket, key },
    warnings: lookupWarnings(f, ['ssm']),
  };
}

/** Refuses early, with the reason, when Run Command cannot reach the instance. */
export function requireOnline(f: Pick<InstanceFacts, 'instanceId' | 'ssm'>): void {
  if (!f.ssm.managed) {
    throw new AppError(
      'ssm-not-managed',
      `Instance ${f.instanceId} is not managed by AWS Systems Manager, so memory cannot be acquired through Run Command.`,
      'It needs the SSM agent and an instance role with AmazonSSMManagedInstanceCore (or Default Host Management). Otherwise snapshot its volumes.',
    );
  }
  if (f.ssm.pingStatus !== 'Online') {
    throw new AppError(
      'ssm-agent-offline',
      `The SSM agent on ${f.instanceId} is ${f.ssm.pingStatus ?? 'not reporting'}, not Online.`,
      'Acquire memory before network isolation or profile removal (both cut the agent off); check the agent, its role and the network path to SSM.',
    );
  }
}
