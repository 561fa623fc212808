import path from 'node:path';
import type { Command } from 'commander';
import type { BundleVerification } from '../../../common/contract/reports';
import { ExportReportCliInput } from '../../reports/operations';
import { type CliContext, printJson } from '../context';
import { collectList, commaList } from '../parse';
import { CHECKPOINT_FILE, readInputText } from '../input-file';
import { signerLines } from './custody';

/** Prints what was checked, one line per check, every signer by name and fingerprint, then the verdict. */
function printVerification(ctx: CliContext, v: BundleVerification, trustSource: string): void {
  for (const c of v.checks) ctx.io.out(`${c.ok ? 'ok  ' : 'FAIL'}  ${c.name.padEnd(10)}  ${c.detail}`);
  if (v.signers.length) for (const l of signerLines(v.signers, trustSource)) ctx.io.out(l);
  for (const w of v.warnings) ctx.io.out(`warning: ${w}`);
  if (v.ok) {
    ctx.io.out(`\nintact: case ${v.caseNumber} "${v.caseTitle}", ${v.files} files, ${v.bytes} bytes, ${v.ledgerEntries} custody entries`);
    ctx.io.out(`exported ${v.exportedAt} by ${v.exporter?.name}, key fingerprint ${v.exporter?.fingerprint}`);
  } else if (v.intact) {
    ctx.io.out(`\nNOT ANCHORED: ${v.reason}`);
  } else {
    ctx.io.out(`\nREFUSED (${v.code}): ${v.reason}`);
  }
}

const trustSourceOf = (trust: string[] | undefined): string =>
  trust?.length
    ? 'the fingerprints given with --trust'
    : "this data folder's trust list (pass --trust to verify against fingerprints obtained independently)";

/** `lariat report`, `lariat export`, `lariat verify`, `lariat import-bundle`. */
export function registerReportCommands(program: Command, ctx: CliContext): void {
  program
    .command('report <case>')
    .description('write the case report as HTML or PDF, and record it as evidence')
    .requiredOption('--out <file>', 'where to write the report (refused if it exists, unless --force)')
    .option('--format <format>', 'html or pdf', 'html')
    .option(
      '--sections <list>',
      'comma-separated sections (default: all): cover,details,summary,scope,evidence,custody,tools,timeline,iocs,tasks,findings,response,postIncident,limitations,signoff',
      commaList,
    )
    .option('--template <dir>', 'a report template folder (default: the shipped template)')
    .option('--timeline <scope>', 'notable (default: highlighted or flagged events), flagged or all')
    .option('--timeline-limit <n>', 'most timeline events to print', (v) => Number(v))
    .option('--force', 'replace --out if it exists')
    .option('--json', 'print the result as JSON')
    .action(
      async (
        caseNumber: string,
        o: {
          out: string;
          format: string;
          sections?: string[];
          template?: string;
          timeline?: string;
          timelineLimit?: number;
          force?: boolean;
          json?: boolean;
        },
      ) => {
        const r = await ctx.op(
          'exportReport',
          {
            caseNumber,
            format: o.format,
            sections: o.sections,
            timelineScope: o.timeline,
            timelineLimit: o.timelineLimit,
            templateDir: o.template ? path.resolve(o.template) : undefined,
            out: ctx.grant(o.out, 'write', { overwrite: o.force ?? false }),
          },
          ExportReportCliInput,
        );
        if (o.json) return printJson(ctx, r);
        ctx.io.out(`wrote ${r.path} (${r.size} bytes)\nreport id ${r.reportId}\nsha256 ${r.sha256}`);
        ctx.io.out(
          r.evidenceId
            ? `recorded as evidence item ${r.evidenceId} with an "exported" custody entry`
            : 'not recorded as evidence (no investigator identity, or a read-only case); the export is in the activity log',
        );
      },
    );

  program
    .command('export <case>')
    .description('write the case as a signed .lariat bundle')
    .requiredOption('--out <file>', 'the bundle to write (FILE.lariat; refused if it exists, unless --force)')
    .option('--with-evidence', 'include the evidence files from the vault')
    .option('--force', 'replace --out if it exists')
    .option('--json', 'print the result as JSON')
    .action(async (caseNumber: string, o: { out: string; withEvidence?: boolean; force?: boolean; json?: boolean }) => {
      const r = await ctx.op('exportBundle', {
        caseNumber,
        withEvidence: o.withEvidence ?? false,
        out: ctx.grant(o.out, 'write', { overwrite: o.force ?? false }),
      });
      if (o.json) return printJson(ctx, r);
      ctx.io.out(`wrote ${r.path}: ${r.files} files, ${r.size} bytes${r.withEvidence ? ', evidence included' : ''}\nsha256 ${r.sha256}`);
    });

  program
    .command('verify <bundle>')
    .description('verify a .lariat bundle without writing anything (exit 0 only when intact and signed by a trusted key)')
    .option(
      '--trust <fingerprint>',
      "the sender's key fingerprint, confirmed by another channel; replaces the trust list (repeatable)",
      collectList,
    )
    .option('--checkpoint <file>', 'a checkpoint kept from earlier: the bundled ledger must extend it (repeatable)', collectList)
    .option('--json', 'print the verification as JSON')
    .action(async (file: string, o: { trust?: string[]; checkpoint?: string[]; json?: boolean }) => {
      const { verification: v } = await ctx.op('verifyBundle', {
        file: ctx.grant(file, 'read'),
        trust: o.trust,
        checkpoints: o.checkpoint ? await Promise.all(o.checkpoint.map((f) => readInputText(f, CHECKPOINT_FILE))) : undefined,
      });
      if (o.json) printJson(ctx, v);
      else printVerification(ctx, v, trustSourceOf(o.trust));
      if (!v.ok) ctx.exitCode = 1;
    });

  program
    .command('import-bundle <bundle>')
    .description(
      'verify a .lariat bundle and, only if intact and its sender is trusted (or confirmed with --trust), open it as a read-only case',
    )
    .option(
      '--trust <fingerprint>',
      "the sender's key fingerprint, after confirming it with them by another channel (repeatable)",
      collectList,
    )
    .option('--json', 'print the result as JSON')
    .action(async (file: string, o: { trust?: string[]; json?: boolean }) => {
      const r = await ctx.op('importBundle', { file: ctx.grant(file, 'read'), trust: o.trust });
      if (o.json) return printJson(ctx, r);
      printVerification(ctx, r.verification, trustSourceOf(o.trust));
      ctx.io.out(
        `\nimported as read-only case ${r.caseNumber}${r.caseNumber !== r.originalCaseNumber ? ` (the sender's case ${r.originalCaseNumber}; that number is taken here)` : ''}; files in ${r.folder}`,
      );
    });
}
