import type { Command } from 'commander';
import {
  CandidateType,
  IocType,
  TimelineColumn,
  timelineColumnNamed,
  type DatabaseCheck,
  type ImportReport,
  type TimelineEvent,
} from '../../../common/contract/timeline';
import { AppError } from '../../core/errors';
import { highlightRules } from '../../timeline/highlights';
import { type CliContext, printJson, table } from '../context';
import { collect } from '../parse';

/**
 * `lariat import` exits with this when any file or record was rejected (the
 * per-file report says which and why): distinct from 1 (the command failed)
 * and 2 (usage), so scripts can tell a partial import from a failed one.
 */
export const EXIT_REJECTED = 3;

function parseWhere(items: string[]): { column: TimelineColumn; value: string }[] {
  return items.map((w) => {
    const i = w.indexOf('=');
    const column = i > 0 ? timelineColumnNamed(w.slice(0, i)) : null;
    if (column === null) {
      throw new AppError(
        'invalid-input',
        `--where "${w}" is not column=value.`,
        `Columns: ${TimelineColumn.options.join(', ')} (any case; CloudTrail's own names such as eventName, sourceIPAddress or userIdentity.arn work too).`,
      );
    }
    return { column, value: w.slice(i + 1) };
  });
}

function onOff(v: string): boolean {
  if (/^(on|true|yes|1)$/i.test(v)) return true;
  if (/^(off|false|no|0)$/i.test(v)) return false;
  throw new AppError('invalid-input', `--keep-duplicates "${v}" is not on or off.`, 'Use --keep-duplicates on, or --keep-duplicates off.');
}

