import type { Command } from 'commander';
import * as z from 'zod';
import { CaseInput, ListRulesInput, type DetectionRulesList, type RulesTestReport } from '../../../common/contract/detection';
import type { RescanReport } from '../../detection/detection-service';
import { type CliContext, printJson, table } from '../context';
import { collect } from '../parse';

/**
 * CLI-only: `--rules DIR` loads more rules for this one command. The app has no such field (no path from the
 * renderer); the CLI adds it to the contract's schema with `.extend()` and the operation reads it.
 */
const Extra = { extraFolders: z.array(z.string().min(1).max(4096)).max(50).optional() };
const ListWithExtra = ListRulesInput.extend(Extra);
/** The app's `testDetectionRules` takes no field (typed as an empty record), so this extension is cast to that input type. */
const TestWithExtra = z.object(Extra).strict() as unknown as z.ZodType<Record<string, never>>;
const RescanWithExtra = CaseInput.extend(Extra);
const cut = (v: string, n: number) => (v.length > n ? `${v.slice(0, n - 1)}…` : v);

function printRules(ctx: CliContext, list: DetectionRulesList): void {
  ctx.io.out(
    table([
      ['ID', 'LEVEL', 'TITLE', 'AUTHOR', 'ORIGIN', 'STATE', 'HITS'],
      ...list.rules.map((r) => [
        r.name ?? r.id,
        r.level,
        cut(r.title, 60),
        cut(r.author, 40),
        r.origin,
        r.enabled ? (r.kind === 'correlation' ? 'correlation' : r.supporting ? 'supporting' : 'loaded') : 'disabled',
        r.hits.map((h) => `${h.caseNumber}:${h.count}`).join(' '),
      ]),
    ]),
  );
  for (const e of list.notLoaded) ctx.io.out(`NOT LOADED  ${e.origin}  ${e.path}${e.title ? ` (${e.title})` : ''}: ${e.error}`);
  ctx.io.out(
    `${list.loaded} rules loaded, ${list.notLoaded.length} not loaded${list.folders.length ? `; folders: ${list.folders.join(', ')}` : ''}`,
  );
}

function printTest(ctx: CliContext, r: RulesTestReport): void {
  for (const x of r.rules)
    ctx.io.out(
      `${x.passed ? 'ok  ' : 'FAIL'}  ${x.origin.padEnd(8)}  ${cut(x.title, 70).padEnd(70)}  ${x.problem ?? `fires on ${x.fixture}`}`,
    );
  for (const e of r.notLoaded) ctx.io.out(`NOT LOADED  ${e.path}: ${e.error}`);
  ctx.io.out(`\n${r.passed} passed, ${r.failed} failed, ${r.notLoaded.length} not loaded`);
}

