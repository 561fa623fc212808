import type { Command } from 'commander';
import { z } from 'zod';
import { CaseNumber, Id } from '../../../common/contract/common';
import {
  AccountScope,
  AthenaQueryInput,
  AthenaSetupInput,
  AttachInboxInput,
  CoverageInput,
  ListInboxInput,
  LookupEventsInput,
  OpenCaseFromInboxInput,
  PlanBucketInput,
  PullFindingsInput,
  TriageInput,
} from '../../../common/contract/acquire';
import type { JobRecord } from '../../../common/contract/jobs';
import type { JobContext } from '../../jobs/job-service';
import type * as AcquireOps from '../../acquire/operations';
import { lazy } from '../lazy';

/** Loaded with the runtime when a command runs, never by `--help`. */
const ops: typeof AcquireOps = lazy((r) => r.acquireOps);
import { type CliContext, printJson } from '../context';
import { parseInput } from '../parse';
import { type ConnectOpts, connect, connectOptions } from './respond';
import {
  bytes,
  formatAcquisition,
  formatAcquisitions,
  formatBucketPlan,
  formatCoverage,
  formatInbox,
  formatQueryPlan,
  formatSetupPlan,
  formatValidation,
} from './acquire-print';

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];
const window = (o: { from?: string; to?: string }) => (o.from || o.to ? { from: o.from, to: o.to } : undefined);

interface ScopeOpts {
  account?: string[];
  organization?: boolean;
  roleName?: string;
  externalId?: string;
}

function scopeOptions(c: Command): Command {
  return c
    .option('--account <id>', 'work in this account (repeatable); others than the current one through --role-name', collect)
    .option('--organization', 'work in every active account of the AWS Organization (organizations:ListAccounts)')
    .option('--role-name <name>', 'role assumed in each other account (default LariatResponder)')
    .option('--assume-external-id <id>', 'external id of that role');
}

const scopeOf = (o: ScopeOpts & { assumeExternalId?: string }) =>
  o.account || o.organization
    ? { accounts: o.account, organization: o.organization, roleName: o.roleName, externalId: o.assumeExternalId }
    : undefined;

/** Runs long work as a job, printing its progress on stderr (at most once a second, and each new message). */
async function withProgress<T>(
  ctx: CliContext,
  kind: string,
  label: string,
  caseNumber: string | null,
  work: (job: JobContext) => Promise<T>,
  unit: JobRecord['unit'] = 'steps',
): Promise<T> {
  const s = ctx.services();
  let last = 0;
  let lastMessage: string | null = null;
  const off = s.core.events.subscribe((name, payload) => {
    if (name !== 'jobProgress') return;
    const j = payload as JobRecord;
    if (j.kind !== kind || j.state !== 'running') return;
    const now = Date.now();
    if (now - last < 1000 && j.message === lastMessage) return;
    last = now;
    lastMessage = j.message;
    const amount =
      j.unit === 'bytes' ? `${bytes(j.done)}${j.total ? ` of ${bytes(j.total)}` : ''}` : `${j.done}${j.total ? `/${j.total}` : ''}`;
    ctx.io.err(`… ${amount}${j.message ? `  ${j.message}` : ''}`);
  });
  try {
    return await s.core.jobs.run({ kind, label, caseNumber, unit }, work);
  } finally {
    off();
  }
}

const ref = (id: string): number => parseInput(z.object({ acquisition: z.coerce.number().pipe(Id) }), { acquisition: id }).acquisition;

async function runPlanned(ctx: CliContext, id: number, json: boolean | undefined): Promise<void> {
  const d = ctx.services().acquire;
  const row = d.store.row(id);
  const unit = row.kind === 'bucket' ? 'bytes' : 'steps';
  const done = await withProgress(ctx, `acquire-${row.kind}`, row.label, row.case_number, (job) => ops.runAcquisition(d, id, job), unit);
  if (json) printJson(ctx, done);
  else ctx.io.out(formatAcquisition(done));
}

