import {
  SSMClient,
  type DescribeInstanceInformationCommandInput,
  type GetCommandInvocationCommandInput,
  type ListCommandsCommandInput,
  type SendCommandCommandInput,
} from '@aws-sdk/client-ssm';
import { h, type CallContext, type ModelModule } from '../types';
import type { S3State } from './s3';

export interface ManagedInstance {
  InstanceId: string;
  PingStatus: 'Online' | 'ConnectionLost' | 'Inactive';
  AgentVersion: string;
  PlatformName: string;
}

export interface Invocation {
  Status: 'Pending' | 'InProgress' | 'Success' | 'Failed';
  ResponseCode: number;
  StandardOutputContent: string;
  StandardErrorContent: string;
  polls: number;
}

export interface CommandRecord {
  CommandId: string;
  DocumentName: string;
  Comment: string;
  InstanceIds: string[];
  RequestedDateTime: string;
  script: string;
  invocations: Record<string, Invocation>;
}

/** How instances run Lariat's acquisition script (the model does not run shell). */
export interface ScriptBehaviour {
  /** GetCommandInvocation calls before the command ends. */
  pollsToFinish: number;
  exitCode: number;
  stderr: string;
  imageSize: number;
  imageSha256: string;
  /** Replaces the script's standard output (e.g. '' for a command that printed nothing). */
  stdout: string | null;
  /** Bytes that reach S3, when they differ from what the instance hashed (a truncated upload). */
  uploadSize: number | null;
  /** The first GetCommandInvocation after SendCommand answers InvocationDoesNotExist, as AWS often does. */
  notYetVisible: boolean;
}

export interface SsmState {
  managed: Record<string, ManagedInstance>;
  commands: Record<string, CommandRecord>;
  behaviour: ScriptBehaviour;
}

const setting = (script: string, name: string): string | undefined =>
  new RegExp(`^(?:export ${name}=|\\$env:${name} = )'([^']*)'`, 'm').exec(script)?.[1];

/** Ends an invocation the way the shipped scripts do: the image in S3 and a LARIAT_RESULT line, or an exit code. */
function finish(ctx: CallContext<SsmState>, cmd: CommandRecord, inv: Invocation): void {
  const b = ctx.state.behaviour;
  const bucket = setting(cmd.script, 'LARIAT_BUCKET') ?? '';
  const key = setting(cmd.script, 'LARIAT_KEY') ?? '';
  inv.ResponseCode = b.exitCode;
  inv.StandardErrorContent = b.stderr;
  if (b.exitCode !== 0) {
    inv.Status = 'Failed';
    inv.StandardOutputContent = b.stdout ?? '';
    return;
  }
  const s3 = ctx.slice<S3State>('s3');
  const target = s3.buckets[bucket];
  if (target) target.objects[key] = { ContentLength: b.uploadSize ?? b.imageSize, ETag: `"${b.imageSha256.slice(0, 32)}"` };
  inv.Status = 'Success';
  inv.StandardOutputContent = b.stdout ?? `LARIAT_RESULT size=${b.imageSize} sha256=${b.imageSha256} uri=s3://${bucket}/${key}\n`;
}

/** Systems Manager: managed-instance status and Run Command (commands, invocations, listing). */
export const ssm: ModelModule<SsmState> = {
  name: 'ssm',
  service: 'ssm',
  client: SSMClient,
  scope: 'regional',
  throttlingCode: 'ThrottlingException',
  initial: () => ({
    managed: {},
    commands: {},
    behaviour: {
      pollsToFinish: 2,
      exitCode: 0,
      stderr: '',
      imageSize: 4294967296,
      imageSha256: 'a'.repeat(64),
      stdout: null,
      uploadSize: null,
      notYetVisible: true,
    },
  }),
  handlers: {
    DescribeInstanceInformation: h<DescribeInstanceInformationCommandInput, SsmState>((i, ctx) => {
      const ids = i.Filters?.find((f) => f.Key === 'InstanceIds')?.Values;
      return {
        InstanceInformationList: Object.values(ctx.state.managed)
          .filter((m) => !ids || ids.includes(m.InstanceId))
          .map((m) => ({ ...m })),
      };
    }),
    SendCommand: h<SendCommandCommandInput, SsmState>((i, ctx) => {
      const ids = i.InstanceIds ?? [];
      const bad = ids.filter((id) => ctx.state.managed[id]?.PingStatus !== 'Online');
      if (bad.length)
        ctx.error('InvalidInstanceId', `Instances [[${bad.join(', ')}]] not in a valid state for account ${ctx.model.account}`);
      const script = (i.Parameters?.commands ?? []).join('\n');
      const cmd: CommandRecord = {
        CommandId: ctx.id('cmd'),
        DocumentName: i.DocumentName ?? '',
        Comment: i.Comment ?? '',
        InstanceIds: ids,
        RequestedDateTime: ctx.now(),
        script,
        invocations: Object.fromEntries(
          ids.map((id) => [id, { Status: 'Pending', ResponseCode: -1, StandardOutputContent: '', StandardErrorContent: '', polls: 0 }]),
        ),
      };
      ctx.state.commands[cmd.CommandId] = cmd;
      return {
        Command: {
          CommandId: cmd.CommandId,
          DocumentName: cmd.DocumentName,
          Comment: cmd.Comment,
          InstanceIds: ids,
          Status: 'Pending',
          RequestedDateTime: new Date(cmd.RequestedDateTime),
        },
      };
    }),
    GetCommandInvocation: h<GetCommandInvocationCommandInput, SsmState>((i, ctx) => {
      const cmd = i.CommandId ? ctx.state.commands[i.CommandId] : undefined;
      const inv = cmd && i.InstanceId ? cmd.invocations[i.InstanceId] : undefined;
      if (!cmd || !inv) return ctx.error('InvocationDoesNotExist', 'An error occurred (InvocationDoesNotExist)');
      inv.polls++;
      if (inv.polls === 1 && ctx.state.behaviour.notYetVisible)
        ctx.error('InvocationDoesNotExist', 'An error occurred (InvocationDoesNotExist)');
      if (inv.Status === 'Pending' || inv.Status === 'InProgress') {
        if (inv.polls > ctx.state.behaviour.pollsToFinish) finish(ctx, cmd, inv);
        else inv.Status = 'InProgress';
      }
      return {
        CommandId: cmd.CommandId,
        InstanceId: i.InstanceId,
        Status: inv.Status,
        ResponseCode: inv.ResponseCode,
        StandardOutputContent: inv.StandardOutputContent,
        StandardErrorContent: inv.StandardErrorContent,
      };
    }),
    ListCommands: h<ListCommandsCommandInput, SsmState>((i, ctx) => ({
      Commands: Object.values(ctx.state.commands)
        .filter((c) => (!i.CommandId || c.CommandId === i.CommandId) && (!i.InstanceId || c.InstanceIds.includes(i.InstanceId)))
        .filter((c) => (i.Filters ?? []).every((f) => f.key !== 'DocumentName' || f.value === c.DocumentName))
        .map((c) => ({
          CommandId: c.CommandId,
          DocumentName: c.DocumentName,
          Comment: c.Comment,
          InstanceIds: c.InstanceIds,
          RequestedDateTime: new Date(c.RequestedDateTime),
          Status: Object.values(c.invocations)[0]?.Status ?? 'Pending',
        })),
    })),
  },
};
