import type { Command } from 'commander';
import type { IncidentSyncView } from '../../../common/contract/incidents';
import { type CliContext, printJson, table } from '../context';

export function formatSync(v: IncidentSyncView): string {
  if (!v.linked) return `${v.caseNumber} is not linked to an Incident Manager incident; the case works locally.`;
  const lines = [
    `incident ${v.incidentArn} (${v.region})`,
    `status ${v.remoteStatus ?? '?'}${v.localStatus !== v.remoteStatus ? ` (here: ${v.localStatus}, to send)` : ''}, impact ${v.localImpact ?? v.remoteImpact ?? '?'}${
      v.impactMeaning ? ` (${v.impactMeaning})` : ''
    }`,
    `sync: ${v.state}; sent ${v.sent.timelineEvents} timeline events and ${v.sent.relatedItems} related items; copied ${v.pulledEvents} events from the incident`,
  ];
  if (v.pending.timelineEvents || v.pending.relatedItems)
    lines.push(
      `pending: ${v.pending.timelineEvents} timeline events, ${v.pending.relatedItems} related items (${v.pending.unknown} awaiting confirmation)`,
    );
  if (v.problem) lines.push(`problem (${v.problem.stage}): ${v.problem.message}`, `hint: ${v.problem.hint}`);
  if (v.nextRetryAt) lines.push(`next retry after ${v.nextRetryAt}`);
  for (const e of v.engagements)
    lines.push(
      `engaged ${e.contactArn} at ${e.startTime ?? '?'}: ${e.pages.length} pages${e.pages.some((p) => p.readTime) ? ' (read)' : ''}`,
    );
  return lines.join('\n');
}

/** `lariat incident ...`: Incident Manager both ways (start, sync, resolve; open incidents as cases). */
export function registerIncidentCommands(program: Command, ctx: CliContext): void {
  const cmd = program.command('incident').description('AWS Systems Manager Incident Manager: start, sync, resolve, open incidents');

  cmd
    .command('list')
    .description('open incidents in a region (ListIncidentRecords), with the case linked to each')
    .requiredOption('--region <region>', 'region of the replication set')
    .option('--json', 'print JSON')
    .action(async (o: { region: string; json?: boolean }) => {
      const list = await ctx.op('listOpenIncidents', { region: o.region });
      if (o.json) return printJson(ctx, list);
      if (list.length === 0) return ctx.io.out('No open incidents.');
      ctx.io.out(
        table([
          ['IMPACT', 'CREATED (UTC)', 'SOURCE', 'CASE', 'TITLE', 'ARN'],
          ...list.map((i) => [
            String(i.impact ?? ''),
            (i.createdAt ?? '').slice(0, 16).replace('T', ' '),
            i.source ?? '',
            i.caseNumber ?? '',
            i.title,
            i.arn,
          ]),
        ]),
      );
    });

  cmd
    .command('open')
    .description('open a case linked to an incident (or show the case already linked)')
    .requiredOption('--region <region>', 'region of the replication set')
    .requiredOption('--incident <arn>', 'incident record ARN')
    .option('--json', 'print JSON')
    .action(async (o: { region: string; incident: string; json?: boolean }) => {
      const c = await ctx.op('openIncidentAsCase', { region: o.region, incidentArn: o.incident });
      if (o.json) return printJson(ctx, c);
      ctx.io.out(c.number);
    });

  cmd
    .command('start')
    .description("start an incident for the case (the plan's response plan, or --response-plan); idempotent")
    .requiredOption('--case <case>', 'case number')
    .option('--region <region>', 'region of the replication set')
    .option('--response-plan <arn>', 'response plan ARN')
    .option('--impact <n>', 'impact 1 (critical) to 5 (no impact)')
    .option('--json', 'print JSON')
    .action(async (o: { case: string; region?: string; responsePlan?: string; impact?: string; json?: boolean }) => {
      const v = await ctx.op('startIncident', {
        caseNumber: o.case,
        region: o.region,
        responsePlanArn: o.responsePlan,
        impact: o.impact === undefined ? undefined : Number(o.impact),
      });
      if (o.json) return printJson(ctx, v);
      ctx.io.out(formatSync(v));
    });

  cmd
    .command('sync')
    .description('two-way sync with the linked incident; exits 1 when it could not complete (pending items are kept)')
    .requiredOption('--case <case>', 'case number')
    .option('--json', 'print JSON')
    .action(async (o: { case: string; json?: boolean }) => {
      const r = await ctx.op('syncIncident', { caseNumber: o.case });
      if (r.view.state === 'degraded') ctx.exitCode = 1;
      if (o.json) return printJson(ctx, r);
      ctx.io.out(
        [
          `sent ${r.pushedEvents} timeline events (${r.reconciledEvents} found already there), added ${r.relatedItemsAdded} related items, copied ${r.pulledEvents} events from the incident`,
          ...r.remoteChanges.map((c) => `changed in Incident Manager: ${c}`),
          ...r.localChangesSent.map((c) => `sent: ${c}`),
          formatSync(r.view),
        ].join('\n'),
      );
    });

  cmd
    .command('status')
    .description('the linked incident and the sync state (no AWS call)')
    .requiredOption('--case <case>', 'case number')
    .option('--json', 'print JSON')
    .action(async (o: { case: string; json?: boolean }) => {
      const v = await ctx.op('getIncidentSync', { caseNumber: o.case });
      if (o.json) return printJson(ctx, v);
      ctx.io.out(formatSync(v));
    });

  cmd
    .command('impact')
    .description("change the incident's impact (sent at the next sync)")
    .requiredOption('--case <case>', 'case number')
    .requiredOption('--impact <n>', 'impact 1 (critical) to 5 (no impact)')
    .action(async (o: { case: string; impact: string }) => {
      ctx.io.out(formatSync(await ctx.op('setIncidentImpact', { caseNumber: o.case, impact: Number(o.impact) })));
    });

  cmd
    .command('resolve')
    .description('close the case as resolved and resolve the linked incident (unless --local-only)')
    .requiredOption('--case <case>', 'case number')
    .option('--local-only', 'resolve the case only; leave the Incident Manager incident open')
    .option('--json', 'print JSON')
    .action(async (o: { case: string; localOnly?: boolean; json?: boolean }) => {
      const v = await ctx.op('resolveIncident', { caseNumber: o.case, resolveIncident: !o.localOnly });
      if (v.state === 'degraded') ctx.exitCode = 1;
      if (o.json) return printJson(ctx, v);
      ctx.io.out(`${o.case} closed.\n${formatSync(v)}`);
    });
}
