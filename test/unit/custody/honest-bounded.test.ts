import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { setup, type Fixture } from './fixture';
import { cli } from '../../helpers/cli';
import { makeServices } from '../../helpers/services';
import { verifyBundle } from '../../../main/reports/bundle/verify';
import { handZip } from '../reports/zip-tools';
import { loadTemplate } from '../../../main/reports/render/template-loader';

let f: Fixture;
afterEach(() => f?.s.cleanup());

async function withEvidence(): Promise<Fixture> {
  f = setup();
  await f.s.custody.evidence.importFile(f.caseNumber, f.file('auth.log', 'sshd accepted\n'.repeat(100)), {});
  f.s.close();
  return f;
}
const entries = (fx: Fixture): string[] => {
  const s = makeServices({ dataDir: fx.s.dataDir });
  try {
    return s.custody.ledger.list(fx.caseNumber).map((e) => e.action);
  } finally {
    s.close();
  }
};
const leftovers = (dir: string): string[] => fs.readdirSync(dir).filter((n) => n.includes('.partial'));

describe('nothing is recorded for an export that did not complete', () => {
  it('custody export to a path under a file: a clear error, no entry, nothing left', async () => {
    const fx = await withEvidence();
    const file = fx.file('not-a-folder', 'x');
    const r = await cli(fx.s.dataDir, 'custody', 'export', fx.caseNumber, '--out', path.join(file, 'export'));
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      `error: Lariat could not write ${path.join(file, 'export')}: a part of that path is a file, not a folder. Nothing was recorded.\nhint: Choose a new or empty folder in a place you can write to, with enough free space.`,
    );
    expect(entries(fx)).toEqual(['imported']);
    expect(leftovers(path.dirname(file))).toEqual([]);
  });

  it('lariat export (bundle) and lariat report to a path under a file: clear errors, no entries, no stack trace', async () => {
    const fx = await withEvidence();
    const file = fx.file('not-a-folder', 'x');
    const b = await cli(fx.s.dataDir, 'export', fx.caseNumber, '--out', path.join(file, 'case.lariat'), '--with-evidence');
    expect(b.code).toBe(1);
    expect(b.err).toBe(
      `error: The folder ${file} does not exist (it is a file); nothing was written or recorded.\nhint: Choose an existing folder for the bundle.`,
    );
    const r = await cli(fx.s.dataDir, 'report', fx.caseNumber, '--out', path.join(file, 'r.html'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^error: Lariat could not write .*r\.html: ENOTDIR.*\nhint: Choose a folder you can write to/);
    expect(entries(fx)).toEqual(['imported']);
  });

  it('a bundle whose evidence changed while packing leaves no file and no entry; a complete one is recorded after it is on disk', async () => {
    const fx = await withEvidence();
    const s = makeServices({ dataDir: fx.s.dataDir });
    try {
      const item = s.custody.vault.list(fx.caseNumber)[0]!;
      const vaultFile = path.join(s.core.paths.vaultDir, item.vaultPath!);
      fs.chmodSync(vaultFile, 0o644);
      fs.appendFileSync(vaultFile, 'tampered');
      const out = path.join(s.dataDir, 'case.lariat');
      await expect(s.reports.bundles.export({ caseNumber: fx.caseNumber, outPath: out, withEvidence: true })).rejects.toThrow(
        /no longer matches its acquisition SHA-256/,
      );
      expect(fs.existsSync(out)).toBe(false);
      expect(leftovers(s.dataDir)).toEqual([]);
      expect(s.custody.ledger.list(fx.caseNumber).map((e) => e.action)).toEqual(['imported']);
      await s.reports.bundles.export({ caseNumber: fx.caseNumber, outPath: out, withEvidence: false });
      const sha = crypto.createHash('sha256').update(fs.readFileSync(out)).digest('hex');
      expect(s.custody.ledger.list(fx.caseNumber).at(-1)).toMatchObject({
        action: 'exported',
        details: { sha256: sha, checkpoint: { seq: 1 } },
      });
    } finally {
      s.close();
    }
  });
});

describe('leftovers of killed imports', () => {
  it('are removed at the next start when the process that wrote them is gone, and logged; others are kept', () => {
    f = setup();
    const dir = f.s.custody.vault.caseDir(f.caseNumber);
    fs.mkdirSync(dir, { recursive: true });
    const uuid = () => crypto.randomUUID();
    const dead = `.import-999999999-${uuid()}.part`;
    const live = `.import-1-${uuid()}.part`;
    const legacyOld = `.import-${uuid()}.part`;
    const legacyNew = `.import-${uuid()}.part`;
    for (const n of [dead, live, legacyOld, legacyNew]) fs.writeFileSync(path.join(dir, n), 'partial copy');
    const old = new Date(Date.now() - 2 * 3600_000);
    fs.utimesSync(path.join(dir, legacyOld), old, old);
    const staging = path.join(f.s.dataDir, 'received', `.staging-999999999-${uuid()}`);
    fs.mkdirSync(path.join(staging, 'evidence'), { recursive: true });
    fs.writeFileSync(path.join(staging, 'evidence', 'x'), 'x');
    fs.chmodSync(path.join(staging, 'evidence', 'x'), 0o444);
    f.s.close();
    const s = makeServices({ dataDir: f.s.dataDir });
    try {
      expect(fs.readdirSync(dir).sort()).toEqual([legacyNew, live].sort());
      expect(fs.existsSync(staging)).toBe(false);
      const logged = s.core.activity.list(undefined, 100).filter((a) => a.action === 'custody.leftover-removed');
      expect(logged.map((a) => path.basename(a.entityId!)).sort()).toEqual([dead, legacyOld, path.basename(staging)].sort());
      expect(s.core.activity.list(f.caseNumber, 100).some((a) => a.entityId?.endsWith(dead))).toBe(true);
    } finally {
      s.close();
    }
  });
});