function printReport(ctx: CliContext, r: ImportReport): void {
  ctx.io.out(
    table([
      ['FILE', 'FORMAT', 'IMPORTED', 'FLAGGED', 'REJECTED', 'DUPLICATES', 'NOTE'],
      ...r.files.map((f) => [
        f.file,
        f.format ?? '-',
        String(f.imported),
        String(f.flagged),
        String(f.rejected),
        String(f.duplicates),
        f.duplicate
          ? 'same file already imported: skipped'
          : f.imported === 0 && f.duplicates === 0
            ? 'REJECTED: nothing imported'
            : f.truncated
              ? 'truncated: complete records kept'
              : '',
      ]),
    ]),
  );
  for (const f of r.files) for (const e of f.errors.slice(0, 10)) ctx.io.err(`  ${e}`);
  for (const s of r.skipped ?? []) ctx.io.err(`  not imported: ${s.path}: ${s.why}`);
  if ((r.skippedCount ?? 0) > (r.skipped?.length ?? 0)) ctx.io.err(`  not imported: ${r.skippedCount! - r.skipped!.length} more entries`);
  ctx.io.out(
    `total: ${r.imported} imported, ${r.flagged} flagged, ${r.rejected} rejected, ${r.duplicates} duplicates skipped in ${r.files.length} file(s) into ${r.caseNumber}` +
      (r.reused
        ? `; ${r.reused} kept though the case held their eventID (other events or altered copies: --where issue=event-id-reused)`
        : '') +
      (r.rejectedFiles ? `; ${r.rejectedFiles} file(s) gave no record` : '') +
      (r.skippedCount ? `; ${r.skippedCount} entr${r.skippedCount === 1 ? 'y' : 'ies'} of the folders not imported (listed above)` : ''),
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

/**
 * `lariat timeline <case>`: the query command, defined once for the full CLI and for the quick
 * query path (main/cli/timeline-query.ts), which runs it without loading the rest of Lariat.
 */
export function defineTimelineQuery(program: Command, ctx: CliContext): Command {
  return program
    .command('timeline <case>')
    .description('list timeline events, oldest first (or newest), with filters; `timeline show <case> <id>` prints one raw record')
    .option('--from <time>', 'start (ISO-8601: 2024-01-15, 2024-01-15T10:30, ...T10:30:05Z, ...T12:30+02:00; UTC without offset)')
    .option('--to <time>', 'end, to the precision given: a date is the whole day, T12:02 the whole minute')
    .option(
      '--where <column=value>',
      `filter, repeatable: the same column twice is OR, different columns AND; columns (any case): ${TimelineColumn.options.join(', ')}; CloudTrail's names (eventName, sourceIPAddress, userIdentity.arn...) work too`,
      collect,
    )
    .option('--search <text>', 'full-text search over the raw records')
    .option('--highlight <rule>', `only events of a highlight rule (or "any"): ${highlightRules.map((r) => r.id).join(', ')}`)
    .option('--errors', 'only events with an error code')
    .option('--flagged', 'only events the investigator flagged')
    .option('--rule <id>', 'only events a detection rule matched: its id or name, or "any" (see `lariat rules list`)')
    .option('--level <level>', 'only events of detections at this level or above: informational, low, medium, high, critical')
    .option('--technique <id>', 'only events of an ATT&CK technique (T1078 keeps its sub-techniques), from rules or GuardDuty findings')
    .option('--limit <n>', 'number of events (max 1000)', '100')
    .option('--cursor <cursor>', 'continue after a previous page (printed with --json)')
    .option('--sort <order>', 'oldest (default) or newest first')
    .option('--count', 'print only how many events match (exact)')
    .option('--json', 'print JSON ({ events, nextCursor }, or { count })')
    .action(
      async (
        caseNumber: string,
        o: {
          sort?: string;
          count?: boolean;
          from?: string;
          to?: string;
          where?: string[];
          search?: string;
          highlight?: string;
          errors?: boolean;
          flagged?: boolean;
          rule?: string;
          level?: string;
          technique?: string;
          limit: string;
          cursor?: string;
          json?: boolean;
        },
      ) => {
        const filter = {
          caseNumber,
          from: o.from,
          to: o.to,
          where: o.where ? parseWhere(o.where) : undefined,
          search: o.search,
          highlight: o.highlight,
          errorsOnly: o.errors,
          flagged: o.flagged,
          rule: o.rule,
          level: o.level,
          technique: o.technique,
        };
        if (o.count) {
          const { count } = await ctx.op('countTimeline', { ...filter, exact: true });
          return o.json ? printJson(ctx, { count }) : ctx.io.out(String(count));
        }
        const page = await ctx.op('queryTimeline', { ...filter, limit: Number(o.limit), cursor: o.cursor, sort: o.sort });
        if (o.json) return printJson(ctx, page);
        printEvents(ctx, page.events);
        if (page.nextCursor) ctx.io.out(`more: --cursor ${page.nextCursor}`);
      },
    );
}

/** `lariat import`, `timeline`, `findings`, `ioc` and `demo`: the timeline feature from a terminal. */
export function registerTimelineCommands(program: Command, ctx: CliContext): void {
  program
    .command('import <case> <paths...>')
    .description(
      'import CloudTrail (delivery files, lookup-events, Lake results, Insights), GuardDuty, Security Hub, Security Lake (OCSF) or VPC/Transit Gateway Flow Logs into a case timeline: files (.json, .json.gz, .jsonl, .ndjson, .log, .log.gz) or a folder tree as delivered to S3',
    )
    .option('--flow-format <format>', 'fields of header-less VPC flow logs in a custom format (the LogFormat: "${version} ${vpc-id} ...")')
    .option('--json', 'print the per-file report as JSON')
    .addHelpText(
      'after',
      `\nExit status: 0 every record imported (duplicates skipped count as imported), ${EXIT_REJECTED} some file or record rejected (see the report), 1 error.`,
    )
    .action(async (caseNumber: string, paths: string[], o: { json?: boolean; flowFormat?: string }) => {
      const { jobId } = await ctx.op('importLogs', {
        caseNumber,
        files: paths.map((p) => ctx.grant(p, 'read')),
        flowLogFormat: o.flowFormat,
      });
      const report = await ctx.waitJob<ImportReport>(jobId);
      if (o.json) printJson(ctx, report);
      else printReport(ctx, report);
      if (report.rejected > 0 || report.rejectedFiles > 0) ctx.exitCode = EXIT_REJECTED;
    });

  const timeline = defineTimelineQuery(program, ctx);

  timeline
    .command('show <id-or-case> [id]')
    .description('print one event (`show <id>`, or `show <case> <id>`): its columns, then its raw record exactly as in its file')
    .option('--json', 'print JSON (the event with its parsed raw record)')
    .action(async (first: string, second: string | undefined, o: { json?: boolean }) => {
      const where =
        second === undefined
          ? await ctx.op('locateTimelineEvent', { eventId: Number(first) })
          : { caseNumber: first, eventId: Number(second) };
      const e = await ctx.op('getTimelineEvent', where);
      if (o.json) return printJson(ctx, e);
      const { raw: _raw, rawText, ...columns } = e;
      for (const [k, v] of Object.entries(columns))
        if (v !== null && !(Array.isArray(v) && v.length === 0)) ctx.io.out(`${k}: ${Array.isArray(v) ? v.join(', ') : String(v)}`);
      ctx.io.out('');
      ctx.io.out(rawText);
    });

  timeline
    .command('settings <case>')
    .description("show or change a case's timeline options")
    .option('--keep-duplicates <on|off>', 'import records the case already holds (off: every event once, the default)')
    .option('--json', 'print JSON')
    .action(async (caseNumber: string, o: { keepDuplicates?: string; json?: boolean }) => {
      const s =
        o.keepDuplicates === undefined
          ? await ctx.op('getTimelineSettings', { caseNumber })
          : await ctx.op('setTimelineSettings', { caseNumber, keepDuplicates: onOff(o.keepDuplicates) });
      if (o.json) return printJson(ctx, s);
      ctx.io.out(`keep duplicates: ${s.keepDuplicates ? 'on' : 'off (every event once)'}`);
    });

  const db = program.command('db').description('the case database');
  db.command('check')
    .description(
      "run SQLite's full integrity check of the case database and search index (slow on big cases; also run at open after an unclean shutdown); a damaged search index is set aside and rebuilt; exits 1 when damage was found",
    )
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const { jobId } = await ctx.op('checkDatabase', {});
      const r = await ctx.waitJob<DatabaseCheck>(jobId);
      if (o.json) printJson(ctx, r);
      else {
        ctx.io.out(`database: ${r.database.join('; ')}`);
        const aside = r.searchSetAside ? ` (moved to ${r.searchSetAside}, kept, and rebuilt from the case database)` : '';
        const repaired = r.searchRepaired ? ` (${r.searchRepaired} events re-indexed)` : '';
        const rewritten = r.searchRewritten ? ` (written again with IP tokens: ${r.searchRewritten} events)` : '';
        ctx.io.out(`search index: ${r.searchIndex.join('; ')}${aside}${repaired}${rewritten}`);
      }
      if (r.hint) ctx.io.err(`what to do: ${r.hint}`);
      if (!r.ok) ctx.exitCode = 1;
    });

  program
    .command('findings <case>')
    .description('list GuardDuty and Security Hub findings of a case, most severe first')
    .option('--severity <label>', 'informational, low, medium, high or critical')
    .option('--type <type>', 'only this finding type')
    .option('--json', 'print JSON')
    .action(async (caseNumber: string, o: { severity?: string; type?: string; json?: boolean }) => {
      const list = await ctx.op('listFindings', { caseNumber, severity: o.severity?.toLowerCase(), type: o.type });
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

  ioc
    .command('candidates <case>')
    .description('source IPs, access key ids, principals and user agents seen in the logs, with counts (not IOCs until promoted)')
    .option('--type <type>', `only one kind: ${CandidateType.options.join(', ')}`)
    .option('--limit <n>', 'per kind (max 1000)', '50')
    .option('--json', 'print JSON')
    .action(async (caseNumber: string, o: { type?: string; limit: string; json?: boolean }) => {
      const list = await ctx.op('listIocCandidates', { caseNumber, type: o.type, limit: Number(o.limit) });
      if (o.json) return printJson(ctx, list);
      if (list.length === 0) return ctx.io.out('No candidates: the case has no events with source IPs, keys, principals or user agents.');
      ctx.io.out(
        table([
          ['TYPE', 'EVENTS', 'FIRST SEEN', 'LAST SEEN', 'IOC', 'VALUE'],
          ...list.map((c) => [c.type, String(c.count), c.firstSeen ?? '-', c.lastSeen ?? '-', c.promoted ? 'yes' : '', cell(c.value, 80)]),
        ]),
      );
    });
  ioc
    .command('promote <case> <type> <value>')
    .description('make a candidate an IOC of the case')
    .option('--tlp <tlp>', 'TLP (default: the case TLP)')
    .action(async (caseNumber: string, type: string, value: string, o: { tlp?: string }) => {
      const rec = await ctx.op('promoteCandidate', { caseNumber, type, value, tlp: o.tlp });
      ctx.io.out(`IOC ${rec.id}: ${rec.type} ${rec.value} TLP:${rec.tlp.toUpperCase()} (${rec.source})`);
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
