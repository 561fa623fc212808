import type { Command } from 'commander';
import * as z from 'zod';
import { CaseNumber, Id } from '../../../common/contract/common';
import { LinkIncidentInput, type ActionRecord, type UseCheck } from '../../../common/contract/response';
import { AppError } from '../../core/errors';
import { type CliContext, printJson, table } from '../context';
import { parseInput } from '../parse';
import {
  type ActionOpts,
  type ConnectOpts,
  connect,
  connectOptions,
  formatPlan,
  num,
  planInput,
  runAction,
  showOrRun,
} from './respond-shared';
import { registerAwsDiscovery } from './respond-aws';
import { registerEc2Kinds } from './respond-ec2';
import { registerCredentialCommands } from './respond-credentials';

/** `lariat respond ...` and `lariat aws ...`: response actions from a terminal, planned, confirmed and resumable. */
export function registerRespondCommands(program: Command, ctx: CliContext): void {
  registerAwsDiscovery(program, ctx);

  const respond = program
    .command('respond')
    .description('plan and run response actions: EC2 instances, credentials, role sessions (and every other registered kind)');
  registerEc2Kinds(respond, ctx);
  registerCredentialCommands(respond, ctx);
  connectOptions(
    respond
      .command('check-use')
      .description(
        'after a credential containment: CloudTrail calls by its keys or principal since it ran (denied ones included), saved as evidence',
      ),
  )
    .requiredOption('--action <n>', 'the credentials or role-sessions action')
    .option('--json', 'print JSON')
    .action(async (o: ConnectOpts & { action: string; json?: boolean }) => {
      const actionId = parseInput(z.object({ action: z.coerce.number().pipe(Id) }), { action: o.action }).action;
      const a = await ctx.op('getAction', { actionId });
      await connect(ctx, o, a.region);
      const { jobId } = await ctx.op('checkCredentialUse', { actionId });
      const check = await ctx.waitJob<UseCheck>(jobId);
      if (o.json) return printJson(ctx, check);
      ctx.io.out(
        `${check.calls ? 'STILL IN USE' : 'not used'}: ${check.calls} calls since containment (${check.denied} denied), ${check.since} to ${check.until}` +
          (check.evidenceId ? `; saved as evidence #${check.evidenceId} and added to the timeline` : ''),
      );
      for (const l of check.lookups) ctx.io.out(`  looked up ${l}`);
    });
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