/** `lariat rules ...` (list, test, enable, disable, folders, rescan, hits), `lariat attack` and `lariat search`. */
export function registerRulesCommands(program: Command, ctx: CliContext): void {
  const rules = program.command('rules').description('Sigma detection rules: list, test, switch on or off, rescan a case');

  rules
    .command('list')
    .description('every rule with id, title, level, author, whether it loaded (or why not) and hits per case')
    .option('--case <case>', 'hits of this case only')
    .option('--rules <dir>', 'also load the rules in this folder (repeatable)', collect)
    .option('--json', 'print JSON')
    .action(async (o: { case?: string; rules?: string[]; json?: boolean }) => {
      const list = await ctx.op('listDetectionRules', { caseNumber: o.case, extraFolders: o.rules }, ListWithExtra);
      if (o.json) printJson(ctx, list);
      else printRules(ctx, list);
    });

  rules
    .command('test')
    .description('run every shipped rule against the positive and negative examples of its fixture')
    .option('--rules <dir>', 'also load the rules in this folder (repeatable)', collect)
    .option('--json', 'print JSON')
    .action(async (o: { rules?: string[]; json?: boolean }) => {
      const report = await ctx.op('testDetectionRules', { extraFolders: o.rules }, TestWithExtra);
      if (o.json) printJson(ctx, report);
      else printTest(ctx, report);
      if (report.failed > 0) ctx.exitCode = 1;
    });

  for (const [name, enabled] of [
    ['enable', true],
    ['disable', false],
  ] as const) {
    rules
      .command(`${name} <rule>`)
      .description(`${name} a rule (by id or name) for future imports and rescans`)
      .action(async (rule: string) => {
        const r = await ctx.op('setDetectionRuleEnabled', { ruleId: rule, enabled });
        ctx.io.out(
          `${r.enabled ? 'enabled' : 'disabled'}: ${r.title} (${r.id}). Run "lariat rules rescan <case>" to apply it to stored events.`,
        );
      });
  }

  rules
    .command('folders [dirs...]')
    .description('set your own Sigma rule folders (no argument: print them; "--clear" to remove all)')
    .option('--clear', 'remove every folder')
    .action(async (dirs: string[], o: { clear?: boolean }) => {
      if (!o.clear && dirs.length === 0)
        return ctx.io.out((await ctx.op('listDetectionRules', {})).folders.join('\n') || '(no rule folders)');
      const add = o.clear ? [] : dirs.map((dir) => ctx.grant(dir, 'read'));
      const list = await ctx.op('setDetectionRuleFolders', { add, keep: [] });
      ctx.io.out(`${list.loaded} rules loaded, ${list.notLoaded.length} not loaded; folders: ${list.folders.join(', ') || '(none)'}`);
    });

  rules
    .command('rescan <case>')
    .description("match a case's stored events against the rules as they are now (replaces its detections when complete)")
    .option('--rules <dir>', 'also load the rules in this folder (repeatable)', collect)
    .option('--json', 'print JSON')
    .action(async (caseNumber: string, o: { rules?: string[]; json?: boolean }) => {
      const { jobId } = await ctx.op('rescanCaseDetections', { caseNumber, extraFolders: o.rules }, RescanWithExtra);
      const report = await ctx.waitJob<RescanReport>(jobId);
      if (o.json) printJson(ctx, report);
      else
        ctx.io.out(
          `${report.caseNumber}: ${report.events} events matched against ${report.rules} rules: ${report.hits} hits, ${report.correlations} correlation detections`,
        );
    });

  rules
    .command('hits <case>')
    .description('hits per rule and correlation detections of a case (each naming the rule author)')
    .option('--json', 'print JSON')
    .action(async (caseNumber: string, o: { json?: boolean }) => {
      const r = await ctx.op('listCaseDetections', { caseNumber });
      if (o.json) return printJson(ctx, r);
      if (r.rules.length === 0) return ctx.io.out('No detections. Import logs, or run: lariat rules rescan <case>');
      ctx.io.out(
        table([
          ['LEVEL', 'HITS', 'RULE', 'AUTHOR', 'TECHNIQUES'],
          ...r.rules.map((x) => [
            x.level,
            String(x.count),
            cut(x.title, 60) + (x.supporting ? ' (supporting)' : ''),
            cut(x.author, 40),
            x.techniques.join(' '),
          ]),
        ]),
      );
      for (const c of r.correlations)
        ctx.io.out(
          `correlation  ${c.level}  ${c.title} (author: ${c.author})  ${Object.entries(c.group)
            .map(([k, v]) => `${k}=${v ?? '-'}`)
            .join(' ')}  ${c.firstSeen} .. ${c.lastSeen}  ${c.events} events`,
        );
    });

  program
    .command('attack <case>')
    .description('the MITRE ATT&CK techniques seen in a case, by tactic (from rule hits and GuardDuty findings)')
    .option('--json', 'print JSON')
    .action(async (caseNumber: string, o: { json?: boolean }) => {
      const m = await ctx.op('getAttackMatrix', { caseNumber });
      if (o.json) return printJson(ctx, m);
      const rows = m.tactics.flatMap((t) =>
        t.techniques.map((x) => [
          t.name,
          x.id,
          cut(x.name, 60),
          String(x.events),
          String(x.findings),
          x.rules.map((r) => r.author).join('; '),
        ]),
      );
      if (rows.length === 0) return ctx.io.out('No ATT&CK techniques seen in this case yet.');
      ctx.io.out(table([['TACTIC', 'TECHNIQUE', 'NAME', 'EVENTS', 'FINDINGS', 'RULE AUTHORS'], ...rows]));
      ctx.io.out(`\nATT&CK ${m.attackVersion}. ${m.terms}`);
    });

  program
    .command('search <value>')
    .description('find an IP, access key id, ARN, account id, user agent, hash or domain in every case')
    .option('--json', 'print JSON')
    .action(async (value: string, o: { json?: boolean }) => {
      const r = await ctx.op('searchIndicator', { value });
      if (o.json) return printJson(ctx, r);
      if (r.cases.length === 0) return ctx.io.out(`${r.value} (${r.type}) is in no case.`);
      ctx.io.out(
        table([
          ['CASE', 'EVENTS', 'FINDINGS', 'IOCS', 'BUNDLE', 'FIRST SEEN', 'LAST SEEN', 'TITLE'],
          ...r.cases.map((c) => [
            c.caseNumber,
            String(c.events),
            String(c.findings),
            String(c.iocs),
            String(c.bundle),
            c.firstSeen ?? '-',
            c.lastSeen ?? '-',
            cut(c.title, 50) + (c.readOnly ? ' (received)' : ''),
          ]),
        ]),
      );
    });
}