/** `lariat acquire ...`, `lariat cloudtrail validate`, `lariat findings pull|inbox|...`, `lariat aws accounts|coverage`, `lariat athena ...`. */
export function registerAcquireCommands(program: Command, ctx: CliContext): void {
  const acquire = program.command('acquire').description('acquire CloudTrail history and log buckets from AWS into a case, with custody');

  scopeOptions(
    connectOptions(
      acquire
        .command('lookup-events')
        .description('CloudTrail event history (LookupEvents, last 90 days) into one evidence item and the timeline'),
    ),
  )
    .requiredOption('--case <case>', 'case number')
    .option('--region <region>', 'region (repeatable); default: the case regions', collect)
    .requiredOption('--from <time>', 'UTC start (2026-11-27 or ISO-8601)')
    .requiredOption('--to <time>', 'UTC end (a date means the end of that day)')
    .option('--principal <name>', 'only events of this user name (LookupEvents Username)')
    .option('--access-key-id <id>', 'only events made with this access key')
    .option('--event-name <name>', 'only this event, e.g. StopLogging')
    .option('--resource <name>', 'only events naming this resource')
    .option('--event-source <source>', 'only this service, e.g. iam.amazonaws.com')
    .option('--json', 'print JSON')
    .action(async (o: ConnectOpts & ScopeOpts & Record<string, string | string[] | boolean | undefined>) => {
      const input = parseInput(LookupEventsInput, {
        caseNumber: o.case,
        window: window(o as { from?: string; to?: string }),
        regions: o.region,
        principal: o.principal,
        accessKeyId: o.accessKeyId,
        eventName: o.eventName,
        resourceName: o.resource,
        eventSource: o.eventSource,
        scope: scopeOf(o),
      });
      await connect(ctx, o, input.regions?.[0]);
      const d = ctx.services().acquire;
      const done = await withProgress(ctx, 'acquire-lookup-events', 'CloudTrail event history', input.caseNumber, (job) =>
        ops.lookupEvents(d, input, job),
      );
      if (o.json) return printJson(ctx, done);
      ctx.io.out(formatAcquisition(done));
      for (const e of (done.result.errors as { account: string; region: string; message: string }[] | undefined) ?? [])
        ctx.io.err(`warning: ${e.account} ${e.region}: ${e.message}`);
    });

  connectOptions(
    acquire
      .command('bucket')
      .description('list (plan) then download CloudTrail or VPC flow log objects of a window into the vault, then the timeline'),
  )
    .requiredOption('--case <case>', 'case number')
    .option('--trail <name>', 'take the bucket and prefix of this trail (cloudtrail:DescribeTrails)')
    .option('--bucket <bucket>', 'the log bucket')
    .option('--prefix <prefix>', 'key prefix before AWSLogs/')
    .option('--log-kind <kind>', 'cloudtrail (default) or vpcflowlogs')
    .option('--account <id>', 'AWSLogs account folder to take (repeatable); default: all', collect)
    .option('--region <region>', 'region folder to take (repeatable); default: the case regions, else all', collect)
    .requiredOption('--from <time>', 'UTC start')
    .requiredOption('--to <time>', 'UTC end')
    .option('--no-digests', 'skip CloudTrail digest files and public keys (no offline validation then)')
    .option('--via-account <id>', 'act in this account (the log archive) through --role-name')
    .option('--role-name <name>', 'role to assume in --via-account (default LariatResponder)')
    .option('--s3-region <region>', 'region for the trail lookup and S3 calls')
    .option('--plan', 'list and show the count and size; download nothing (default without --yes)')
    .option('--yes', 'download after planning')
    .option('--json', 'print JSON')
    .action(async (o: ConnectOpts & Record<string, string | string[] | boolean | undefined>) => {
      const input = parseInput(PlanBucketInput, {
        caseNumber: o.case,
        window: window(o as { from?: string; to?: string }),
        trail: o.trail,
        bucket: o.bucket,
        prefix: o.prefix,
        logKind: o.logKind,
        accounts: o.account,
        regions: o.region,
        digests: o.digests,
        via: o.viaAccount ? { account: o.viaAccount, roleName: o.roleName } : undefined,
        region: o.s3Region,
      });
      await connect(ctx, o, input.region);
      const d = ctx.services().acquire;
      const plan = await withProgress(ctx, 'acquire-plan', 'Listing the bucket', input.caseNumber, (job) =>
        ops.planBucketAcquisition(d, input, job),
      );
      if (!o.yes) {
        if (o.json) return printJson(ctx, plan);
        return ctx.io.out(
          `${formatBucketPlan(plan)}\nNothing was downloaded. Run it with: lariat acquire run ${plan.acquisition.id} --yes`,
        );
      }
      if (!o.json) ctx.io.out(formatBucketPlan(plan));
      await runPlanned(ctx, plan.acquisition.id, o.json as boolean | undefined);
    });

  connectOptions(
    acquire.command('run').description('run a planned acquisition (bucket, Athena setup or query), or resume an interrupted one'),
  )
    .argument('<acquisition>', 'acquisition number')
    .option('--yes', 'confirm (downloads into the vault; Athena statements run and are billed)')
    .option('--json', 'print JSON')
    .action(async (id: string, o: ConnectOpts & { yes?: boolean; json?: boolean }) => {
      const n = ref(id);
      const a = ctx.services().acquire.store.get(n);
      if (!o.yes) {
        ctx.io.out(`${formatAcquisition(a)}\nConfirm with: lariat acquire run ${n} --yes`);
        return;
      }
      await connect(ctx, o, undefined);
      await runPlanned(ctx, n, o.json);
    });

  acquire
    .command('list')
    .description('acquisitions of a case')
    .requiredOption('--case <case>', 'case number')
    .option('--json', 'print JSON')
    .action((o: { case: string; json?: boolean }) => {
      const list = ops.listAcquisitions(ctx.services().acquire, parseInput(z.object({ c: CaseNumber }), { c: o.case }).c);
      if (o.json) return printJson(ctx, list);
      ctx.io.out(list.length ? formatAcquisitions(list) : 'No acquisitions yet.');
    });
  acquire
    .command('show <acquisition>')
    .description('one acquisition: request, objects, evidence, errors')
    .option('--json', 'print JSON')
    .action((id: string, o: { json?: boolean }) => {
      const a = ops.getAcquisition(ctx.services().acquire, ref(id));
      if (o.json) return printJson(ctx, a);
      ctx.io.out(formatAcquisition(a));
    });

  program
    .command('cloudtrail')
    .description('CloudTrail evidence of a case')
    .command('validate <case>')
    .description(
      'validate the acquired CloudTrail logs offline with the digest chain and public keys (exit 0 intact, 1 tampered, 3 incomplete)',
    )
    .option('--json', 'print JSON (every file with its status)')
    .action(async (caseNumber: string, o: { json?: boolean }) => {
      const v = await ops.validateCloudTrail(ctx.services().acquire, parseInput(z.object({ c: CaseNumber }), { c: caseNumber }).c);
      if (o.json) printJson(ctx, v);
      else ctx.io.out(formatValidation(v));
      ctx.exitCode = v.verdict === 'intact' ? 0 : v.verdict === 'tampered' ? 1 : 3;
    });

  registerFindings(program, ctx);
  registerAws(program, ctx);
  registerAthena(program, ctx);
}

