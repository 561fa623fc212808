import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { CaseNumber } from '../../../common/contract/common';
import { EVIDENCE_KINDS, IdentityCreateInput, type CustodyEntry, type IdentityInfo } from '../../../common/contract/custody';
import type { JobRecord } from '../../../common/contract/jobs';
import { type CliContext, printJson, table } from '../context';
import { parseInput } from '../parse';

const caseArg = (caseNumber: string): string => parseInput(z.object({ case: CaseNumber }), { case: caseNumber }).case;
const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;

function printIdentity(ctx: CliContext, i: IdentityInfo): void {
  ctx.io.out(
    [
      `${i.name}${i.demo ? ' (DEMO identity)' : ''}${i.current ? '' : ' (not current)'}`,
      i.role || i.organisation ? `${i.role}${i.role && i.organisation ? ', ' : ''}${i.organisation}` : '',
      i.contact ? `contact ${i.contact}` : '',
      `fingerprint ${i.fingerprint}`,
      `private key: ${i.keyStorage === 'key-file' ? 'key file (mode 0600)' : i.keyStorage === 'safe-storage' ? 'OS keychain (Lariat app)' : 'not on this machine'}`,
      '',
      i.publicKeyPem.trimEnd(),
    ]
      .filter((l, n) => l !== '' || n === 5)
      .join('\n'),
  );
}

function describeEntry(e: CustodyEntry): string {
  const who = e.counterparty ? `${e.actor.name} → ${e.counterparty.name}` : e.actor.name;
  const item = e.evidence ? `#${e.evidence.id}` : 'case';
  return [String(e.seq), e.at, e.action, item, who, e.purpose, e.hash.slice(0, 16)].join('\t');
}

