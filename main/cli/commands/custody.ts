import path from 'node:path';
import type { Command } from 'commander';
import {
  EVIDENCE_KINDS,
  type CustodyEntry,
  type IdentityInfo,
  type SignerReport,
  type TrustedKey,
  type VerificationResult,
} from '../../../common/contract/custody';
import type { EvidenceSummary } from '../../custody/api';
import { type CliContext, printJson, table } from '../context';
import { collectList } from '../parse';
import { makeOutputFolder, writeOutputFile } from '../output-file';
import { CHECKPOINT_FILE, TRANSFER_DRAFT_FILE, TSA_CERT_FILE, TSR_FILE, readInputFile, readInputText } from '../input-file';

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

/** One line per signer, the same words verify.sh prints: fingerprint, name, trusted / introduced / NOT trusted, and why. */
export function signerLines(signers: SignerReport[], source: string): string[] {
  return [
    `signers (trust anchors: ${source}):`,
    ...signers.map(
      (s) => `  ${s.fingerprint} ${s.name}: ${s.status === 'untrusted' ? 'NOT trusted' : s.status} (${s.via}), ${s.entries} entries`,
    ),
  ];
}

function printVerification(ctx: CliContext, r: VerificationResult): void {
  ctx.io.out(r.summary);
  for (const p of r.problems.slice(1)) ctx.io.out(`also: ${p.message}`);
  for (const l of signerLines(r.signers, r.trust.source)) ctx.io.out(l);
  for (const w of r.warnings) ctx.io.out(`warning: ${w}`);
  if (r.head) ctx.io.out(`head: entry ${r.head.seq} (${r.head.hash}) signed by ${r.head.signer.name} at ${r.head.at}`);
  for (const c of r.checkpoints) if (c.ok) ctx.io.out(`checkpoint: ${c.message}`);
  for (const a of r.anchors) if (a.ok) ctx.io.out(`anchor: ${a.message}`);
  if (r.received)
    ctx.io.out(
      `received: the sender's record of case ${r.received.senderCaseNumber} re-verified: ${r.received.entries} entries, ${r.received.files} evidence files (exported by ${r.received.exporter.name}, key ${r.received.exporter.fingerprint})`,
    );
  if (r.strayFiles.length)
    ctx.io.err(
      `note: ${r.strayFiles.length} file(s) in the vault folder are not evidence records (left by an interrupted import): ${r.strayFiles.join(', ')}`,
    );
}

