import fs from 'node:fs';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { setup, type Fixture } from './fixture';
import { cli } from '../../helpers/cli';

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

test('an exported report carries a signed checkpoint, which later proves the ledger still holds those entries', async () => {
  f = setup();
  await f.s.custody.evidence.importFile(f.caseNumber, f.file('a.log', 'x\n'), {});
  f.s.custody.actions.note({ caseNumber: f.caseNumber, evidenceId: null, note: 'before the report' });
  const out = path.join(f.s.dataDir, 'report.html');
  await f.s.reports.reports.export({ caseNumber: f.caseNumber, format: 'html', outPath: out });
  const html = fs.readFileSync(out, 'utf8');
  expect(html).toContain(`Signed checkpoint of this ledger at entry 2, by ${f.me.name} (key ${f.me.fingerprint})`);
  expect(html).toContain(`lariat custody verify ${f.caseNumber} --checkpoint FILE`);
  const text = unescape(/<pre class="hash checkpoint">([\s\S]*?)<\/pre>/.exec(html)![1]!);
  const file = path.join(f.s.dataDir, 'from-report.txt');
  fs.writeFileSync(file, `${text}\n`);
  f.s.close();
  const ok = await cli(f.s.dataDir, 'custody', 'verify', f.caseNumber, '--checkpoint', file);
  expect(ok.code, ok.out).toBe(0);
  expect(ok.out).toMatch(/^checkpoint: the ledger extends the checkpoint of IR-2026-0001 at entry 2 \(signed by /m);
});
