import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../../helpers/cli';
import { createServices } from '../../../main/services';
import { seededCase, tempDir } from './fixture';
import type { TestServices } from '../../helpers/services';
import { createHandlers } from '../../../main/ipc/handlers';

let sender: string;
let receiver: string;
let work: string;
let caseNumber: string;

/** Opens services on a data folder the way the CLI does, for set-up steps. */
function open(dataDir: string): TestServices {
  const s = createServices({ dataDir, env: {} });
  return { ...s, dataDir, handlers: createHandlers(s), cleanup: () => s.close() };
}

beforeAll(async () => {
  sender = tempDir('lariat-cli-a-');
  receiver = tempDir('lariat-cli-b-');
  work = tempDir('lariat-cli-out-');
  const a = open(sender);
  ({ caseNumber } = await seededCase(a));
  a.cleanup();
  const b = open(receiver);
  b.custody.identity.create({ name: 'Bob Receiver' });
  b.cleanup();
});
afterAll(() => {
  for (const d of [sender, receiver, work]) fs.rmSync(d, { recursive: true, force: true });
});

describe('lariat report / export / verify / import-bundle', () => {
  it('writes an HTML report with chosen sections and records it', async () => {
    const out = path.join(work, 'r.html');
    const r = await cli(sender, 'report', caseNumber, '--format', 'html', '--out', out, '--sections', 'summary,evidence');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/recorded as evidence item \d+/);
    const html = fs.readFileSync(out, 'utf8');
    expect(html).toContain('<h2>1. Executive summary</h2>');
    expect(html).toContain('<h2>2. Evidence inventory</h2>');
    expect(html).not.toContain('Chain of custody</h2>');
  });

  it('writes a PDF whose text holds every section', async () => {
    const out = path.join(work, 'r.pdf');
    const r = await cli(sender, 'report', caseNumber, '--format', 'pdf', '--out', out);
    expect(r.code, r.err).toBe(0);
    const text = execFileSync('pdftotext', [out, '-']).toString();
    expect(text).toContain('Chain of custody');
    expect(text).toContain('Sign-off');
  });

  it('uses another template folder with --template, and refuses a bad one', async () => {
    const dir = path.join(work, 'tpl');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'template.json'), JSON.stringify({ name: 'Minimal', body: 'b.html', stylesheet: 's.css' }));
    fs.writeFileSync(
      path.join(dir, 'b.html'),
      '<h1>{{case.number}}</h1>{{#s.summary}}<h2>{{title}}</h2>{{{body}}}{{/s.summary}}<script>alert(1)</script>',
    );
    fs.writeFileSync(path.join(dir, 's.css'), 'h1 { color: navy; }');
    const out = path.join(work, 'min.html');
    const r = await cli(sender, 'report', caseNumber, '--out', out, '--template', dir);
    expect(r.code, r.err).toBe(0);
    const html = fs.readFileSync(out, 'utf8');
    expect(html).toContain(`<h1>${caseNumber}</h1>`);
    expect(html).toContain('h1 { color: navy; }');
    expect(html).not.toContain('<script>');
    // An existing --out is never replaced silently: refused (nothing written) unless --force.
    const before = fs.readFileSync(out);
    const again = await cli(sender, 'report', caseNumber, '--out', out, '--template', dir);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/already exists; nothing was written\.\nhint: .*--force/);
    expect(fs.readFileSync(out).equals(before)).toBe(true);
    fs.writeFileSync(path.join(dir, 's.css'), '@import url(https://cdn.example/x.css);');
    const bad = await cli(sender, 'report', caseNumber, '--out', out, '--force', '--template', dir);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/^error: .*uses @import.*\nhint: /);
  });

  it('exports, verifies (exit 0, listing the checks), refuses a tampered copy (exit 1), imports elsewhere', async () => {
    const bundle = path.join(work, 'case.lariat');
    const e = await cli(sender, 'export', caseNumber, '--out', bundle, '--with-evidence');
    expect(e.code, e.err).toBe(0);
    expect(e.out).toMatch(/evidence included\nsha256 [0-9a-f]{64}/);
    // Without the sender's fingerprint the receiver can only see that nothing changed since someone signed it.
    const loose = await cli(receiver, 'verify', bundle);
    expect(loose.code).toBe(1);
    expect(loose.out).toMatch(/^NOT ANCHORED: not anchored: none of the bundle's 1 signer key\(s\) is trusted here/m);
    const ada = JSON.parse((await cli(sender, 'identity', 'show', '--json')).out).current.fingerprint as string;
    const v = await cli(receiver, 'verify', bundle, '--trust', ada);
    expect(v.code, v.err).toBe(0);
    for (const check of ['archive', 'manifest', 'file list', 'signature', 'files', 'ledger', 'checkpoint', 'case data', 'trust'])
      expect(v.out).toMatch(new RegExp(`^ok {4}${check}`, 'm'));
    expect(v.out).toContain(`  ${ada} Ada Examiner: trusted (given with --trust), `);
    expect(v.out).toContain(`intact: case ${caseNumber}`);

    const bytes = fs.readFileSync(bundle);
    const tampered = path.join(work, 'tampered.lariat');
    const i = bytes.indexOf(Buffer.from('Accepted publickey'));
    expect(i).toBeGreaterThan(0);
    bytes[i] = 'a'.charCodeAt(0);
    fs.writeFileSync(tampered, bytes);
    const t = await cli(receiver, 'verify', tampered);
    expect(t.code).toBe(1);
    expect(t.out).toMatch(/^FAIL {2}files/m);
    expect(t.out).toMatch(/REFUSED \((hash-mismatch|corrupt-entry)\)/);
    const ti = await cli(receiver, 'import-bundle', tampered, '--trust', ada);
    expect(ti.code).toBe(1);

    const imp = await cli(receiver, 'import-bundle', bundle, '--trust', ada);
    expect(imp.code, imp.err).toBe(0);
    expect(imp.out).toContain(`imported as read-only case ${caseNumber}`);
    const show = await cli(receiver, 'case', 'show', caseNumber);
    expect(show.out).toContain('read-only (received)');
  });
  /**
   * The attack: `--force` aimed at something that is not a file. The rename into place replaced whatever had the
   * name: run as root, `lariat report <case> --out /dev/null --force` turned /dev/null into the report. Only a
   * regular file is ever replaced; a pipe (standing in for a device), a folder and a link are refused untouched.
   */
  it('--force replaces only a regular file: a pipe, a folder and a link are refused as they are', async () => {
    const fifo = path.join(work, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const folder = path.join(work, 'a-folder');
    fs.mkdirSync(folder);
    const target = path.join(work, 'target.txt');
    fs.writeFileSync(target, 'mine');
    const link = path.join(work, 'link.pdf');
    fs.symlinkSync(target, link);
    const cases: [string, string, string][] = [
      [fifo, 'a device, pipe or socket', 'Give the path of a new file.'],
      [folder, 'a folder', 'Give a file name inside that folder.'],
      [link, 'a symbolic link', 'Give the path of a new file.'],
    ];
    for (const [out, what, hint] of cases)
      for (const argv of [
        ['report', caseNumber, '--out', out, '--force'],
        ['export', caseNumber, '--out', out, '--force'],
      ]) {
        const r = await cli(sender, ...argv);
        expect(r.code, argv.join(' ')).toBe(1);
        expect(r.err).toBe(
          `error: ${out} is ${what}, not a file; nothing was written (an export replaces only a file it is allowed to).\nhint: ${hint}`,
        );
      }
    expect(fs.lstatSync(fifo).isFIFO()).toBe(true);
    expect(fs.lstatSync(folder).isDirectory()).toBe(true);
    expect(fs.readlinkSync(link)).toBe(target);
    expect(fs.readFileSync(target, 'utf8')).toBe('mine');
  });
});
