import readline from 'node:readline';
import type { Command } from 'commander';
import { z } from 'zod';
import { CaseNumber, AwsRegion, Id } from '../../../common/contract/common';
import { AwsConnectInput, LinkIncidentInput, PlanActionInput, type ActionRecord, type ActionKind } from '../../../common/contract/response';
import { AppError } from '../../core/errors';
import { type CliContext, printJson, table } from '../context';
import { parseInput } from '../parse';

export interface ConnectOpts {
  profile?: string;
  roleArn?: string;
  externalId?: string;
  mfaSerial?: string;
  mfaCode?: string;
  awsRegion?: string;
}
interface ActionOpts extends ConnectOpts {
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

const num = (v: string | undefined): number | undefined => (v === undefined ? undefined : Number(v));

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
  const input = parseInput(AwsConnectInput, {
    source: o.roleArn ? 'assume-role' : 'profile',
    profile: o.profile,
    roleArn: o.roleArn,
    externalId: o.externalId,
    mfaSerial: o.mfaSerial,
    mfaCode: o.mfaCode,
    region,
  });
  await ctx.services().response.aws.connect(input);
}

function planInput(kind: ActionKind, o: ActionOpts): z.output<typeof PlanActionInput> {
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
const targetWord = (a: ActionRecord): string =>
  a.target.type === 'ec2-instance' ? 'instance id' : `${a.target.type.replace('-', ' ')} name`;

async function askInstanceId(a: ActionRecord): Promise<string> {
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

/** `lariat respond ...` and `lariat aws ...`: response actions from a terminal, planned, confirmed and resumable. */
export function registerRespondCommands(program: Command, ctx: CliContext): void {
  const aws = program.command('aws').description('AWS identity and instance discovery');
  connectOptions(aws.command('whoami').description('show who Lariat acts as in AWS (sts:GetCallerIdentity)'))
    .option('--region <region>', 'region for STS')
    .option('--json', 'print JSON')
    .action(async (o: ConnectOpts & { region?: string; json?: boolean }) => {
      const region = o.region ? parseInput(z.object({ region: AwsRegion }), { region: o.region }).region : undefined;
      const session = ctx.services().response.aws;
      if (o.profile || o.roleArn) await connect(ctx, o, region);
      else if (region)
        await session.connect({
          source: session.config().profile ? 'profile' : 'default',
          profile: session.config().profile ?? undefined,
          region,
        });
      else await session.clients();
      const who = session.whoAmI();
      if (o.json) return printJson(ctx, who);
      ctx.io.out(
        [
          `account  ${who.account}`,
          `arn      ${who.arn}`,
          `profile  ${who.profile ?? '(default chain)'}`,
          `region   ${who.region}`,
          who.endpoint ? `endpoint ${who.endpoint}` : '',
        ]
          .filter(Boolean)
          .join('\n'),
      );
    });
  connectOptions(aws.command('find').description("search EC2 instances in the case's regions by id, Name tag, IP or tag key=value"))
    .argument('<query>', 'instance id, Name (substring), IP address or key=value')
    .requiredOption('--case <case>', 'case number')
    .option('--region <region>', 'region to search (repeatable); default: the case regions', (v: string, prev: string[] = []) => [
      ...prev,
      v,
    ])
    .option('--add', 'add every instance found to the case as an asset')
    .option('--json', 'print JSON')
    .action(async (query: string, o: ConnectOpts & { case: string; region?: string[]; add?: boolean; json?: boolean }) => {
      const input = parseInput(z.object({ caseNumber: CaseNumber, regions: z.array(AwsRegion).optional() }), {
        caseNumber: o.case,
        regions: o.region,
      });
      await connect(ctx, o, input.regions?.[0]);
      const r = ctx.services().response.response;
      const found = await r.find(input.caseNumber, query, input.regions);
      if (o.add) for (const i of found) await r.addInstance(input.caseNumber, i.region, i.instanceId);
      if (o.json) return printJson(ctx, found);
      if (found.length === 0) return ctx.io.out(`No instance matches "${query}".`);
      ctx.io.out(
        table([
          ['INSTANCE', 'REGION', 'STATE', 'NAME', 'PRIVATE IP', 'PUBLIC IP', 'VPC'],
          ...found.map((i) => [i.instanceId, i.region, i.state, i.name ?? '', i.privateIp ?? '', i.publicIp ?? '', i.vpcId ?? '']),
        ]),
      );
    });

  const respond = program
    .command('respond')
    .description('plan and run response actions: EC2 instances, credentials, role sessions (and every other registered kind)');
  const kinds: { kind: ActionKind; about: string; extra?: (c: Command) => Command }[] = [
    {
      kind: 'isolate',
      about: 'save evidence, protect, take out of Auto Scaling and load balancers, cut the network, remove the profile, tag',
      extra: (c) =>
        c
          .option('--asg-mode <mode>', 'detach (default; the group launches a replacement) or standby')
          .option('--disassociate-eips', 'also disassociate Elastic IPs')
          .option('--profile-mode <mode>', 'disassociate (default), replace or keep the instance profile')
          .option('--isolation-profile <arn>', 'instance profile to put in place with --profile-mode replace')
          .option('--revoke-sessions', "deny the instance role's sessions issued before now")
          .option('--nacl', "also deny the instance's addresses in every network ACL of the VPC (cuts flows that stay tracked)")
          .option('--skip-evidence', 'do not capture console output and screenshot first (they are best effort anyway)'),
    },
    {
      kind: 'snapshot',
      about: 'snapshot every attached EBS volume and record each as evidence',
      extra: (c) =>
        c
          .option('--share-with <account>', 'share the snapshots with this forensic account')
          .option('--copy-to-region <region>', 'copy the snapshots to this region (with --kms-key)')
          .option('--kms-key <key>', 'KMS key to re-encrypt the copies with')
          .option('--wait-minutes <n>', 'how long to wait for completion (default 240)'),
    },
    {
      kind: 'memory',
      about: 'acquire memory over SSM Run Command, streamed to S3 and hashed on the instance',
      extra: (c) =>
        c
          .requiredOption('--bucket <bucket>', 'S3 bucket of the case')
          .option('--prefix <prefix>', 'key prefix in the bucket')
          .option('--tool <tool>', 'avml (Linux default), lime or winpmem (Windows default)')
          .option('--tool-source <s3uri>', 's3:// location of the tool when it is not installed on the instance')
          .option('--timeout-minutes <n>', 'how long the acquisition may take (default 120)'),
    },
  ];
  for (const k of kinds) {
    let c = connectOptions(respond.command(k.kind).description(k.about))
      .requiredOption('--case <case>', 'case number')
      .requiredOption('--instance <id>', 'instance id')
      .requiredOption('--region <region>', 'region of the instance')
      .option('--plan', 'print the plan (every AWS call with its parameters) and stop; nothing changes')
      .option('--yes', 'do not ask for the instance id (only after reviewing the plan)')
      .option('--json', 'print JSON');
    if (k.extra) c = k.extra(c);
    c.action(async (o: ActionOpts) => {
      const input = planInput(k.kind, o);
      await connect(ctx, o, input.region);
      await showOrRun(ctx, await ctx.op('planAction', input), o);
    });
  }
  connectOptions(
    respond
      .command('release')
      .description(
        'undo a containment of any kind (--action N), or the latest isolation of an instance (--instance): restore exactly what it changed',
      ),
  )
    .option('--action <n>', 'the action to release (isolation, credentials, role sessions, ...)')
    .option('--case <case>', 'case number (with --instance)')
    .option('--instance <id>', 'instance id: release its latest isolation')
    .option('--region <region>', 'region of the instance (with --instance)')
    .option('--plan', 'print the plan (every AWS call with its parameters) and stop; nothing changes')
    .option('--yes', 'do not ask for the target (only after reviewing the plan)')
    .option('--json', 'print JSON')
    .action(async (o: ActionOpts & { action?: string }) => {
      let planned: ActionRecord;
      if (o.action !== undefined) {
        const actionId = parseInput(z.object({ action: z.coerce.number().pipe(Id) }), { action: o.action }).action;
        const a = await ctx.op('getAction', { actionId });
        await connect(ctx, o, a.region);
        planned = await ctx.op('planRelease', { actionId });
      } else {
        if (!o.case || !o.instance || !o.region)
          throw new AppError(
            'release-target-missing',
            'Say what to release: --action N, or --case, --instance and --region for an isolation.',
            'List the case actions with: lariat respond list --case <case>',
          );
        const input = planInput('release', o);
        await connect(ctx, o, input.region);
        planned = await ctx.op('planAction', input);
      }
      await showOrRun(ctx, planned, o);
    });
  connectOptions(
    respond.command('resume').description('run a planned action, or resume an interrupted or failed one; succeeded steps are skipped'),
  )
    .argument('<action>', 'action number')
    .option('--yes', 'do not ask for the instance id')
    .option('--json', 'print JSON')
    .action(async (id: string, o: ConnectOpts & { yes?: boolean; json?: boolean }) => {
      const actionId = parseInput(z.object({ action: z.coerce.number().pipe(Id) }), { action: id }).action;
      const a = await ctx.op('getAction', { actionId });
      await connect(ctx, o, a.region);
      if (!o.json) ctx.io.out(formatPlan(a));
      await runAction(ctx, a, o.yes, o.json);
    });
  connectOptions(
    respond
      .command('incident')
      .description('start an Incident Manager incident from a response plan, or link an existing one, to the case; show its status'),
  )
    .requiredOption('--case <case>', 'case number')
    .option('--region <region>', 'region of the Incident Manager replication set')
    .option('--response-plan <arn>', 'start an incident from this response plan')
    .option('--incident <arn>', 'link this existing incident')
    .option('--impact <n>', 'impact 1 (critical) to 5 (no impact) when starting')
    .option('--json', 'print JSON')
    .action(
      async (
        o: ConnectOpts & { case: string; region?: string; responsePlan?: string; incident?: string; impact?: string; json?: boolean },
      ) => {
        const incidents = ctx.services().response.incidents;
        let status;
        if (o.responsePlan || o.incident) {
          const input = parseInput(LinkIncidentInput, {
            caseNumber: o.case,
            region: o.region,
            responsePlanArn: o.responsePlan,
            incidentArn: o.incident,
            impact: num(o.impact),
          });
          await connect(ctx, o, input.region);
          status = await incidents.linkIncident(input);
        } else {
          await connect(ctx, o, o.region);
          status = await incidents.status(parseInput(z.object({ caseNumber: CaseNumber }), { caseNumber: o.case }).caseNumber);
        }
        if (o.json) return printJson(ctx, status);
        if (!status.linked)
          return ctx.io.out(`${o.case} is not linked to an incident. Link one with --response-plan <arn> or --incident <arn>.`);
        ctx.io.out(
          [
            `incident ${status.incidentArn}`,
            status.unavailable
              ? `status unavailable: ${status.unavailable}`
              : `status ${status.status} impact ${status.impact} "${status.title}"`,
          ].join('\n'),
        );
      },
    );
  respond
    .command('list')
    .description('response actions of a case')
    .requiredOption('--case <case>', 'case number')
    .option('--json', 'print JSON')
    .action((o: { case: string; json?: boolean }) => {
      const list = ctx
        .services()
        .response.response.list(parseInput(z.object({ caseNumber: CaseNumber }), { caseNumber: o.case }).caseNumber);
      if (o.json) return printJson(ctx, list);
      if (list.length === 0)
        return ctx.io.out('No response actions yet. Plan one with: lariat respond isolate --case ... --instance ... --region ... --plan');
      ctx.io.out(
        table([
          ['#', 'KIND', 'TARGET', 'REGION', 'STATE', 'STEPS', 'CREATED (UTC)'],
          ...list.map((a) => [
            String(a.id),
            a.releaseOf != null ? `${a.kind} of #${a.releaseOf}` : a.kind,
            a.target.type === 'ec2-instance' ? a.instanceId : `${a.target.type} ${a.instanceId}`,
            a.region,
            a.runningElsewhere
              ? `running in another Lariat (pid ${a.runningElsewhere.pid}, since ${a.runningElsewhere.since.slice(0, 19).replace('T', ' ')})`
              : a.interrupted
                ? 'interrupted'
                : a.state,
            `${a.stepsDone}/${a.stepsTotal}`,
            a.createdAt.slice(0, 19).replace('T', ' '),
          ]),
        ]),
      );
    });
  respond
    .command('show')
    .description('show an action with every step, its state and error')
    .argument('<action>', 'action number')
    .option('--json', 'print JSON')
    .action((id: string, o: { json?: boolean }) => {
      const a = ctx.services().response.response.get(parseInput(z.object({ action: z.coerce.number().pipe(Id) }), { action: id }).action);
      if (o.json) return printJson(ctx, a);
      ctx.io.out(formatPlan(a));
      if (a.error) ctx.io.out(`error: ${a.error.message}\nhint: ${a.error.hint}`);
    });
}
