import type { Command } from 'commander';
import { IocType, TimelineColumn, type ImportReport, type TimelineEvent } from '../../../common/contract/timeline';
import { AppError } from '../../core/errors';
import { highlightRules } from '../../timeline/highlights';
import { type CliContext, printJson, table } from '../context';

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

function parseWhere(items: string[]): { column: TimelineColumn; value: string }[] {
  return items.map((w) => {
    const i = w.indexOf('=');
    const column = TimelineColumn.safeParse(i > 0 ? w.slice(0, i).trim() : '');
    if (i <= 0 || !column.success) {
      throw new AppError('invalid-input', `--where "${w}" is not column=value.`, `Columns: ${TimelineColumn.options.join(', ')}.`);
    }
    return { column: column.data, value: w.slice(i + 1) };
  });
}

function printReport(ctx: CliContext, r: ImportReport): void {
  ctx.io.out(
    table([
      ['FILE', 'FORMAT', 'IMPORTED', 'FLAGGED', 'REJECTED', 'NOTE'],
      ...r.files.map((f) => [
        f.file,
        f.format ?? '-',
        String(f.imported),
        String(f.flagged),
        String(f.rejected),
        f.duplicate ? 'duplicate: skipped' : '',
      ]),
    ]),
  );
  for (const f of r.files) for (const e of f.errors.slice(0, 10)) ctx.io.err(`  ${e}`);
  ctx.io.out(
    `total: ${r.imported} imported, ${r.flagged} flagged, ${r.rejected} rejected in ${r.files.length} file(s) into ${r.caseNumber}`,
  );
}

const cell = (v: string | null, n = 40) => ((v ?? '-').length > n ? `${(v ?? '').slice(0, n - 1)}…` : (v ?? '-'));

function printEvents(ctx: CliContext, events: TimelineEvent[]): void {
  if (events.length === 0) return ctx.io.out('No events match. Loosen the filters, or import logs with: lariat import <case> <path>');
  ctx.io.out(
    table([
      ['ID', 'TIME (UTC)', 'SOURCE', 'ACTION', 'ACTOR', 'SOURCE IP', 'ERROR', 'HIGHLIGHT'],
      ...events.map((e) => [
        String(e.id),
        e.time ?? '(no time)',
        e.source,
        cell(e.action, 36),
        cell(e.actor, 48),
        cell(e.sourceIp, 39),
        cell(e.errorCode, 24),
        e.highlight ?? '',
      ]),
    ]),
  );
}