/**
 * Options of a `findings` subcommand. `lariat findings <case>` (the timeline's) owns --json, --severity
 * and --type, and Commander gives an option to the parent that defines it wherever it appears, so
 * the subcommand reads its parent's options too (its own win).
 */
function withParent<T>(cmd: Command): T {
  return cmd.optsWithGlobals() as T;
}

function registerFindings(program: Command, ctx: CliContext): void {
  const findings = program.commands.find((c) => c.name() === 'findings') ?? program.command('findings');
  scopeOptions(connectOptions(findings.command('pull').description('pull GuardDuty and Security Hub findings into the inbox')))
    .option('--case <case>', "pull from the case's regions (and accounts)")
    .option('--region <region>', 'region (repeatable)', collect)
    .option('--source <source>', 'guardduty or securityhub (repeatable); default both', collect)
    .option('--severity <label>', 'minimum severity: low, medium, high, critical')
    .option('--type <type>', 'finding type (repeatable; Security Hub: prefix)', collect)
    .option('--resource <id>', 'only findings naming this resource (instance id, bucket, key id, ARN)')
    .option('--from <time>', 'only findings updated since')
    .option('--to <time>', 'only findings updated before')
    .option('--json', 'print JSON')
    .action(async (_o: unknown, cmd: Command) => {
      const o = withParent<ConnectOpts & ScopeOpts & Record<string, string | string[] | boolean | undefined>>(cmd);
      const input = parseInput(PullFindingsInput, {
        caseNumber: o.case,
        regions: o.region,
        sources: o.source,
        severity: o.severity,
        types: typeof o.type === 'string' ? [o.type] : o.type,
        resource: o.resource,
        window: window(o as { from?: string; to?: string }),
        scope: scopeOf(o),
      });
      await connect(ctx, o, input.regions?.[0]);
      const d = ctx.services().acquire;
      const r = await withProgress(ctx, 'acquire-findings', 'Pull findings', input.caseNumber ?? null, (job) =>
        ops.pullFindings(d, input, job),
      );
      if (o.json) return printJson(ctx, r);
      for (const p of r.places) if (p.error) ctx.io.err(`warning: ${p.source} ${p.account} ${p.region}: ${p.error}`);
      ctx.io.out(`${r.pulled} findings pulled: ${r.new} new, ${r.updated} updated in AWS. See them with: lariat findings inbox`);
    });
  findings
    .command('inbox')
    .description('the findings inbox, most severe first')
    .option('--state <state>', 'new, triaged, in-case, dismissed (repeatable)', collect)
    .option('--severity <label>', 'minimum severity')
    .option('--source <source>', 'guardduty or securityhub')
    .option('--search <text>', 'in title, type, resource, id, account')
    .option('--json', 'print JSON')
    .action((_o: unknown, cmd: Command) => {
      const o = withParent<{ state?: string[]; severity?: string; source?: string; search?: string; json?: boolean }>(cmd);
      const list = ops.listInbox(
        ctx.services().acquire,
        parseInput(ListInboxInput, { states: o.state, severity: o.severity, source: o.source, search: o.search }),
      );
      if (o.json) return printJson(ctx, list);
      ctx.io.out(formatInbox(list));
    });
  findings
    .command('triage <inboxId>')
    .description('set the local triage state of an inbox finding')
    .requiredOption('--state <state>', 'new, triaged or dismissed')
    .option('--note <text>', 'why')
    .option('--json', 'print JSON')
    .action((id: string, _o: unknown, cmd: Command) => {
      const o = withParent<{ state: string; note?: string; json?: boolean }>(cmd);
      const item = ops.triageFinding(
        ctx.services().acquire,
        parseInput(TriageInput, { inboxId: Number(id), state: o.state, note: o.note }),
      );
      if (o.json) return printJson(ctx, item);
      ctx.io.out(`Finding ${item.id} is now ${item.state}.`);
    });
  findings
    .command('open <inboxId>')
    .description('open a case from an inbox finding (its JSON acquired as evidence and imported)')
    .option('--title <title>', 'case title (default: the finding title)')
    .option('--json', 'print JSON')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const o = withParent<{ title?: string; json?: boolean }>(cmd);
      const r = await ops.openCaseFromInbox(
        ctx.services().acquire,
        parseInput(OpenCaseFromInboxInput, { inboxId: Number(id), title: o.title }),
      );
      if (o.json) return printJson(ctx, r);
      ctx.io.out(`Opened ${r.case.number} "${r.case.title}"; the finding is evidence ${r.evidenceId}.`);
    });
  findings
    .command('attach <inboxId>')
    .description('attach an inbox finding to a case (its JSON acquired as evidence and imported)')
    .requiredOption('--case <case>', 'case number')
    .option('--json', 'print JSON')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const o = withParent<{ case: string; json?: boolean }>(cmd);
      const r = await ops.attachInboxFinding(
        ctx.services().acquire,
        parseInput(AttachInboxInput, { inboxId: Number(id), caseNumber: o.case }),
      );
      if (o.json) return printJson(ctx, r);
      ctx.io.out(`Attached to ${r.case.number}; the finding is evidence ${r.evidenceId}.`);
    });
}

