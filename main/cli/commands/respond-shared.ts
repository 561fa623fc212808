import readline from 'node:readline';
import type { Command } from 'commander';
import * as z from 'zod';
import { PlanActionInput, type ActionRecord, type ActionKind } from '../../../common/contract/response';
import { AppError } from '../../core/errors';
import { type CliContext, printJson } from '../context';
import { parseInput } from '../parse';

/**
 * What every response command shares: the AWS connection options, turning options into a planned
 * action, and the plan / typed confirmation / run loop. Also used by the acquisition and S3/Lambda commands.
 */

export interface ConnectOpts {
  profile?: string;
  roleArn?: string;
  externalId?: string;
  mfaSerial?: string;
  mfaCode?: string;
  awsRegion?: string;
}
export interface ActionOpts extends ConnectOpts {
  case: string;
  instance: string;
  region: string;
  plan?: boolean;
  yes?: boolean;
  json?: boolean;
  asgMode?: string;
  disassociateEips?: boolean;
  profileMode?: string;
  isolationProfile?: string;
  revokeSessions?: boolean;
  nacl?: boolean;
  skipEvidence?: boolean;
  shareWith?: string;
  copyToRegion?: string;
  kmsKey?: string;
  waitMinutes?: string;
  bucket?: string;
  prefix?: string;
  tool?: string;
  toolSource?: string;
  timeoutMinutes?: string;
}

export const num = (v: string | undefined): number | undefined => (v === undefined ? undefined : Number(v));

export function connectOptions(cmd: Command): Command {
  return cmd
    .option('--profile <name>', 'AWS profile (named or SSO) from ~/.aws/config; default: the SDK chain (AWS_PROFILE, env, SSO...)')
    .option('--role-arn <arn>', 'assume this role in the target account')
    .option('--external-id <id>', 'external id required by the role')
    .option('--mfa-serial <arn>', 'MFA device ARN required by the role')
    .option('--mfa-code <code>', 'current MFA code (used once, never stored)');
}

/** Connects explicitly when connection options were given; otherwise the session uses the saved profile or the default chain. */
export async function connect(ctx: CliContext, o: ConnectOpts, region: string | undefined): Promise<void> {
  if (!o.profile && !o.roleArn) return;
  await ctx.op('awsConnect', {
    source: o.roleArn ? 'assume-role' : 'profile',
    profile: o.profile,
    roleArn: o.roleArn,
    externalId: o.externalId,
    mfaSerial: o.mfaSerial,
    mfaCode: o.mfaCode,
    region,
  });
}

export function planInput(kind: ActionKind, o: ActionOpts): z.output<typeof PlanActionInput> {
  const options =
    kind === 'isolate'
      ? {
          asgMode: o.asgMode,
          disassociateEips: o.disassociateEips,
          profileMode: o.profileMode,
          isolationProfileArn: o.isolationProfile,
          revokeSessions: o.revokeSessions,
          nacl: o.nacl,
          skipEvidence: o.skipEvidence,
        }
      : kind === 'snapshot'
        ? { shareWithAccount: o.shareWith, copyToRegion: o.copyToRegion, kmsKeyId: o.kmsKey, waitMinutes: num(o.waitMinutes) }
        : kind === 'memory'
          ? { bucket: o.bucket, prefix: o.prefix, tool: o.tool, toolSource: o.toolSource, timeoutMinutes: num(o.timeoutMinutes) }
          : {};
  const clean = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  return parseInput(PlanActionInput, { kind, caseNumber: o.case, region: o.region, instanceId: o.instance, options: clean });
}

