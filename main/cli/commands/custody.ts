import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { EVIDENCE_KINDS, type CustodyEntry, type IdentityInfo } from '../../../common/contract/custody';
import type { EvidenceSummary } from '../../custody/api';
import { type CliContext, printJson, table } from '../context';

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

/** `lariat identity`, `lariat evidence` and `lariat custody`: the custody feature from a terminal, through its operations. */
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
    .action(async (o: { name: string; role?: string; org?: string; contact?: string; json?: boolean }) => {
      const info = await ctx.op('createIdentity', { name: o.name, role: o.role, organisation: o.org, contact: o.contact });
      if (o.json) printJson(ctx, info);
      else printIdentity(ctx, info);
    });
  identity
    .command('show')
    .description('show the current identity and its public key')
    .option('--json', 'print JSON (every identity in the data folder)')
    .action(async (o: { json?: boolean }) => {
      const me = await ctx.op('getIdentity', {});
      if (o.json) return printJson(ctx, { current: me, all: await ctx.op('listIdentities', {}) });
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
      const { jobIds } = await ctx.op('importEvidence', {
        caseNumber,
        files: files.map((f) => ctx.grant(f, 'read')),
        description: o.description,
        kind: o.kind,
      });
      const results: EvidenceSummary[] = [];
      for (const id of jobIds) {
        const item = await ctx.waitJob<EvidenceSummary>(id);
        results.push(item);
        if (!o.json)
          ctx.io.out(
            `${item.duplicate ? 'already held' : 'added'} #${item.id}  ${item.hashes.sha256}  ${item.size} bytes  ${item.description}`,
          );
      }
      if (o.json) printJson(ctx, results);
    });
  evidence
    .command('list <case>')
    .description('list the evidence of a case with hashes')
    .option('--json', 'print JSON')
    .action(async (caseNumber: string, o: { json?: boolean }) => {
      const items = await ctx.op('listEvidence', { caseNumber });
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
    .action(async (caseNumber: string, o: { item?: string; json?: boolean }) => {
      const entries = await ctx.op('listCustody', { caseNumber, evidenceId: o.item === undefined ? undefined : Number(o.item) });
      if (o.json) return printJson(ctx, entries);
      if (entries.length === 0) return ctx.io.out('The ledger is empty: nothing has been done to evidence in this case yet.');
      ctx.io.out(['SEQ\tTIME (UTC)\tACTION\tITEM\tBY\tPURPOSE\tHASH', ...entries.map(describeEntry)].join('\n'));
    });
  custody
    .command('note <case>')
    .description('append a signed note to the ledger (for the case, or one item with --item)')
    .requiredOption('--text <text>', 'the note')
    .option('--item <id>', 'evidence item the note is about')
    .action(async (caseNumber: string, o: { text: string; item?: string }) => {
      const e = await ctx.op('addCustodyNote', { caseNumber, evidenceId: o.item === undefined ? null : Number(o.item), note: o.text });
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
        const base = { caseNumber, evidenceId: Number(item), toFingerprint: o.to, purpose: o.purpose, location: o.location };
        if (o.prepare) {
          const d = await ctx.op('prepareTransfer', base);
          ctx.io.out(d.body);
          ctx.io.err(`hash ${d.hash}\nreceiver runs: ${d.signCommand}`);
          return;
        }
        const draft = o.draft ? await readFile(o.draft, 'utf8') : undefined;
        const e = await ctx.op('transferEvidence', { ...base, draft, counterSignature: o.signature });
        ctx.io.out(`entry ${e.seq} ${e.hash}: ${e.actor.name} → ${e.counterparty?.name}`);
      },
    );
  custody
    .command('verify <case>')
    .description('recompute the chain, check every signature and re-hash every vault file (exit 0 only when intact)')
    .option('--json', 'print the full result as JSON')
    .action(async (caseNumber: string, o: { json?: boolean }) => {
      const result = await ctx.op('verifyCustody', { caseNumber });
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
    .action(async (caseNumber: string, o: { out: string }) => {
      const r = await ctx.op('exportCustody', { caseNumber, out: ctx.grant(o.out, 'write') });
      ctx.io.out(
        `exported ${r.entries} entries, ${r.keys} public keys and ${r.files} file hashes to ${r.dir}\ncheck it with: sh ${path.join(r.dir, 'verify.sh')} ${r.vaultDir}`,
      );
    });
}
