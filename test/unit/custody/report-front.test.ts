import fs from 'node:fs';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { setup, sh, type Fixture } from './fixture';
import { cli } from '../../helpers/cli';
import { footerHtml } from '../../../main/reports/render/pdf';

/**
 * The report's front matter states the custody checkpoint (head, entry count,
 * signers by fingerprint, the commands), and those printed commands, run as
 * printed with the checkpoint lines from the report, verify the record with
 * Lariat and with the exported verify.sh alike.
 */
let f: Fixture;
afterEach(() => f?.s.cleanup());

const unescape = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&#x2F;/g, '/')
    .replace(/&amp;/g, '&');
const coverOf = (html: string) => html.slice(html.indexOf('<section class="cover">'), html.indexOf('<nav class="toc"'));
const text = (html: string) => unescape(html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' '));

test('the cover states the checkpoint and the commands, which verify as printed', async () => {
  f = setup();
  await f.s.custody.evidence.importFile(f.caseNumber, f.file('a.log', 'x\n'), {});
  f.s.custody.actions.note({ caseNumber: f.caseNumber, evidenceId: null, note: 'before the report' });
  const head = f.s.custody.ledger.list(f.caseNumber).at(-1)!;
  const out = path.join(f.s.dataDir, 'report.html');
  await f.s.reports.reports.export({ caseNumber: f.caseNumber, format: 'html', outPath: out });
  const html = fs.readFileSync(out, 'utf8');
  const cover = text(coverOf(html));
  const fp = f.me.fingerprint;
  expect(cover).toContain(
    `Chain of custody Ledger of ${f.caseNumber} at entry 2 (2 entries), head SHA-256 ${head.hash} , verified intact at generation (2 entries, 1 evidence file re-hashed)`,
  );
  expect(cover).toContain(`Signed checkpoint by ${f.me.name} at `);
  expect(cover).toMatch(/printed in section \d+\./);
  expect(cover).toContain(`${f.me.name} ${fp} trusted`);
  const lariatCmd = `lariat custody verify ${f.caseNumber} --checkpoint checkpoint.txt --trust ${fp}`;
  const shCmd = `sh verify.sh --trust ${fp} --checkpoint checkpoint.txt CASE_VAULT_FOLDER`;
  expect(cover).toContain(lariatCmd);
  expect(cover).toContain(shCmd);
  expect(coverOf(html)).not.toContain('<pre'); // the custody section prints the checkpoint itself

  const checkpoint = path.join(f.s.dataDir, 'checkpoint.txt');
  fs.writeFileSync(checkpoint, `${unescape(/<pre class="hash checkpoint">([\s\S]*?)<\/pre>/.exec(html)![1]!)}\n`);
  f.s.close();
  const args = lariatCmd
    .split(' ')
    .slice(1)
    .map((a) => (a === 'checkpoint.txt' ? checkpoint : a));
  const ok = await cli(f.s.dataDir, ...args);
  expect(ok.code, ok.out).toBe(0);
  expect(ok.out).toMatch(/^checkpoint: the ledger extends the checkpoint of IR-2026-0001 at entry 2 \(signed by /m);

  const dir = path.join(f.s.dataDir, 'export');
  expect((await cli(f.s.dataDir, 'custody', 'export', f.caseNumber, '--out', dir)).code).toBe(0);
  const vault = path.join(f.s.dataDir, 'vault', f.caseNumber);
  const shArgs = shCmd
    .split(' ')
    .slice(1)
    .map((a) =>
      a === 'verify.sh' ? path.join(dir, 'verify.sh') : a === 'checkpoint.txt' ? checkpoint : a === 'CASE_VAULT_FOLDER' ? vault : a,
    );
  const v = sh('sh', shArgs);
  expect(v.out).toContain('checkpoint 1: the ledger extends the checkpoint of IR-2026-0001 at entry 2');
  expect(v.status, v.out).toBe(0);

  // A checkpoint from another ledger position is not extended: the printed command is not a rubber stamp.
  fs.writeFileSync(checkpoint, fs.readFileSync(checkpoint, 'utf8').replace(/"seq":2/, '"seq":3'));
  expect(sh('sh', shArgs).status).toBe(1);
});

test('without the custody section the cover prints the checkpoint itself; every PDF page names it in the footer', async () => {
  f = setup();
  f.s.custody.actions.note({ caseNumber: f.caseNumber, evidenceId: null, note: 'one' });
  const head = f.s.custody.ledger.list(f.caseNumber).at(-1)!;
  const r = await f.s.reports.reports.generate({ caseNumber: f.caseNumber, sections: ['summary', 'signoff'] });
  const cover = coverOf(r.html);
  expect(text(cover)).toContain('verified intact at generation (1 entry, 0 evidence files re-hashed)');
  expect(text(cover)).toContain('printed below');
  const printed = unescape(/<pre class="hash checkpoint">([\s\S]*?)<\/pre>/.exec(cover)![1]!);
  expect(printed.split('\n')[0]).toContain(`"hash":"${head.hash}"`);
  expect(r.custodyNote).toBe(`custody entry 1, SHA-256 ${head.hash.slice(0, 16)}…`);
  expect(footerHtml(r.reportId, r.tlpLabel, r.custodyNote)).toContain(`TLP:AMBER · custody entry 1, SHA-256 ${head.hash.slice(0, 16)}…`);
});