describe('bundle verification is bounded and reads the archive as every tool would', () => {
  const work = () => fs.mkdtempSync(path.join(f.s.dataDir, 'bundles-'));
  const manifest = (files: { path: string; size: number; role: string }[]) =>
    Buffer.from(
      JSON.stringify({
        format: 'lariat-case-bundle',
        formatVersion: 2,
        bundleId: crypto.randomUUID(),
        createdAt: '2026-11-27T10:00:00.000Z',
        lariatVersion: '0.1.0',
        case: { number: 'IR-2026-0001', title: 't', tlp: 'amber' },
        exporter: { name: 'x', fingerprint: 'a'.repeat(64), publicKey: `keys/${'a'.repeat(64)}.pem` },
        ledger: { entries: 0, head: null },
        withEvidence: false,
        files: files.map((x) => ({ ...x, sha256: 'b'.repeat(64) })),
      }),
    );

  it('a manifest listing two 992 MiB key files is refused before anything but the manifest is read', async () => {
    f = setup();
    const file = path.join(work(), 'hostile.lariat');
    const big = 992 * 1024 * 1024;
    fs.writeFileSync(
      file,
      handZip([
        {
          name: 'manifest.json',
          data: manifest([
            { path: `keys/${'a'.repeat(64)}.pem`, size: big, role: 'key' },
            { path: `keys/${'c'.repeat(64)}.pem`, size: big, role: 'key' },
          ]),
        },
        { name: 'manifest.sig', data: Buffer.alloc(64) },
      ]),
    );
    const { verification: v } = await verifyBundle(file);
    expect(v.code).toBe('too-large');
    expect(v.reason).toBe(`keys/${'a'.repeat(64)}.pem is listed with ${big} bytes; a public key file is at most 16384 bytes.`);
  });

  it('case data and ledger larger than the memory budget are refused, whatever the compression', async () => {
    f = setup();
    const file = path.join(work(), 'budget.lariat');
    fs.writeFileSync(
      file,
      handZip([
        {
          name: 'manifest.json',
          data: manifest([
            { path: 'case.json', size: 300 * 1024 * 1024, role: 'case' },
            { path: 'ledger.jsonl', size: 10, role: 'ledger' },
          ]),
        },
        { name: 'manifest.sig', data: Buffer.alloc(64) },
      ]),
    );
    const { verification: v } = await verifyBundle(file);
    expect(v.code).toBe('too-large');
    expect(v.reason).toMatch(
      /^The bundle's case data, ledger, keys and checkpoint add up to \d+ bytes; Lariat verifies at most 134217728 bytes of them in memory\.$/,
    );
  });

  it('a local header that disagrees with the central directory is refused', async () => {
    f = setup();
    const zip = handZip([
      { name: 'manifest.json', data: Buffer.from('{}') },
      { name: 'case.json', data: Buffer.from('{}') },
    ]);
    // Rename the entry in its local header only: the central directory still says case.json.
    const at = zip.indexOf(Buffer.from('case.json'));
    zip[at] = 'C'.charCodeAt(0);
    const file = path.join(work(), 'headers.lariat');
    fs.writeFileSync(file, zip);
    const { verification: v } = await verifyBundle(file);
    expect(v.code).toBe('header-mismatch');
    expect(v.reason).toBe('Entry "case.json": its local header disagrees with the central directory (name).');
  });
});

describe('the template CSS check decodes escapes before deciding', () => {
  const template = (css: string): string => {
    const dir = fs.mkdtempSync(path.join(f.s.dataDir, 'tpl-'));
    fs.writeFileSync(path.join(dir, 'template.json'), JSON.stringify({ name: 'T', body: 'b.html', stylesheet: 's.css' }));
    fs.writeFileSync(path.join(dir, 'b.html'), '<h1>{{case.number}}</h1>');
    fs.writeFileSync(path.join(dir, 's.css'), css);
    return dir;
  };
  it('refuses u\\72l( and @\\69mport, and other escape spellings, while plain CSS passes', () => {
    f = setup();
    for (const css of [
      'body { background: u\\72l(https://evil.example/x.png) }',
      '@\\69mport "https://evil.example/x.css";',
      'body { background: \\75 \\72 \\6c (https://evil.example/x.png) }',
      'h1 { background-image: image-set("https://evil.example/x.png" 1x) }',
    ])
      expect(() => loadTemplate(template(css)), css).toThrow(/cannot be used: the stylesheet (uses @import|loads https:|uses image-set)/);
    expect(loadTemplate(template('h1 { color: navy; content: "\\2014" }')).css).toContain('navy');
  });
});