function registerAws(program: Command, ctx: CliContext): void {
  const aws = program.commands.find((c) => c.name() === 'aws') ?? program.command('aws');
  scopeOptions(
    connectOptions(
      aws.command('accounts').description('the accounts Lariat works in (a list or the Organization) and how it reaches each'),
    ),
  )
    .option('--json', 'print JSON')
    .action(async (o: ConnectOpts & ScopeOpts & { assumeExternalId?: string; json?: boolean }) => {
      const scope = parseInput(AccountScope, scopeOf(o) ?? {});
      await connect(ctx, o, undefined);
      const list = await ops.listAwsAccounts(ctx.services().acquire, scope);
      if (o.json) return printJson(ctx, list);
      for (const a of list) ctx.io.out(`${a.account}  ${a.name ?? ''}  ${a.error ? `NOT REACHED: ${a.error}` : `via ${a.via}`}`);
    });
  scopeOptions(
    connectOptions(
      aws
        .command('coverage')
        .description('logging coverage per account and region: trails, validation, data events, flow logs, GuardDuty, Security Hub'),
    ),
  )
    .option('--case <case>', "the case's regions and accounts; the map is saved to it as evidence")
    .option('--region <region>', 'region (repeatable)', collect)
    .option('--json', 'print JSON')
    .action(async (o: ConnectOpts & ScopeOpts & { case?: string; region?: string[]; json?: boolean }) => {
      const input = parseInput(CoverageInput, { caseNumber: o.case, regions: o.region, scope: scopeOf(o) });
      await connect(ctx, o, input.regions?.[0]);
      const d = ctx.services().acquire;
      const map = await withProgress(ctx, 'acquire-coverage', 'Logging coverage', input.caseNumber ?? null, (job) =>
        ops.loggingCoverage(d, input, job),
      );
      if (o.json) return printJson(ctx, map);
      ctx.io.out(formatCoverage(map));
    });
}