/** The plan as the investigator must see it before confirming: every AWS call, its IAM action and its exact parameters. */
export function formatPlan(a: ActionRecord): string {
  const lines = [
    `Plan #${a.id}: ${a.kind} ${a.instanceId} in ${a.region}${a.account ? ` (account ${a.account})` : ''}, case ${a.caseNumber}: ${a.steps.length} steps`,
  ];
  for (const s of a.steps) {
    const r = (s.result ?? {}) as { AlreadyInPlace?: boolean; EvidenceNotCaptured?: string };
    const mark =
      s.state === 'succeeded'
        ? r.AlreadyInPlace
          ? '[done: already in place] '
          : '[done] '
        : s.state === 'skipped'
          ? r.EvidenceNotCaptured
            ? '[not captured] '
            : '[skipped] '
          : s.state === 'failed'
            ? '[failed] '
            : '';
    lines.push(`${String(s.index + 1).padStart(3)}. ${mark}${s.title}`);
    const checks = s.checks.length ? `; checks: ${s.checks.join(', ')}` : '';
    lines.push(
      `     ${s.service === 'lariat' ? 'local' : `${s.service}:${s.operation}`}  region ${s.region}  (IAM: ${s.iamAction}${checks})`,
    );
    lines.push(`     ${JSON.stringify(s.request)}`);
    if (r.EvidenceNotCaptured) lines.push(`     ${r.EvidenceNotCaptured}`);
  }
  lines.push('Values {"$ref": "step.Path"} are taken from an earlier step\'s result; {"$now": ...} is the time the step runs.');
  lines.push('Each change is checked first: a step whose change is already in place succeeds without calling AWS again.');
  for (const w of a.warnings) lines.push(`WARNING: ${w}`);
  return lines.join('\n');
}

/** What the investigator types back: the instance id, the user name, the role name... */
export const targetWord = (a: ActionRecord): string =>
  a.target.type === 'ec2-instance' ? 'instance id' : `${a.target.type.replace('-', ' ')} name`;

export async function askInstanceId(a: ActionRecord): Promise<string> {
  if (!process.stdin.isTTY) {
    throw new AppError(
      'confirmation-needs-tty',
      `Action #${a.id} changes ${a.instanceId} and needs a typed confirmation, but standard input is not a terminal.`,
      `Run it in a terminal to type the ${targetWord(a)}, or pass --yes after reviewing the plan (lariat respond ${a.kind} ... --plan).`,
    );
  }
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await new Promise<string>((resolve) =>
      rl.question(`Type the ${targetWord(a)} (${a.instanceId}) to run ${a.steps.length} steps: `, resolve),
    );
  } finally {
    rl.close();
  }
}

/** Confirms (typed, or --yes after review) and runs the action through the runAction door, printing each step as it ends. */
export async function runAction(ctx: CliContext, a: ActionRecord, yes: boolean | undefined, json: boolean | undefined): Promise<void> {
  const s = ctx.services();
  const confirm = yes ? a.instanceId : await askInstanceId(a);
  const off = s.core.events.subscribe((name, payload) => {
    if (name !== 'actionChanged' || json) return;
    const p = payload as { actionId: number; stepIndex: number | null; stepState: string | null };
    if (p.actionId !== a.id || p.stepIndex == null || p.stepState === 'running') return;
    const step = a.steps[p.stepIndex];
    ctx.io.out(
      `${p.stepState === 'failed' ? 'FAILED ' : p.stepState === 'skipped' ? 'skipped' : 'ok     '} ${p.stepIndex + 1}/${a.steps.length} ${step?.title ?? ''}`,
    );
  });
  try {
    const { jobId } = await ctx.op('runAction', { actionId: a.id, confirm });
    // The step lines below are this command's progress, so the job is awaited without the door's progress bar.
    const done = await s.core.jobs.wait<ActionRecord>(jobId);
    if (json) printJson(ctx, done);
    else ctx.io.out(`Action #${done.id} ${done.state}: ${done.stepsDone}/${done.stepsTotal} steps.`);
  } catch (err) {
    const elsewhere = err instanceof AppError && err.code === 'action-running-elsewhere';
    if (!json && !elsewhere) ctx.io.err(`Action #${a.id} stopped; fix the cause and resume with: lariat respond resume ${a.id}`);
    throw err;
  } finally {
    off();
  }
}

/** With --plan: print the plan and stop. Otherwise print it, ask for the typed confirmation (or --yes) and run it. */
export async function showOrRun(
  ctx: CliContext,
  planned: ActionRecord,
  o: { plan?: boolean; yes?: boolean; json?: boolean },
): Promise<void> {
  if (o.plan) {
    if (o.json) printJson(ctx, planned);
    else ctx.io.out(`${formatPlan(planned)}\nNothing was changed. Run it with: lariat respond resume ${planned.id}`);
    return;
  }
  if (!o.json) ctx.io.out(formatPlan(planned));
  await runAction(ctx, planned, o.yes, o.json);
}