/** `lariat identity`, `lariat evidence` and `lariat custody`: the custody feature from a terminal. */
export function registerCustodyCommands(program: Command, ctx: CliContext): void {
  const identity = program.command('identity').description('your investigator identity and signing key');
  identity
    .command('init')
    .description('create an investigator identity with a new Ed25519 key (key file, mode 0600, in the data folder)')
    .requiredOption('--name <name>', 'your full name')
    .option('--role <role>', 'role, e.g. "Incident responder"')
    .option('--org <organisation>', 'organisation')
    .option('--contact <contact>', 'email or phone')
    .option('--json', 'print JSON')
    .action((o: { name: string; role?: string; org?: string; contact?: string; json?: boolean }) => {
      const input = parseInput(IdentityCreateInput, { name: o.name, role: o.role, organisation: o.org, contact: o.contact });
      const info = ctx.services().custody.identity.create(input);
      if (o.json) printJson(ctx, info);
      else printIdentity(ctx, info);
    });
  identity
    .command('show')
    .description('show the current identity and its public key')
    .option('--json', 'print JSON (every identity in the data folder)')
    .action((o: { json?: boolean }) => {
      const s = ctx.services();
      if (o.json) return printJson(ctx, { current: s.custody.identity.current(), all: s.custody.identity.list() });
      const me = s.custody.identity.current();
      if (!me) {
        ctx.exitCode = 1;
        return ctx.io.err('No identity yet. Create one with: lariat identity init --name "..." --role "..." --org "..." --contact "..."');
      }
      printIdentity(ctx, me);
    });

  const evidence = program.command('evidence').description('the evidence vault of a case');
  evidence
    .command('add <case> <files...>')
    .description('import files into the case vault (hash, copy, verify the copy, read-only) and record custody')
    .option('--description <text>', 'description (default: the file name)')
    .option('--kind <kind>', `one of ${EVIDENCE_KINDS.join(', ')}`, 'file')
    .option('--json', 'print the items as JSON')
    .action(async (caseNumber: string, files: string[], o: { description?: string; kind: string; json?: boolean }) => {
      const n = caseArg(caseNumber);
      const { kind } = parseInput(z.object({ kind: z.enum(EVIDENCE_KINDS) }), { kind: o.kind });
      const s = ctx.services();
      s.custody.identity.requireCurrent();
      let last = 0;
      const off = s.core.events.subscribe((name, payload) => {
        const r = payload as JobRecord;
        if (name !== 'jobProgress' || r.state !== 'running' || r.done === 0 || Date.now() - last < 1000) return;
        last = Date.now();
        const pct = r.total ? ` ${Math.floor((r.done / r.total) * 100)}%` : '';
        ctx.io.err(
          `${r.label}:${pct} ${mib(r.done)}${r.total ? ` of ${mib(r.total)}` : ''}, ${mib(r.rate)}/s${r.etaSeconds != null ? `, ${Math.ceil(r.etaSeconds)} s left` : ''}`,
        );
      });
      const results = [];
      try {
        for (const file of files) {
          const abs = path.resolve(file);
          const item = await s.core.jobs.run(
            { kind: 'evidence-import', label: `Import ${path.basename(abs)}`, caseNumber: n, unit: 'bytes' },
            (job) => s.custody.evidence.importFile(n, abs, { kind, ...(o.description ? { description: o.description } : {}) }, job),
          );
          results.push(item);
          if (!o.json)
            ctx.io.out(
              `${item.duplicate ? 'already held' : 'added'} #${item.id}  ${item.hashes.sha256}  ${item.size} bytes  ${item.description}`,
            );
        }
      } finally {
        off();
      }
      if (o.json) printJson(ctx, results);
    });
  evidence
    .command('list <case>')
    .description('list the evidence of a case with hashes')
    .option('--json', 'print JSON')
    .action((caseNumber: string, o: { json?: boolean }) => {
      const items = ctx.services().custody.vault.list(caseArg(caseNumber));
      if (o.json) return printJson(ctx, items);
      if (items.length === 0) return ctx.io.out('No evidence yet. Add files with: lariat evidence add <case> <file...>');
      ctx.io.out(
        table([
          ['ID', 'KIND', 'SIZE', 'SHA-256', 'CUSTODIAN', 'STATUS', 'DESCRIPTION'],
          ...items.map((i) => [
            String(i.id),
            i.kind,
            i.size == null ? '-' : String(i.size),
            i.sha256 ?? '(not reported)',
            i.custodian,
            i.status,
            i.description,
          ]),
        ]),
      );
    });

  const custody = program.command('custody').description('the signed chain of custody of a case');
  custody
    .command('log <case>')
    .description('print the custody ledger, oldest first')
    .option('--item <id>', 'only entries of one evidence item')
    .option('--json', 'print JSON (every field, hashes and signatures)')
    .action((caseNumber: string, o: { item?: string; json?: boolean }) => {
      const item =
        o.item === undefined ? undefined : parseInput(z.object({ item: z.coerce.number().int().positive() }), { item: o.item }).item;
      const entries = ctx.services().custody.ledger.list(caseArg(caseNumber), item);
      if (o.json) return printJson(ctx, entries);
      if (entries.length === 0) return ctx.io.out('The ledger is empty: nothing has been done to evidence in this case yet.');
      ctx.io.out(['SEQ\tTIME (UTC)\tACTION\tITEM\tBY\tPURPOSE\tHASH', ...entries.map(describeEntry)].join('\n'));
    });
  custody
    .command('note <case>')
    .description('append a signed note to the ledger (for the case, or one item with --item)')
    .requiredOption('--text <text>', 'the note')
    .option('--item <id>', 'evidence item the note is about')
    .action((caseNumber: string, o: { text: string; item?: string }) => {
      const input = parseInput(
        z.object({ item: z.coerce.number().int().positive().optional(), text: z.string().trim().min(1).max(5000) }),
        { item: o.item, text: o.text },
      );
      const e = ctx.services().custody.actions.note({ caseNumber: caseArg(caseNumber), evidenceId: input.item ?? null, note: input.text });
      ctx.io.out(`entry ${e.seq} ${e.hash}`);
    });
  custody
    .command('transfer <case> <item>')
    .description('transfer an item to another investigator; both sign (their key on this machine, or --prepare then --draft/--signature)')
    .requiredOption('--to <fingerprint>', "receiver's key fingerprint (see lariat identity show --json)")
    .requiredOption('--purpose <text>', 'why custody changes hands')
    .option('--location <text>', 'where the handover happens', '')
    .option('--prepare', 'print the entry body the receiver must sign (save it byte for byte as entry.json), record nothing')
    .option('--draft <file>', 'the prepared entry body, for recording with --signature')
    .option('--signature <base64>', "the receiver's base64 Ed25519 signature over the SHA-256 of the draft")
    .action(
      async (
        caseNumber: string,
        item: string,
        o: { to: string; purpose: string; location: string; prepare?: boolean; draft?: string; signature?: string },
      ) => {
        const input = parseInput(
          z.object({
            evidenceId: z.coerce.number().int().positive(),
            toFingerprint: z.string().regex(/^[0-9a-f]{64}$/, 'a fingerprint is 64 lowercase hex characters'),
            purpose: z.string().trim().min(1).max(500),
            location: z.string().max(200),
          }),
          { evidenceId: item, toFingerprint: o.to, purpose: o.purpose, location: o.location },
        );
        const actions = ctx.services().custody.actions;
        const base = { caseNumber: caseArg(caseNumber), ...input };
        if (o.prepare) {
          const d = actions.prepareTransfer(base);
          ctx.io.out(d.body);
          ctx.io.err(`hash ${d.hash}\nreceiver runs: ${d.signCommand}`);
          return;
        }
        const draft = o.draft ? await readFile(o.draft, 'utf8') : undefined;
        const e = actions.transfer({ ...base, ...(draft ? { draft } : {}), ...(o.signature ? { counterSignature: o.signature } : {}) });
        ctx.io.out(`entry ${e.seq} ${e.hash}: ${e.actor.name} → ${e.counterparty?.name}`);
      },
    );
  custody
    .command('verify <case>')
    .description('recompute the chain, check every signature and re-hash every vault file (exit 0 only when intact)')
    .option('--json', 'print the full result as JSON')
    .action(async (caseNumber: string, o: { json?: boolean }) => {
      const n = caseArg(caseNumber);
      const s = ctx.services();
      const result = await s.core.jobs.run({ kind: 'custody-verify', label: `Verify ${n}`, caseNumber: n, unit: 'bytes' }, (job) =>
        s.custody.verify.verify(n, { job, record: true }),
      );
      if (o.json) printJson(ctx, result);
      else {
        ctx.io.out(result.summary);
        for (const p of result.problems.slice(1)) ctx.io.out(`also: ${p.message}`);
        if (result.strayFiles.length)
          ctx.io.err(
            `note: ${result.strayFiles.length} file(s) in the vault folder are not evidence records (left by an interrupted import): ${result.strayFiles.join(', ')}`,
          );
      }
      if (!result.intact) ctx.exitCode = 1;
    });
  custody
    .command('export <case>')
    .description('write the ledger (JSON Lines), public keys, SHA256SUMS, verify.sh and VERIFY.md for independent checking')
    .requiredOption('--out <dir>', 'new or empty folder to write to')
    .action((caseNumber: string, o: { out: string }) => {
      const r = ctx.services().custody.exporter.exportTo(caseArg(caseNumber), o.out);
      ctx.io.out(
        `exported ${r.entries} entries, ${r.keys} public keys and ${r.files} file hashes to ${r.dir}\ncheck it with: sh ${path.join(r.dir, 'verify.sh')} ${ctx.services().custody.vault.caseDir(caseArg(caseNumber))}`,
      );
    });
}