function registerAthena(program: Command, ctx: CliContext): void {
  const athena = program.command('athena').description('query a trail or flow-log bucket in Athena, results as evidence');
  connectOptions(athena.command('setup').description('plan (and with --yes create) an Athena database and partition-projected table'))
    .requiredOption('--case <case>', 'case number')
    .option('--trail <name>', 'the trail whose bucket to query')
    .option('--bucket <bucket>', 'the log bucket')
    .option('--prefix <prefix>', 'key prefix before AWSLogs/')
    .option('--log-kind <kind>', 'cloudtrail (default) or vpcflowlogs')
    .option('--account <id>', 'account partition values (repeatable); default: found in the bucket', collect)
    .option('--region <region>', 'region partition values (repeatable); default: the case regions', collect)
    .option('--org-id <id>', 'organization id of an organization trail (default: found in the bucket)')
    .option('--database <name>', 'Athena database (default lariat_ir)')
    .option('--table <name>', 'table name')
    .option('--workgroup <name>', 'workgroup (default primary)')
    .option('--output <s3uri>', 'query result location when the workgroup has none')
    .option('--since <date>', 'first day of the projected range (default two years ago)')
    .option('--athena-region <region>', 'region of Athena and the S3 calls')
    .option('--plan', 'show the DDL and stop (default without --yes)')
    .option('--yes', 'run the DDL after planning')
    .option('--json', 'print JSON')
    .action(async (o: ConnectOpts & Record<string, string | string[] | boolean | undefined>) => {
      const input = parseInput(AthenaSetupInput, {
        caseNumber: o.case,
        logKind: o.logKind,
        trail: o.trail,
        bucket: o.bucket,
        prefix: o.prefix,
        accounts: o.account,
        regions: o.region,
        organizationId: o.orgId,
        database: o.database,
        table: o.table,
        workgroup: o.workgroup,
        outputLocation: o.output,
        since: o.since,
        region: o.athenaRegion,
      });
      await connect(ctx, o, input.region);
      const d = ctx.services().acquire;
      const plan = await ops.planAthenaSetup(d, input);
      if (!o.yes) {
        if (o.json) return printJson(ctx, plan);
        return ctx.io.out(`${formatSetupPlan(plan)}\nNothing was created. Run it with: lariat acquire run ${plan.acquisition.id} --yes`);
      }
      if (!o.json) ctx.io.out(formatSetupPlan(plan));
      await runPlanned(ctx, plan.acquisition.id, o.json as boolean | undefined);
    });
  connectOptions(
    athena.command('query').description('plan (estimate bytes and cost) and with --yes run a playbook query or your own SELECT'),
  )
    .requiredOption('--case <case>', 'case number')
    .requiredOption('--setup <acquisition>', 'the Athena setup (acquisition number) whose table to query')
    .option('--playbook <id>', 'a playbook query (lariat athena playbook)')
    .option('--param <name=value>', 'a playbook parameter (repeatable)', collect)
    .option('--sql <select>', 'your own SELECT; use {{table}} and {{partitions}} (and {{window}})')
    .option('--full-scan', 'accept a query that does not restrict the partitions')
    .requiredOption('--from <time>', 'UTC start')
    .requiredOption('--to <time>', 'UTC end')
    .option('--account <id>', 'only these accounts (repeatable)', collect)
    .option('--region <region>', 'only these regions (repeatable)', collect)
    .option('--no-import', 'do not import event rows into the timeline')
    .option('--plan', 'show the SQL and estimate and stop (default without --yes)')
    .option('--yes', 'run the query after planning')
    .option('--json', 'print JSON')
    .action(async (o: ConnectOpts & Record<string, string | string[] | boolean | undefined>) => {
      const params = Object.fromEntries(
        ((o.param as string[] | undefined) ?? []).map((p) => [p.slice(0, Math.max(0, p.indexOf('='))), p.slice(p.indexOf('=') + 1)]),
      );
      const input = parseInput(AthenaQueryInput, {
        caseNumber: o.case,
        setupId: Number(o.setup),
        playbook: o.playbook,
        sql: o.sql,
        params,
        window: window(o as { from?: string; to?: string }),
        accounts: o.account,
        regions: o.region,
        fullScan: o.fullScan,
        importEvents: o.import,
      });
      await connect(ctx, o, undefined);
      const d = ctx.services().acquire;
      const plan = await withProgress(ctx, 'acquire-athena-plan', 'Estimating the scan', input.caseNumber, (job) =>
        ops.planAthenaQuery(d, input, job),
      );
      if (!o.yes) {
        if (o.json) return printJson(ctx, plan);
        return ctx.io.out(`${formatQueryPlan(plan)}\nNothing was run. Run it with: lariat acquire run ${plan.acquisition.id} --yes`);
      }
      if (!o.json) ctx.io.out(formatQueryPlan(plan));
      await runPlanned(ctx, plan.acquisition.id, o.json as boolean | undefined);
    });
  athena
    .command('playbook')
    .description('the incident response queries Lariat can run')
    .option('--json', 'print JSON')
    .action((o: { json?: boolean }) => {
      const list = ops.listAthenaPlaybook();
      if (o.json) return printJson(ctx, list);
      for (const q of list)
        ctx.io.out(
          `${q.id.padEnd(28)} ${q.logKind.padEnd(12)} ${q.params.length ? `[${q.params.map((p) => `--param ${p}=...`).join(' ')}] ` : ''}${q.title}`,
        );
    });
}
