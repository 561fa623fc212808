import type { Command } from 'commander';
import { MAX_PLAN_BYTES, PHASES, type PlanDetail } from '../../../common/contract/plans';
import { AppError } from '../../core/errors';
import { readInputText } from '../input-file';
import { writeOutputFile } from '../output-file';
import { type CliContext, printJson, table } from '../context';

/** A plan or playbook file (JSON or YAML) to import. */
const PLAN_FILE = {
  what: 'The plan',
  maxBytes: MAX_PLAN_BYTES,
  hint: 'Give the path of a plan exported with `lariat plan export`, or a playbook file.',
};

function printPlan(ctx: CliContext, p: PlanDetail): void {
  const plan = p.plan;
  const lines = [
    `${plan.name}  ${plan.title}  (${plan.kind}, ${p.origin}${p.file ? `: ${p.file}` : ''})`,
    plan.description,
    `incident: title "${plan.incident.titleTemplate}", impact ${plan.incident.impact}, severity ${plan.incident.severity}, TLP:${plan.incident.tlp.toUpperCase()}`,
  ];
  if (plan.incidentManager?.responsePlanArn) lines.push(`Incident Manager response plan: ${plan.incidentManager.responsePlanArn}`);
  if (plan.engagements.length)
    lines.push(
      `engagements: ${plan.engagements.map((c) => `${c.alias} (${c.type === 'escalation' ? `${c.stages.length} stages` : c.channels.map((ch) => ch.type).join('/')})`).join(', ')}`,
    );
  for (const phase of [...PHASES, { id: undefined, title: 'Other tasks' }]) {
    const steps = plan.tasks.filter((t) => t.phase === phase.id);
    if (!steps.length) continue;
    lines.push(`\n${phase.title}`);
    for (const t of steps)
      lines.push(`  - ${t.title}${t.binding ? `  [${t.binding.type}${'action' in t.binding ? `: ${t.binding.action}` : ''}]` : ''}`);
  }
  if (plan.runbooks.length) lines.push(`\nrunbooks: ${plan.runbooks.map((r) => r.documentName).join(', ')}`);
  if (plan.actions.length) lines.push(`response actions: ${plan.actions.join(', ')}`);
  ctx.io.out(lines.join('\n'));
}

/** `lariat plan ...`: response plans and playbooks (the shipped playbooks are plans too). */
export function registerPlanCommands(program: Command, ctx: CliContext): void {
  const cmd = program.command('plan').description('response plans and playbooks: list, show, import, export');

  cmd
    .command('list')
    .description('list plans and playbooks (shipped, organisation files, stored here)')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const r = await ctx.op('listPlans', {});
      if (o.json) return printJson(ctx, r);
      ctx.io.out(
        table([['NAME', 'KIND', 'ORIGIN', 'STEPS', 'TITLE'], ...r.plans.map((p) => [p.name, p.kind, p.origin, String(p.steps), p.title])]),
      );
      for (const p of r.problems) ctx.io.err(`not loaded: ${p.file} (${p.origin}): ${p.message}`);
    });

  cmd
    .command('show <name>')
    .description('show a plan: incident defaults, engagements, steps by phase, runbooks')
    .option('--json', 'print JSON')
    .action(async (name: string, o: { json?: boolean }) => {
      const p = await ctx.op('getPlan', { name });
      if (o.json) return printJson(ctx, p);
      printPlan(ctx, p);
    });

  cmd
    .command('import [file]')
    .description('store a plan from its JSON file, or from an Incident Manager response plan (--response-plan)')
    .option('--replace', 'overwrite a stored plan of the same name')
    .option('--response-plan <arn>', 'import this Incident Manager response plan (GetResponsePlan) and its contacts')
    .option('--region <region>', 'region of the Incident Manager replication set (with --response-plan)')
    .option('--name <name>', 'name to store it under (with --response-plan)')
    .option('--json', 'print JSON')
    .action(
      async (file: string | undefined, o: { replace?: boolean; responsePlan?: string; region?: string; name?: string; json?: boolean }) => {
        let summary;
        if (o.responsePlan) {
          summary = await ctx.op('importResponsePlan', {
            region: o.region,
            responsePlanArn: o.responsePlan,
            name: o.name,
            replace: o.replace,
          });
        } else {
          if (!file)
            throw new AppError(
              'invalid-input',
              'Give the plan file to import, or --response-plan ARN.',
              'Run `lariat plan import --help`.',
            );
          summary = await ctx.op('importPlan', { json: await readInputText(file, PLAN_FILE), replace: o.replace });
        }
        if (o.json) return printJson(ctx, summary);
        ctx.io.out(`Stored ${summary.kind} ${summary.name}: ${summary.title} (${summary.steps} steps).`);
      },
    );

  cmd
    .command('export <name>')
    .description('write a plan as portable JSON (to stdout, or --out FILE)')
    .option('--out <file>', 'write to this file instead of stdout')
    .action(async (name: string, o: { out?: string }) => {
      const r = await ctx.op('exportPlan', { name });
      if (!o.out) return ctx.io.out(r.json.trimEnd());
      const written = await writeOutputFile(o.out, r.json, { what: 'The plan' });
      ctx.io.out(`Wrote ${written}.`);
    });

  cmd
    .command('contacts')
    .description('contacts and escalation plans; --import reads them from ssm-contacts')
    .option('--import', 'read every contact, channel and escalation plan from ssm-contacts first')
    .option('--region <region>', 'region for ssm-contacts (with --import)')
    .option('--json', 'print JSON')
    .action(async (o: { import?: boolean; region?: string; json?: boolean }) => {
      const list = o.import ? await ctx.op('importContacts', { region: o.region }) : await ctx.op('listContacts', {});
      if (o.json) return printJson(ctx, list);
      ctx.io.out(
        table([
          ['ALIAS', 'TYPE', 'ORIGIN', 'CHANNELS / STAGES', 'USED BY'],
          ...list.map((c) => [
            c.contact.alias,
            c.contact.type,
            c.origin,
            c.contact.type === 'escalation'
              ? c.contact.stages.map((s) => `${s.durationMinutes}min:${s.targets.map((t) => t.contact).join('+')}`).join(' > ')
              : c.contact.channels.map((ch) => `${ch.type} ${ch.address}`).join(', '),
            c.usedBy.join(', '),
          ]),
        ]),
      );
    });
}