/** `lariat import`, `timeline`, `findings`, `ioc` and `demo`: the timeline feature from a terminal. */
export function registerTimelineCommands(program: Command, ctx: CliContext): void {
  program
    .command('import <case> <paths...>')
    .description(
      'import CloudTrail, GuardDuty, Security Hub or VPC Flow Logs into a case timeline: files (.json, .json.gz, .jsonl, .ndjson, .log, .log.gz) or a folder tree as delivered to S3',
    )
    .option('--json', 'print the per-file report as JSON')
    .action(async (caseNumber: string, paths: string[], o: { json?: boolean }) => {
      const { jobId } = await ctx.op('importLogs', { caseNumber, files: paths.map((p) => ctx.grant(p, 'read')) });
      const report = await ctx.waitJob<ImportReport>(jobId);
      if (o.json) printJson(ctx, report);
      else printReport(ctx, report);
      if (report.rejected > 0 && report.imported === 0) ctx.exitCode = 1;
    });

  program
    .command('timeline <case>')
    .description('list timeline events, oldest first, with filters')
    .option('--from <time>', 'UTC start (2024-01-15, 2024-01-15T10:30, ISO-8601)')
    .option('--to <time>', 'UTC end (a date means the whole day)')
    .option('--where <column=value>', `equality filter, repeatable; columns: ${TimelineColumn.options.join(', ')}`, collect)
    .option('--search <text>', 'full-text search over the raw records')
    .option('--highlight <rule>', `only events of a highlight rule (or "any"): ${highlightRules.map((r) => r.id).join(', ')}`)
    .option('--errors', 'only events with an error code')
    .option('--flagged', 'only events the investigator flagged')
    .option('--limit <n>', 'number of events (max 1000)', '100')
    .option('--cursor <cursor>', 'continue after a previous page (printed with --json)')
    .option('--json', 'print JSON ({ events, nextCursor })')
    .action(
      async (
        caseNumber: string,
        o: {
          from?: string;
          to?: string;
          where?: string[];
          search?: string;
          highlight?: string;
          errors?: boolean;
          flagged?: boolean;
          limit: string;
          cursor?: string;
          json?: boolean;
        },
      ) => {
        const page = await ctx.op('queryTimeline', {
          caseNumber,
          from: o.from,
          to: o.to,
          where: o.where ? parseWhere(o.where) : undefined,
          search: o.search,
          highlight: o.highlight,
          errorsOnly: o.errors,
          flagged: o.flagged,
          limit: Number(o.limit),
          cursor: o.cursor,
        });
        if (o.json) return printJson(ctx, page);
        printEvents(ctx, page.events);
        if (page.nextCursor) ctx.io.out(`more: --cursor ${page.nextCursor}`);
      },
    );

  program
    .command('findings <case>')
    .description('list GuardDuty and Security Hub findings of a case, most severe first')
    .option('--severity <label>', 'informational, low, medium, high or critical')
    .option('--type <type>', 'only this finding type')
    .option('--json', 'print JSON')
    .action(async (caseNumber: string, o: { severity?: string; type?: string; json?: boolean }) => {
      const list = await ctx.op('listFindings', { caseNumber, severity: o.severity, type: o.type });
      if (o.json) return printJson(ctx, list);
      if (list.length === 0) return ctx.io.out('No findings. Import GuardDuty or Security Hub exports with: lariat import <case> <path>');
      ctx.io.out(
        table([
          ['ID', 'SEVERITY', 'SOURCE', 'TYPE', 'TITLE'],
          ...list.map((f) => [String(f.id), `${f.severityLabel} ${f.severityScore}`, f.source, cell(f.type, 50), cell(f.title, 70)]),
        ]),
      );
    });

  const ioc = program.command('ioc').description('indicators of compromise of a case');
  ioc
    .command('add <case> <type> <value>')
    .description(`add an IOC; type: ${IocType.options.join(', ')}`)
    .option('--tlp <tlp>', 'clear, green, amber, amber+strict or red (default: the case TLP)')
    .option('--notes <text>', 'notes')
    .option('--json', 'print JSON')
    .action(async (caseNumber: string, type: string, value: string, o: { tlp?: string; notes?: string; json?: boolean }) => {
      const rec = await ctx.op('addIoc', { caseNumber, type, value, tlp: o.tlp, notes: o.notes });
      if (o.json) printJson(ctx, rec);
      else ctx.io.out(`IOC ${rec.id}: ${rec.type} ${rec.value} TLP:${rec.tlp.toUpperCase()}`);
    });
  ioc
    .command('list <case>')
    .description('list the IOCs of a case')
    .option('--json', 'print JSON')
    .action(async (caseNumber: string, o: { json?: boolean }) => {
      const list = await ctx.op('listIocs', { caseNumber });
      if (o.json) return printJson(ctx, list);
      if (list.length === 0) return ctx.io.out('No IOCs yet. Add one with: lariat ioc add <case> ip 203.0.113.7');
      ctx.io.out(
        table([
          ['ID', 'TYPE', 'TLP', 'VALUE', 'NOTES'],
          ...list.map((i) => [String(i.id), i.type, i.tlp.toUpperCase(), i.value, cell(i.notes, 60)]),
        ]),
      );
    });

  program
    .command('demo')
    .description('create a demo case from the public samples shipped with Lariat (no AWS needed)')
    .option('--json', 'print the case and import report as JSON')
    .action(async (o: { json?: boolean }) => {
      const { caseRecord, report } = await ctx.op('createDemoCase', {});
      if (o.json) return printJson(ctx, { case: caseRecord, report });
      ctx.io.out(
        `Demo case ${caseRecord.number}: ${report.imported} events (${report.flagged} flagged, ${report.rejected} rejected) from ${report.files.length} files.`,
      );
      ctx.io.out(`Try: lariat timeline ${caseRecord.number} --highlight any`);
    });
}