function printTrust(ctx: CliContext, keys: TrustedKey[]): void {
  if (keys.length === 0) return ctx.io.out('The trust list is empty: verifications here start from no key.');
  for (const k of keys) ctx.io.out(`${k.fingerprint}  ${k.name}  (${k.source === 'own' ? 'own key' : 'pinned'}, since ${k.addedAt})`);
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
        const draft = o.draft ? await readInputText(o.draft, TRANSFER_DRAFT_FILE) : undefined;
        const e = await ctx.op('transferEvidence', { ...base, draft, counterSignature: o.signature });
        ctx.io.out(`entry ${e.seq} ${e.hash}: ${e.actor.name} → ${e.counterparty?.name}`);
      },
    );
  custody
    .command('verify <case>')
    .description(
      'check every hash, signature, signer (against the trust list or --trust), the signed heads, earlier checkpoints, and re-hash every evidence file (exit 0 only when intact)',
    )
    .option('--trust <fingerprint>', 'a key fingerprint obtained by another channel; replaces the trust list (repeatable)', collectList)
    .option('--checkpoint <file>', 'a checkpoint kept from a report, export or bundle: the ledger must extend it (repeatable)', collectList)
    .option('--tsr <file>', 'an RFC 3161 time-stamp response over one of the --checkpoint files (repeatable)', collectList)
    .option('--tsa-ca <file>', 'certificate (PEM) of a time-stamp authority, or its CA, to trust (repeatable)', collectList)
    .option('--s3-anchor <uri>', 'a checkpoint published to S3 with Object Lock: fetched and its lock checked (repeatable)', collectList)
    .option('--json', 'print the full result as JSON')
    .action(
      async (
        caseNumber: string,
        o: { trust?: string[]; checkpoint?: string[]; tsr?: string[]; tsaCa?: string[]; s3Anchor?: string[]; json?: boolean },
      ) => {
        const result = await ctx.op('verifyCustody', {
          caseNumber,
          trust: o.trust,
          checkpoints: o.checkpoint ? await Promise.all(o.checkpoint.map((f) => readInputText(f, CHECKPOINT_FILE))) : undefined,
          timestamps: o.tsr ? await Promise.all(o.tsr.map(async (f) => (await readInputFile(f, TSR_FILE)).toString('base64'))) : undefined,
          tsaCertificates: o.tsaCa ? await Promise.all(o.tsaCa.map((f) => readInputText(f, TSA_CERT_FILE))) : undefined,
          s3Anchors: o.s3Anchor,
        });
        if (o.json) printJson(ctx, result);
        else printVerification(ctx, result);
        if (!result.intact) ctx.exitCode = 1;
      },
    );
  custody
    .command('checkpoint <case>')
    .description('print a signed checkpoint of the ledger as it is now: keep it outside the data folder, give it to verify later')
    .option('--out <file>', 'also write it to this file')
    .action(async (caseNumber: string, o: { out?: string }) => {
      const cp = await ctx.op('getCustodyCheckpoint', { caseNumber });
      ctx.io.out(cp.text.trimEnd());
      if (o.out) await writeOutputFile(o.out, cp.text, { what: 'The checkpoint', done: 'It is printed above.' });
    });
  const trust = custody.command('trust').description('the keys verifications in this data folder trust by default');
  trust
    .command('list')
    .description('list the trusted keys')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const keys = await ctx.op('listTrustedKeys', {});
      if (o.json) printJson(ctx, keys);
      else printTrust(ctx, keys);
    });
  trust
    .command('add <fingerprint>')
    .description("pin a colleague's key fingerprint, after confirming it with them by another channel")
    .option('--name <name>', 'whose key it is')
    .action(async (fingerprint: string, o: { name?: string }) => printTrust(ctx, await ctx.op('trustKey', { fingerprint, name: o.name })));
  trust
    .command('remove <fingerprint>')
    .description('remove a key from the trust list')
    .action(async (fingerprint: string) => printTrust(ctx, await ctx.op('untrustKey', { fingerprint })));
  custody
    .command('introduce <case>')
    .description("vouch for a registered colleague's key in the case's ledger (signed), so the entries it signs are accepted")
    .requiredOption('--key <fingerprint>', 'the key to introduce (registered with its public key)')
    .action(async (caseNumber: string, o: { key: string }) => {
      const e = await ctx.op('introduceKey', { caseNumber, fingerprint: o.key });
      ctx.io.out(`entry ${e.seq} ${e.hash}: ${e.actor.name} introduced ${e.counterparty?.name} (key ${e.counterparty?.fingerprint})`);
    });
  custody
    .command('reseal <case>')
    .description('after a refused append was investigated: record (signed) that the ledger is accepted as it is, with a new signed head')
    .requiredOption('--reason <text>', 'what was found and why the ledger is accepted')
    .option('--checkpoint <file>', 'a checkpoint kept outside the data folder that the ledger must extend')
    .action(async (caseNumber: string, o: { reason: string; checkpoint?: string }) => {
      const e = await ctx.op('resealCustody', {
        caseNumber,
        reason: o.reason,
        checkpoint: o.checkpoint ? await readInputText(o.checkpoint, CHECKPOINT_FILE) : undefined,
      });
      ctx.io.out(`entry ${e.seq} ${e.hash}: resealed (${(e.details.found as string[]).join('; ')})`);
    });
  custody
    .command('anchors')
    .description('show or set the external anchors for checkpoints (none by default: Lariat stays offline)')
    .option('--s3-bucket <bucket>', 'an S3 bucket with Object Lock enabled (ideally in a separate forensic account)')
    .option('--s3-region <region>', 'its region')
    .option('--s3-prefix <prefix>', 'key prefix', '')
    .option('--retention-days <n>', 'COMPLIANCE retention of each checkpoint', (v) => Number(v), 3650)
    .option('--tsa-url <url>', 'an RFC 3161 time-stamp authority')
    .option('--off <which>', 'turn off s3 or tsa')
    .option('--json', 'print JSON')
    .action(
      async (o: {
        s3Bucket?: string;
        s3Region?: string;
        s3Prefix: string;
        retentionDays: number;
        tsaUrl?: string;
        off?: string;
        json?: boolean;
      }) => {
        const patch: Record<string, unknown> = {};
        if (o.s3Bucket) patch.s3 = { bucket: o.s3Bucket, region: o.s3Region, prefix: o.s3Prefix, retentionDays: o.retentionDays };
        if (o.tsaUrl) patch.tsa = { url: o.tsaUrl };
        if (o.off === 's3' || o.off === 'tsa') patch[o.off] = null;
        const cfg = Object.keys(patch).length ? await ctx.op('setAnchorSettings', patch) : await ctx.op('getAnchorSettings', {});
        if (o.json) return printJson(ctx, cfg);
        ctx.io.out(
          `S3 Object Lock: ${cfg.s3 ? `s3://${cfg.s3.bucket}/${cfg.s3.prefix} in ${cfg.s3.region}, COMPLIANCE ${cfg.s3.retentionDays} days` : 'off'}`,
        );
        ctx.io.out(`RFC 3161 time-stamp authority: ${cfg.tsa ? cfg.tsa.url : 'off'}`);
      },
    );
  custody
    .command('anchor <case>')
    .description('sign a checkpoint now and publish it to the configured anchors (S3 Object Lock, RFC 3161); recorded in the ledger')
    .option('--out <dir>', 'also write the checkpoint and time-stamp files there, for verify --checkpoint/--tsr')
    .action(async (caseNumber: string, o: { out?: string }) => {
      const records = await ctx.op('anchorCustody', { caseNumber });
      for (const r of records) ctx.io.out(`${r.kind}: checkpoint of entry ${r.seq} at ${r.location} (${r.detail})`);
      if (o.out && records[0]) {
        // The anchors are published and recorded already: a failed write says so, and how to get the files.
        const spec = {
          what: 'The checkpoint files',
          done: 'The anchors above are published and recorded in the ledger (`lariat custody log <case>` shows them); run the anchor again with another --out for the files.',
        };
        await makeOutputFolder(o.out, spec);
        const base = path.join(o.out, `${caseNumber}-${records[0].seq}`);
        await writeOutputFile(`${base}.checkpoint.txt`, records[0].checkpoint, spec);
        for (const r of records) if (r.token) await writeOutputFile(`${base}.tsr`, Buffer.from(r.token, 'base64'), spec);
        ctx.io.out(`written: ${base}.checkpoint.txt${records.some((r) => r.token) ? ` and ${base}.tsr` : ''}`);
      }
    });
  custody
    .command('placed <case>')
    .description('record (signed) where you placed a checkpoint outside Lariat, e.g. pasted into a ticket or an email; lists every anchor')
    .requiredOption('--checkpoint <file>', 'the checkpoint text you placed (from `lariat custody checkpoint --out`)')
    .requiredOption('--where <text>', 'where it is now, e.g. "ServiceNow INC0012345" or "email to counsel 2026-11-30"')
    .action(async (caseNumber: string, o: { checkpoint: string; where: string }) => {
      const records = await ctx.op('recordAnchor', {
        caseNumber,
        checkpoint: await readInputText(o.checkpoint, CHECKPOINT_FILE),
        where: o.where,
      });
      for (const r of records) ctx.io.out(`${r.kind}: checkpoint of entry ${r.seq} (${r.hash}) at ${r.location} (${r.detail})`);
    });
  custody
    .command('export <case>')
    .description('write the ledger (JSON Lines), public keys, SHA256SUMS, verify.sh and VERIFY.md for independent checking')
    .requiredOption('--out <dir>', 'new or empty folder to write to')
    .action(async (caseNumber: string, o: { out: string }) => {
      const r = await ctx.op('exportCustody', { caseNumber, out: ctx.grant(o.out, 'write') });
      ctx.io.out(`exported ${r.entries} entries, ${r.keys} public keys and ${r.files} file hashes to ${r.dir}`);
      ctx.io.out(
        `checkpoint: entry ${r.checkpoint.seq} (${r.checkpoint.hash}) signed by ${r.checkpoint.signer.name} at ${r.checkpoint.at}`,
      );
      for (const p of r.signers) ctx.io.out(`signer: ${p.fingerprint} ${p.name}`);
      ctx.io.out(
        `check it with: sh ${path.join(r.dir, 'verify.sh')} ${r.signers.map((p) => `--trust ${p.fingerprint} `).join('')}${r.vaultDir}\n(give the verifier each fingerprint by another channel, not with the export)`,
      );
    });
}
